"""Admission platform (招生報名平臺, tier 4) and department review (校系審查, tier 5).

Caps, rubrics and weights are data per admission year (R28: they change between years).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from licheng.lib.roc import year_label

from .enums import ApplicationState, ChannelKind, ItemKind, ItemOrigin


class AdmissionYear(models.Model):
    """Admission year (招生學年度), e.g. 115學年度; channels and their caps belong to one."""

    year = models.PositiveSmallIntegerField("學年度", unique=True)
    # Empty unless the committee named the year: then it reads in the reader's language.
    name = models.CharField("名稱", max_length=60, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name or year_label(self.year)


class Channel(models.Model):
    """Admission channel (招生管道) of one year with its caps (R28), stored as data."""

    year = models.ForeignKey(AdmissionYear, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("管道", max_length=30, choices=ChannelKind.choices)
    max_outcomes = models.PositiveSmallIntegerField("課程學習成果上限（合計）")
    # 專題實作及實習: only technical-college channels have it (R28); null = not applicable.
    max_project_outcomes = models.PositiveSmallIntegerField(
        "專題實作及實習成果上限", null=True, blank=True
    )
    min_project_outcomes = models.PositiveSmallIntegerField("專題實作及實習成果下限", default=0)
    max_other_outcomes = models.PositiveSmallIntegerField(
        "其他課程學習成果上限", null=True, blank=True
    )
    max_performances = models.PositiveSmallIntegerField("多元表現上限")
    registration_opens_on = models.DateField("報名開始日期", null=True, blank=True)
    registration_closes_on = models.DateField("報名截止日期", null=True, blank=True)

    class Meta:
        ordering = ["year_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="channel_once_per_year"),
            models.CheckConstraint(
                condition=Q(max_project_outcomes__isnull=True)
                | Q(min_project_outcomes__lte=F("max_project_outcomes")),
                name="channel_project_min_le_max",
                violation_error_message="專題實作及實習成果下限不可高於上限",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class Department(models.Model):
    """A university/college department (校系) in one channel: lower caps, rubric, weights."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="departments")
    code = models.CharField("校系代碼", max_length=12)
    university = models.CharField("學校", max_length=60)
    name = models.CharField("系所名稱", max_length=80)
    # A department may only lower the channel's caps (R28); null = the channel's cap.
    max_outcomes = models.PositiveSmallIntegerField("課程學習成果上限", null=True, blank=True)
    max_project_outcomes = models.PositiveSmallIntegerField(
        "專題實作及實習成果上限", null=True, blank=True
    )
    max_performances = models.PositiveSmallIntegerField("多元表現上限", null=True, blank=True)
    required_items = models.JSONField("必繳項目", default=list, blank=True)
    rubric_levels = models.PositiveSmallIntegerField(
        "評分等級數", default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    # Stage-two weights (R30), validated clause by clause by domain.weights before saving.
    weights = models.JSONField("成績比例", default=dict, blank=True)
    discrepancy_threshold = models.DecimalField(
        "差分檢核門檻（分）", max_digits=5, decimal_places=2, default=Decimal("15")
    )
    review_opens_on = models.DateField("審查開始日期", null=True, blank=True)
    review_closes_on = models.DateField("審查截止日期", null=True, blank=True)
    hide_names = models.BooleanField("審查時隱藏考生姓名", default=False)

    class Meta:
        ordering = ["channel_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "code"],
                name="department_code_per_channel",
                violation_error_message="此管道已有相同代碼的校系",
            ),
            models.CheckConstraint(
                condition=Q(review_opens_on__isnull=True)
                | Q(review_closes_on__isnull=True)
                | Q(review_closes_on__gte=F("review_opens_on")),
                name="department_review_period_order",
                violation_error_message="審查截止日期不可早於開始日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.university} {self.name}"

    @property
    def reviews_started(self) -> bool:
        return Review.objects.filter(application__department=self).exists()


class DepartmentReviewer(models.Model):
    """A reviewer (審查委員) of one department; the chair (召集人) resolves 差分檢核 flags."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_seats"
    )
    is_chair = models.BooleanField("召集人", default=False)

    class Meta:
        ordering = ["department_id", "-is_chair", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="reviewer_once_per_dept")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class RubricCriterion(models.Model):
    """One criterion of a department's rubric (評分尺規), with a descriptor per level."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField("順序")
    name = models.CharField("評分項目", max_length=60)
    weight = models.PositiveSmallIntegerField(
        "權重", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # One text per level, lowest first; the form edits them as separate fields.
    descriptors = models.JSONField("各等級描述", default=list)

    class Meta:
        ordering = ["department_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["department", "order"], name="criterion_order_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A student's registration for a channel with consent to release (報名與授權, R39)."""

    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="admission_registrations"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="registrations")
    # R39: a registration only exists with consent; nothing is released without it.
    consented_at = models.DateTimeField("同意授權時間")
    consent_statement = models.TextField("授權聲明")
    has_central_portfolio = models.BooleanField("有中央資料庫學習歷程", default=True)

    class Meta:
        ordering = ["channel_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["student", "channel"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.channel}"


class Application(models.Model):
    """An application to one department (校系申請) with its documents; frozen when submitted."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="applications"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(
        "狀態", max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    d1_text = models.TextField("多元表現綜整心得", blank=True)
    d2_reflection = models.TextField("學習歷程反思", blank=True)
    d2_motivation = models.TextField("就讀動機", blank=True)
    d2_plan = models.TextField("未來學習計畫與生涯規劃", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("送出時間", null=True, blank=True)
    # The released package (R39): a frozen manifest of exactly what the department receives.
    snapshot = models.JSONField("送出之資料", null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["department_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "department"], name="application_once_per_department"
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT)
                | Q(submitted_at__isnull=False, snapshot__isnull=False),
                name="submitted_application_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.student.name} → {self.department}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ApplicationState.SUBMITTED


class ApplicationItem(models.Model):
    """One item of an application (申請資料項目): picked from the central record or uploaded."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("類別", max_length=20, choices=ItemKind.choices)
    origin = models.CharField("來源", max_length=20, choices=ItemOrigin.choices)
    # Key of the central-repository item it was picked from (empty for uploads).
    source_ref = models.CharField("來源編號", max_length=80, blank=True)
    # PROTECT: a released package keeps pointing at what the central repository gave it.
    central_item = models.ForeignKey(
        "central.CentralItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_items",
    )
    title = models.CharField("名稱", max_length=120)
    description = models.TextField("簡述", blank=True)
    detail = models.CharField("補充資訊", max_length=200, blank=True)
    # An upload's stored file (evidence app); central items' files live in the central repository.
    stored_file = models.ForeignKey(
        "evidence.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_items",
    )
    file_path = models.CharField(max_length=300, blank=True)
    file_name = models.CharField("檔名", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    link = models.URLField("連結", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "source_ref"],
                condition=~Q(source_ref=""),
                name="item_picked_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def certified(self) -> bool:
        return self.origin == ItemOrigin.CENTRAL


class Review(models.Model):
    """One reviewer's review (書面審查評分) of one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    comment = models.TextField("評語", blank=True)
    # 0–100, weighted over the rubric; null until every criterion has a level.
    total = models.DecimalField("總分", max_digits=5, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class CriterionScore(models.Model):
    """The level (等級) a reviewer gave on one rubric criterion."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField("等級")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(level__gte=1), name="score_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class DiscrepancyResolution(models.Model):
    """The chair's resolution of a 差分檢核 flag (R41): the score agreed after re-discussion."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="resolution"
    )
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(
        "議定分數",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.TextField("討論紀錄")
    resolved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="resolution_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"
