from django.conf import settings
from django.db import models
from django.db.models import Q

from licheng.lib.roc import Term

from .enums import CourseCategory


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


class CourseEnrolment(models.Model):
    """A student's record of one course (修課紀錄, R5–R6): original, make-up and retake grades."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="course_enrolments"
    )
    original_grade = models.DecimalField(
        "原始成績", max_digits=5, decimal_places=2, null=True, blank=True
    )
    makeup_grade = models.DecimalField(
        "補考成績", max_digits=5, decimal_places=2, null=True, blank=True
    )
    retake_grade = models.DecimalField(
        "重補修成績", max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["course", "student"]
        constraints = [
            models.UniqueConstraint(fields=["course", "student"], name="enrolment_once_per_course"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0, f"{f}__lte": 100}),
                    name=f"{f}_0_100",
                )
                for f in ("original_grade", "makeup_grade", "retake_grade")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.course}"
