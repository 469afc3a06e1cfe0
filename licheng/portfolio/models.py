from django.conf import settings
from django.db import models
from django.db.models import Q

from licheng.lib.roc import Term

from .categories import detail_rows
from .enums import (
    KeptItemKind,
    KeptReason,
    OutcomeState,
    PerformanceCategory,
    PerformanceSource,
    PerformanceState,
    ReturnReason,
)

DESCRIPTION_MAX_CHARS = 100  # R10, R16: counted as Unicode characters (lib.text.char_count)


class LearningOutcome(models.Model):
    """Course learning outcome (課程學習成果) a student uploaded for one course (R9–R14)."""

    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="learning_outcomes"
    )
    # Empty only for an outcome brought from the previous school (R38): its course is not ours.
    course = models.ForeignKey(
        "curriculum.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_outcomes",
    )
    # Copied from the course so quotas (R11) and windows (R12) filter without a join.
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期")
    title = models.CharField("成果名稱", max_length=60)
    description = models.CharField("簡述", max_length=DESCRIPTION_MAX_CHARS)
    document = models.ForeignKey(
        "evidence.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="文件檔",
    )
    media = models.ForeignKey(
        "evidence.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="影音檔",
    )
    state = models.CharField(
        "狀態", max_length=12, choices=OutcomeState.choices, default=OutcomeState.DRAFT
    )
    return_reason = models.CharField(
        "退回原因", max_length=20, choices=ReturnReason.choices, blank=True
    )
    return_note = models.CharField("退回說明", max_length=200, blank=True)
    submitted_at = models.DateTimeField("送出認證時間", null=True, blank=True)
    certified_at = models.DateTimeField("認證時間", null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certified_outcomes",
        verbose_name="認證教師",
    )
    # R38: brought from the previous school (轉學帶入), with that school's item id and course.
    transfer = models.ForeignKey(
        "schools.IncomingTransfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    transfer_item_id = models.CharField("原學校項目編號", max_length=64, blank=True)
    prior_course_code = models.CharField("原學校課程代碼", max_length=32, blank=True)
    prior_course_name = models.CharField("原學校課程名稱", max_length=100, blank=True)
    # The certifying teacher's name at the previous school (認證教師, exchange format 1.1).
    certified_by_name = models.CharField("原學校認證教師", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-academic_year", "-semester", "course", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | Q(media__isnull=False),
                name="outcome_has_a_file",
            ),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="outcome_semester_1_2"),
            # R13: a returned outcome always carries one of the allowed reasons. An outcome
            # returned or certified at the previous school (R38) has no certifier here (only
            # ``certified_by_name``), and a package of format 1.0 sent no return reason.
            models.CheckConstraint(
                condition=~Q(state=OutcomeState.RETURNED)
                | ~Q(return_reason="")
                | Q(transfer__isnull=False),
                name="outcome_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state=OutcomeState.CERTIFIED)
                | Q(certified_by__isnull=False)
                | Q(transfer__isnull=False),
                name="outcome_certified_has_certifier",
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=False) | Q(transfer__isnull=False),
                name="outcome_course_or_transfer",
            ),
            models.UniqueConstraint(
                fields=["transfer", "transfer_item_id"],
                condition=Q(transfer__isnull=False),
                name="outcome_transfer_item_once",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "academic_year", "semester"]),
            models.Index(fields=["course", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def term(self) -> Term:
        return Term(self.academic_year, self.semester)

    @property
    def school(self):
        return self.student.school

    @property
    def files(self) -> list:
        return [f for f in (self.document, self.media) if f is not None]

    @property
    def course_code(self) -> str:
        return self.course.code if self.course is not None else self.prior_course_code

    @property
    def course_name(self) -> str:
        return self.course.name if self.course is not None else self.prior_course_name

    @property
    def certifier_name(self) -> str:
        """The certifying teacher (認證教師): here, or at the previous school (R38)."""
        if self.certified_by is not None:
            return self.certified_by.full_name
        return self.certified_by_name


class Performance(models.Model):
    """Diverse performance (多元表現) of a student in one academic year (R15–R20)."""

    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="performances"
    )
    academic_year = models.PositiveSmallIntegerField("學年度")
    category = models.CharField("類別", max_length=20, choices=PerformanceCategory.choices)
    title = models.CharField("名稱", max_length=100)
    activity_date = models.DateField("活動日期")  # R17: on or after 1 July of the enrolment year
    end_date = models.DateField("結束日期", null=True, blank=True)
    # The category's own fields (主辦單位, 等級, 名次, 證照字號, 時數 …); see portfolio/categories.py.
    details = models.JSONField("類別欄位", default=dict, blank=True)
    description = models.CharField("簡述", max_length=DESCRIPTION_MAX_CHARS, blank=True)
    link = models.URLField("外部連結", max_length=500, blank=True)
    files = models.ManyToManyField(
        "evidence.StoredFile", blank=True, related_name="+", verbose_name="證明文件"
    )
    state = models.CharField(
        "狀態", max_length=12, choices=PerformanceState.choices, default=PerformanceState.SUBMITTED
    )
    source = models.CharField(
        "登錄來源",
        max_length=12,
        choices=PerformanceSource.choices,
        default=PerformanceSource.STUDENT,
    )
    organizer = models.ForeignKey(
        "portfolio.Organizer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="performances",
    )
    # The organizer's own id of the record; a repeated import with it changes nothing (R19).
    organizer_record_id = models.CharField("主辦機構紀錄編號", max_length=100, blank=True)
    # R38: brought from the previous school (轉學帶入), with that school's item id.
    transfer = models.ForeignKey(
        "schools.IncomingTransfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="performances",
    )
    transfer_item_id = models.CharField("原學校項目編號", max_length=64, blank=True)
    # Who registered it at the previous school (R19), when the package said so (format 1.1).
    prior_source = models.CharField(
        "原學校登錄來源", max_length=12, choices=PerformanceSource.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-academic_year", "-activity_date", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "organizer_record_id"],
                condition=Q(organizer__isnull=False),
                name="performance_organizer_record_once",
            ),
            models.CheckConstraint(
                condition=Q(source=PerformanceSource.ORGANIZER, organizer__isnull=False)
                | (~Q(source=PerformanceSource.ORGANIZER) & Q(organizer__isnull=True)),
                name="performance_organizer_iff_imported",
            ),
            models.CheckConstraint(
                condition=Q(source=PerformanceSource.TRANSFER, transfer__isnull=False)
                | (~Q(source=PerformanceSource.TRANSFER) & Q(transfer__isnull=True)),
                name="performance_transfer_iff_transferred",
            ),
            models.UniqueConstraint(
                fields=["transfer", "transfer_item_id"],
                condition=Q(transfer__isnull=False),
                name="performance_transfer_item_once",
            ),
        ]
        indexes = [models.Index(fields=["student", "academic_year", "source"])]

    def __str__(self) -> str:
        return self.title

    @property
    def school(self):
        return self.student.school

    @property
    def detail_rows(self) -> list[tuple[str, str]]:
        """The category's fields (類別欄位) as (label, value), for pages and the R40 index."""
        return detail_rows(self.category, self.details or {})

    @property
    def registered_by(self) -> str:
        """Who registered it (登錄來源, R19), at the previous school for a transferred one; ""
        when a transferred package did not say."""
        return self.prior_source if self.source == PerformanceSource.TRANSFER else self.source

    @property
    def counts_toward_quota(self) -> bool:
        """R19: only the student's own uploads count toward the per-year quota (R18)."""
        return self.source == PerformanceSource.STUDENT


