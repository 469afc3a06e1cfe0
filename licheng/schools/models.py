import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from licheng.lib.roc import Term

from .enums import SchoolType, StudentStatus, WindowKind


class School(models.Model):
    """A high school (學校) on the platform; the tenant every school record belongs to."""

    code = models.CharField("學校代碼", max_length=6, unique=True)
    name = models.CharField("校名", max_length=100)
    type = models.CharField("學校類型", max_length=20, choices=SchoolType.choices)
    city = models.CharField("縣市", max_length=20)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """Department or programme (科別/學程) of a school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="departments")
    code = models.CharField("科別代碼", max_length=3)
    name = models.CharField("科別/學程", max_length=50)

    class Meta:
        ordering = ["school", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="department_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class (班級) of one academic year, with its homeroom teacher (導師)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    academic_year = models.PositiveSmallIntegerField("學年度")
    grade = models.PositiveSmallIntegerField("年級")
    name = models.CharField("班級名稱", max_length=30)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="homeroom_classes",
    )

    class Meta:
        ordering = ["school", "academic_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "name"], name="class_name_unique_per_year"
            ),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=3), name="class_grade_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}學年度 {self.name}"


class Student(models.Model):
    """A student's registration data (學籍基本資料, R1), kept by the school."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="student"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    student_number = models.CharField("學號", max_length=20)
    national_id = models.CharField("身分證統一編號", max_length=10)
    name = models.CharField("姓名", max_length=50)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    enrolment_date = models.DateField("入學日期")
    status = models.CharField(
        "學籍狀態", max_length=20, choices=StudentStatus.choices, default=StudentStatus.ENROLLED
    )

    class Meta:
        ordering = ["school", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"], name="student_number_unique"
            ),
            models.UniqueConstraint(
                fields=["school", "national_id"], name="student_national_id_unique"
            ),
        ]
        indexes = [models.Index(fields=["national_id"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.student_number}）"

    @property
    def enrolment_year(self) -> int:
        """The ROC calendar year of enrolment; activities count from 1 July of it (R17)."""
        return self.enrolment_date.year

    @property
    def earliest_activity_date(self) -> dt.date:
        return dt.date(self.enrolment_date.year, 7, 1)


class ClassEnrolment(models.Model):
    """A student's place in a class for one academic year (編班): grade, class and seat number."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="class_enrolments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrolments"
    )
    seat_number = models.PositiveSmallIntegerField("座號")

    class Meta:
        ordering = ["school_class", "seat_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "seat_number"], name="seat_unique_per_class"
            ),
            models.UniqueConstraint(
                fields=["student", "school_class"], name="student_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.seat_number:02d} {self.student.name}"


class SchoolPolicy(models.Model):
    """A school's own settings (學校設定): quotas and password policy, with DOMAIN's defaults."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="policy")
    # R11: per-semester upload limit for course learning outcomes; optional per-course cap.
    outcomes_per_semester = models.PositiveSmallIntegerField(
        "每學期課程學習成果上傳上限",
        default=6,
        validators=[MinValueValidator(1, "每學期上傳上限至少為 1")],
    )
    outcomes_per_course = models.PositiveSmallIntegerField(
        "每門課程上傳上限", null=True, blank=True, help_text="空白表示不限"
    )
    # R18: per-year limit for diverse performances; empty = unlimited.
    performances_per_year = models.PositiveSmallIntegerField(
        "每學年多元表現上傳上限", null=True, blank=True, help_text="空白表示不限"
    )
    # R34
    storage_quota_mb = models.PositiveIntegerField("每位學生儲存空間（MB）", default=200)
    # R31: the real system's floor is 6; the default follows NIST 800-63B.
    password_min_length = models.PositiveSmallIntegerField(
        "密碼最短長度",
        default=8,
        validators=[
            MinValueValidator(6, "密碼最短長度須介於 6 到 64 之間"),
            MaxValueValidator(64, "密碼最短長度須介於 6 到 64 之間"),
        ],
    )
    reminder_days = models.PositiveSmallIntegerField("期限前幾天提醒", default=7)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(password_min_length__gte=6, password_min_length__lte=64),
                name="password_min_length_floor",
                violation_error_message="密碼最短長度須介於 6 到 64 之間",
            ),
            models.CheckConstraint(
                condition=Q(outcomes_per_semester__gte=1),
                name="outcomes_per_semester_positive",
                violation_error_message="每學期上傳上限至少為 1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} 設定"


class Window(models.Model):
    """A school's window (作業期程) for one kind of work in one term or year, inclusive dates."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="windows")
    kind = models.CharField("期程", max_length=30, choices=WindowKind.choices)
    academic_year = models.PositiveSmallIntegerField("學年度")
    # 0 for the yearly windows (performances, selection, submission).
    semester = models.PositiveSmallIntegerField("學期", default=0)
    opens_on = models.DateField("開始日期")
    closes_on = models.DateField("截止日期")

    class Meta:
        ordering = ["school", "academic_year", "semester", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "academic_year", "semester"], name="window_unique"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="window_order"
            ),
            models.CheckConstraint(condition=Q(semester__in=[0, 1, 2]), name="window_semester"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def term(self) -> Term | None:
        return Term(self.academic_year, self.semester) if self.semester else None

    @property
    def period_label(self) -> str:
        if self.semester:
            return Term(self.academic_year, self.semester).label
        return f"{self.academic_year}學年度"

    def is_open(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def days_left(self, day: dt.date) -> int:
        return (self.closes_on - day).days
