from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import JobState, SubmissionKind


class NationalCaps(models.Model):
    """National selection caps (全國勾選上限) of one academic year, set by the central administrator.

    R22: the caps are data per year, never constants in code. They live here, beside the selection
    they bound, because the school platform reads them and a data app imports only the apps below
    it; the central administrator edits them through the central repository's pages.
    """

    academic_year = models.PositiveSmallIntegerField("學年度", unique=True)
    max_outcomes = models.PositiveSmallIntegerField("課程學習成果勾選上限")
    max_performances = models.PositiveSmallIntegerField("多元表現勾選上限")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_outcomes__lte=50, max_performances__lte=50),
                name="national_caps_sane",
                violation_error_message="勾選上限不可超過 50",
            )
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}學年度 勾選上限 {self.max_outcomes}/{self.max_performances}"


class SubmissionJob(models.Model):
    """A school's submission to the central repository (提交作業): built and sent in the
    background, with its progress and, once the repository answers, its receipt (收訖明細)."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="submission_jobs"
    )
    kind = models.CharField("提交類別", max_length=20, choices=SubmissionKind.choices)
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期", default=0)  # 0: annual, transfer
    # Transfer packages carry one student to another school (R38).
    student = models.ForeignKey(
        "schools.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer_to = models.CharField("轉入學校代碼", max_length=6, blank=True)
    state = models.CharField(
        "狀態", max_length=20, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField("進度（%）", default=0)
    message = models.TextField("說明", blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    receipt = models.JSONField("收訖明細", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "academic_year", "semester"])]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.semester:
            return f"{self.academic_year}學年度第{self.semester}學期"
        return f"{self.academic_year}學年度"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class AnnualSelection(models.Model):
    """A student's annual selection (年度勾選) of items for the central repository (R22–R24)."""

    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="annual_selections"
    )
    academic_year = models.PositiveSmallIntegerField("學年度")
    # R24: set when the central repository received the school's annual package; frozen after.
    submitted_at = models.DateTimeField("學校提交時間", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["student", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "academic_year"], name="selection_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.academic_year}學年度勾選"

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None


class SelectedItem(models.Model):
    """One ticked item (勾選項目): a certified course learning outcome or a diverse performance."""

    selection = models.ForeignKey(AnnualSelection, on_delete=models.CASCADE, related_name="items")
    outcome = models.ForeignKey(
        "portfolio.LearningOutcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    performance = models.ForeignKey(
        "portfolio.Performance", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["selection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__isnull=False, performance__isnull=True)
                | Q(outcome__isnull=True, performance__isnull=False),
                name="selected_item_is_one_thing",
            ),
            models.UniqueConstraint(
                fields=["selection", "outcome"],
                condition=Q(outcome__isnull=False),
                name="outcome_selected_once",
            ),
            models.UniqueConstraint(
                fields=["selection", "performance"],
                condition=Q(performance__isnull=False),
                name="performance_selected_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.outcome or self.performance)