class Organizer(models.Model):
    """External organizer (競賽/檢定主辦機構) that imports results through the API (R19)."""

    name = models.CharField("機構名稱", max_length=100, unique=True)
    contact_email = models.EmailField("聯絡信箱", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizer",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self, key: str = "") -> str:
        """Who acted, in the audit log (稽核紀錄), for a call made with one of its keys: its id to
        search by, its name for the person reading, the key's prefix."""
        return f"organizer:{self.pk} {self.name} {key}".strip()[:200]


class OrganizerKey(models.Model):
    """An organizer's API key (API 金鑰); only its SHA-256 is stored, shown once when issued."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField("金鑰前綴", max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField("用途說明", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("撤銷時間", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        ordering = ["organizer", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organizer} {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ProxyCertifier(models.Model):
    """Proxy certifier (代理人) the school names for a course whose teacher is absent (R37)."""

    course = models.ForeignKey(
        "curriculum.Course", on_delete=models.CASCADE, related_name="proxy_certifiers"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proxy_courses"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "teacher"], name="proxy_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.teacher} 代理 {self.course}"


class ReplacedFile(models.Model):
    """A file its item no longer uses (舊版檔案): replaced, or the item deleted.

    Kept until a school administrator purges it on purpose. The item's student, kind, id and
    title are copied here, so the row still says what the file belonged to once the item is
    gone (the foreign key to the item is then empty).
    """

    outcome = models.ForeignKey(
        LearningOutcome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_files",
    )
    performance = models.ForeignKey(
        Performance,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_files",
    )
    stored_file = models.ForeignKey(
        "evidence.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="+", verbose_name="學生"
    )
    item_kind = models.CharField("原屬項目類別", max_length=20, choices=KeptItemKind.choices)
    item_pk = models.PositiveBigIntegerField("原屬項目編號")
    item_title = models.CharField("原屬項目名稱", max_length=120, blank=True)
    reason = models.CharField(
        "保存原因", max_length=20, choices=KeptReason.choices, default=KeptReason.REPLACED
    )
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["replaced_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "stored_file"], name="replaced_file_once"),
            models.UniqueConstraint(
                fields=["performance", "stored_file"], name="replaced_performance_file_once"
            ),
            # At most one item; none once the item is deleted (its kind and id stay above).
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(performance__isnull=True),
                name="replaced_file_of_at_most_one_item",
            ),
        ]
        indexes = [models.Index(fields=["student", "replaced_at"])]

    def __str__(self) -> str:
        return f"{self.item_title} · {self.stored_file}"

    @property
    def item(self):
        """The outcome or the performance the file belongs to, None once it is deleted."""
        return self.outcome or self.performance

    @property
    def item_deleted(self) -> bool:
        """The item is gone (deleted after, or instead of, a file replacement)."""
        return self.reason == KeptReason.ITEM_DELETED or self.item is None
