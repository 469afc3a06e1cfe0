from django.conf import settings
from django.db import models
from django.db.models import Q

from licheng.lib import roc

from .enums import JobState, ReceiveState, SubmissionKind


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


class BackgroundJob(models.Model):
    """What every background job of the school platform (背景作業) shows while it runs: its
    progress, who started it and when it finished. Each job's ``state`` ends in ``done`` or
    ``failed``; the pages poll a job until then (templates/web/central/_job_card.html)."""

    progress = models.PositiveSmallIntegerField("進度（%）", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every step saved: a job running whose row stopped moving lost its worker.
    updated_at = models.DateTimeField(auto_now=True)
    restarts = models.PositiveSmallIntegerField("重新執行次數", default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    state: str  # each job's own choices; all end in "done" or "failed"

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class SubmissionJob(BackgroundJob):
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
    message = models.TextField("說明", blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    receipt = models.JSONField("收訖明細", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "academic_year", "semester"])]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        return roc.period_label(self.academic_year, self.semester)


class TransferInJob(BackgroundJob):
    """A transfer in (轉入作業, R38) received in the background: a student's record from the
    central repository or from an uploaded package, its progress, and what it brought or why
    it was refused. The receiving itself is ``transfer_in.receive_transfer``."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="transfer_in_jobs"
    )
    # The central repository's app sits above this one, so its record is named by id, not a key.
    central_record_id = models.PositiveBigIntegerField("中央資料庫紀錄", null=True, blank=True)
    # An uploaded package is kept until the job has read it, then deleted (its items are kept).
    package = models.FileField("轉學封包", upload_to="transfers/incoming/%Y/", blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    label = models.CharField("說明", max_length=255)  # the student's name or the package's file
    student_number = models.CharField("本校學號", max_length=20, blank=True)
    state = models.CharField(
        "狀態", max_length=20, choices=ReceiveState.choices, default=ReceiveState.QUEUED
    )
    message = models.TextField("無法轉入的原因", blank=True)
    student = models.ForeignKey(
        "schools.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.JSONField("轉入項目數", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(central_record_id__isnull=False, package="")
                | Q(central_record_id__isnull=True, package_sha256__regex=r"^[0-9a-f]{64}$"),
                name="transfer_in_job_has_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} 轉入 {self.label}"


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
