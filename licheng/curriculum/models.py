from django.conf import settings
from django.db import models
from django.db.models import Q

from licheng.lib.roc import Term

from .enums import CourseCategory, ImportKind, ImportState, PlanState

# High-school courses are passed at 60 (及格), whichever of the three grades reaches it (R6).
PASS_MARK = 60


class Course(models.Model):
    """A course (課程) a school offers in one semester, identified by its course code (課程代碼)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="courses")
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    code = models.CharField("課程代碼", max_length=32)
    name = models.CharField("課程名稱", max_length=100)
    credits = models.PositiveSmallIntegerField("學分數")
    category = models.CharField("課程類別", max_length=30, choices=CourseCategory.choices)
    grade = models.PositiveSmallIntegerField("年級", default=1)
    department = models.ForeignKey(
        "schools.Department", null=True, blank=True, on_delete=models.PROTECT
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="taught_courses", verbose_name="任課教師"
    )

    class Meta:
        ordering = ["school", "academic_year", "semester", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "semester", "code"], name="course_code_unique"
            ),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="course_semester_1_2"),
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.term.label}）"

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)


def _grade_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True)


def grade_range(prefix: str = "") -> list[models.CheckConstraint]:
    """Each of the three grades is empty or 0–100 (R6)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0, f"{f}__lte": 100}),
            name=f"{prefix}{f}_0_100",
        )
        for f in ("original_grade", "makeup_grade", "retake_grade")
    ]


class Grades(models.Model):
    """The three grades of a course record (R6): original (原始), make-up exam (補考), retake (重補修)."""

    original_grade = _grade_field("原始成績")
    makeup_grade = _grade_field("補考成績")
    retake_grade = _grade_field("重補修成績")

    class Meta:
        abstract = True

    @property
    def best_grade(self):
        """The grade that counts: the highest of original, make-up and retake (R6)."""
        grades = [
            g for g in (self.original_grade, self.makeup_grade, self.retake_grade) if g is not None
        ]
        return max(grades) if grades else None

    @property
    def passed(self) -> bool:
        best = self.best_grade
        return best is not None and best >= PASS_MARK


class CourseEnrolment(Grades):
    """A student's record of one course (修課紀錄, R5–R6): original, make-up and retake grades."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="course_enrolments"
    )

    class Meta:
        ordering = ["course", "student"]
        constraints = [
            models.UniqueConstraint(fields=["course", "student"], name="enrolment_once_per_course"),
            *grade_range(),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.course}"

    @property
    def credits_earned(self) -> int:
        return self.course.credits if self.passed else 0


class PriorCourseRecord(Grades):
    """A course record from the student's previous school (轉學前修課紀錄, R38), kept as sent.

    The course belongs to another school (possibly on another vendor's platform), so it is not a
    ``Course`` here: code, name, credits and category are the previous school's.
    """

    transfer = models.ForeignKey(
        "schools.IncomingTransfer", on_delete=models.PROTECT, related_name="course_records"
    )
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="prior_course_records"
    )
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    code = models.CharField("課程代碼", max_length=32)
    name = models.CharField("課程名稱", max_length=100)
    credits = models.PositiveSmallIntegerField("學分數")
    category = models.CharField("課程類別", max_length=30)  # the previous school's wording

    class Meta:
        ordering = ["student", "academic_year", "semester", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "academic_year", "semester", "code"],
                name="prior_course_once_per_transfer",
            ),
            models.CheckConstraint(
                condition=Q(semester__in=[1, 2]), name="prior_course_semester_1_2"
            ),
            *grade_range("prior_"),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.name}（{self.term.label}，轉學前）"

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)

    @property
    def credits_earned(self) -> int:
        return self.credits if self.passed else 0


class CoursePlan(models.Model):
    """A course in the school's course plan (課程計畫): drafted, submitted, then published with a code."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="course_plans"
    )
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    name = models.CharField("科目名稱", max_length=100)
    credits = models.PositiveSmallIntegerField("學分數")
    category = models.CharField("課程類別", max_length=30, choices=CourseCategory.choices)
    grade = models.PositiveSmallIntegerField("年級", default=1)
    department = models.ForeignKey(
        "schools.Department", null=True, blank=True, on_delete=models.PROTECT
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="planned_courses",
        verbose_name="任課教師",
    )
    syllabus = models.TextField("教學大綱", max_length=5000, blank=True)
    syllabus_pdf = models.FileField("教學大綱 PDF", upload_to="syllabi/%Y/", blank=True)
    syllabus_pdf_sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        "狀態", max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    serial = models.PositiveSmallIntegerField("流水號", null=True, blank=True)
    course = models.OneToOneField(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="plan"
    )
    refusal_reason = models.CharField("退回理由", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-academic_year", "semester", "grade", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="plan_semester_1_2"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=3), name="plan_grade_1_3"),
            models.CheckConstraint(
                condition=Q(credits__gte=0, credits__lte=20), name="plan_credits_0_20"
            ),
            models.CheckConstraint(
                condition=~Q(state=PlanState.PUBLISHED) | Q(course__isnull=False),
                name="published_plan_has_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.term.label}）"

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)


class CounsellingAssignment(models.Model):
    """A course counsellor (課程諮詢教師) assigned to a class; its students are their advisees."""

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselled_classes"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="counsellors"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "school_class"], name="counsellor_once_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counsellor} → {self.school_class}"


class CounsellingRecord(models.Model):
    """A course counselling record (課程諮詢紀錄, R7): stays on the school platform, never exported."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="counselling_records"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counselling_written"
    )
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    held_on = models.DateField("諮詢日期")
    description = models.CharField("紀錄說明", max_length=100)
    # The attachment is kept by the evidence app: immutable, with its SHA-256, verified.
    stored_file = models.ForeignKey(
        "evidence.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counselling_records",
        verbose_name="附件",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(semester__in=[1, 2]), name="counselling_semester_1_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} 課程諮詢 {self.held_on}"

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)


class ImportBatch(models.Model):
    """One uploaded import file (匯入批次): checked row by row, written only when confirmed."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("資料種類", max_length=20, choices=ImportKind.choices)
    file = models.FileField(upload_to="imports/%Y/")
    file_name = models.CharField("檔名", max_length=200)
    file_sha256 = models.CharField(max_length=64)
    state = models.CharField(
        "狀態", max_length=20, choices=ImportState.choices, default=ImportState.VALIDATING
    )
    total_rows = models.PositiveIntegerField("資料列數", default=0)
    done_rows = models.PositiveIntegerField("已處理列數", default=0)
    # [{"line": 3, "column": "學號", "reason": "…"}], capped (see curriculum.imports.MAX_ERRORS).
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0
