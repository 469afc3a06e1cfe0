import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from licheng.lib import roc
from licheng.lib.i18n import in_brackets
from licheng.lib.roc import Term

from .enums import (
    CadreLevel,
    CorrectionState,
    RewardKind,
    SchoolType,
    StudentStatus,
    WindowKind,
)


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
        return f"{roc.year_label(self.academic_year)} {self.name}"


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
        return f"{self.name}{in_brackets(self.student_number)}"

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
        return roc.period_label(self.academic_year, self.semester)

    def is_open(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def days_left(self, day: dt.date) -> int:
        return (self.closes_on - day).days


# Basic data beyond registration (R1–R3). Corrections, cadre posts, attendance and rewards are
# kept per student; every change goes through schools.domain.basic_data and is audited.

# The registration fields a student may ask to have corrected (R1).
CORRECTABLE_FIELDS = {
    "name": "姓名",
    "national_id": "身分證統一編號",
    "enrolment_date": "入學日期",
    "department": "科別/學程",
}


class CorrectionRequest(models.Model):
    """A student's request to correct registration data (基本資料更正申請, R1)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField("欄位", max_length=30)
    current_value = models.CharField("原資料", max_length=100, blank=True)
    requested_value = models.CharField("更正為", max_length=100)
    explanation = models.CharField("說明", max_length=200, blank=True)
    state = models.CharField(
        "狀態", max_length=20, choices=CorrectionState.choices, default=CorrectionState.PENDING
    )
    refusal_reason = models.CharField("不予更正理由", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=CorrectionState.REFUSED) | ~Q(refusal_reason=""),
                name="refusal_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.field_label} → {self.requested_value}"

    @property
    def field_label(self) -> str:
        # The labels are msgids of the web form's choices (records/basic.py): read in the page's
        # language.
        return (
            gettext(CORRECTABLE_FIELDS[self.field])
            if self.field in CORRECTABLE_FIELDS
            else self.field
        )


class TermRecord(models.Model):
    """Common fields of records kept per student per semester."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    # R38: kept by the previous school and brought along (轉學帶入); read-only here.
    transfer = models.ForeignKey(
        "IncomingTransfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)


class CadreRecord(TermRecord):
    """A cadre post (幹部經歷, R2) a student held at school, class or club level in one term."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="cadre_records")
    level = models.CharField("層級", max_length=10, choices=CadreLevel.choices)
    unit = models.CharField("單位", max_length=50, help_text="如：學生會、301 班、吉他社")
    position = models.CharField("職稱", max_length=50)

    class Meta:
        ordering = ["student", "academic_year", "semester", "level", "unit"]
        constraints = [
            # A post held at the previous school (R38) never merges with one held here.
            models.UniqueConstraint(
                fields=["student", "academic_year", "semester", "level", "unit", "position"],
                condition=Q(transfer__isnull=True),
                name="cadre_once_per_term",
            ),
            models.UniqueConstraint(
                fields=[
                    "student",
                    "academic_year",
                    "semester",
                    "level",
                    "unit",
                    "position",
                    "transfer",
                ],
                condition=Q(transfer__isnull=False),
                name="cadre_once_per_term_per_transfer",
            ),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="cadre_semester_1_2"),
        ]

    def __str__(self) -> str:
        return f"{self.student.name} {self.unit}{self.position}（{self.term.label}）"


class AttendanceRecord(TermRecord):
    """A student's attendance (出缺勤, R3) in one term, in class periods (節)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="attendance")
    school_days = models.PositiveSmallIntegerField("應出席日數", default=0)
    personal_leave = models.PositiveSmallIntegerField("事假", default=0)
    sick_leave = models.PositiveSmallIntegerField("病假", default=0)
    official_leave = models.PositiveSmallIntegerField("公假", default=0)
    bereavement_leave = models.PositiveSmallIntegerField("喪假", default=0)
    absence = models.PositiveSmallIntegerField("曠課", default=0)

    class Meta:
        ordering = ["student", "academic_year", "semester"]
        constraints = [
            # A term split between two schools (R38) keeps each school's count apart.
            models.UniqueConstraint(
                fields=["student", "academic_year", "semester"],
                condition=Q(transfer__isnull=True),
                name="attendance_once_per_term",
            ),
            models.UniqueConstraint(
                fields=["student", "academic_year", "semester", "transfer"],
                condition=Q(transfer__isnull=False),
                name="attendance_once_per_term_per_transfer",
            ),
            models.CheckConstraint(
                condition=Q(semester__in=[1, 2]), name="attendance_semester_1_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.name} 出缺勤（{self.term.label}）"


class RewardRecord(TermRecord):
    """A reward or punishment (獎懲, R3) given to a student."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="rewards")
    kind = models.CharField("獎懲類別", max_length=20, choices=RewardKind.choices)
    count = models.PositiveSmallIntegerField(
        "次數", default=1, validators=[MinValueValidator(1, "次數至少為 1")]
    )
    reason = models.CharField("事由", max_length=100)
    given_on = models.DateField("日期")

    class Meta:
        ordering = ["student", "-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="reward_count_positive"),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="reward_semester_1_2"),
        ]

    def __str__(self) -> str:
        return f"{self.student.name} {self.get_kind_display()}{self.count}次"


class IncomingTransfer(models.Model):
    """A transfer in (轉入紀錄, R38): a student's record brought here from their previous school.

    One per student and previous school. Course records, outcomes and performances brought in
    point to it, which is how they are marked as the previous school's.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    # The previous school may be on another vendor's platform: kept as sent, not as a School.
    from_school_code = models.CharField("原學校代碼", max_length=6)
    from_school_name = models.CharField("原學校", max_length=100)
    # SHA-256 of the student's manifest entry last imported: the same entry again changes nothing.
    entry_sha256 = models.CharField(max_length=64)
    # What has been brought over in total: course records, outcomes, performances, files.
    summary = models.JSONField("轉入項目數", default=dict)
    imported_at = models.DateTimeField("轉入時間", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "from_school_code"], name="transfer_in_once_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} ← {self.from_school_name}"
