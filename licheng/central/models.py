from django.conf import settings
from django.db import models
from django.db.models import Q

from licheng.lib import roc
from licheng.portfolio.categories import detail_rows

from .enums import AckStatus, ItemType, PackageKind


class SchoolCredential(models.Model):
    """A school's key for the central intake API (學校上傳金鑰); only its SHA-256 is stored."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="central_credentials"
    )
    prefix = models.CharField("金鑰前綴", max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField("停用時間", null=True, blank=True)

    class Meta:
        ordering = ["school", "-created_at"]

    def __str__(self) -> str:
        return f"{self.school} {self.prefix}…"


class Blob(models.Model):
    """A file's bytes at the central repository (中央檔案), stored once, named by its SHA-256."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField("大小（位元組）")
    content_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256

    @property
    def storage_name(self) -> str:
        return blob_name(self.sha256)


def blob_name(sha256: str) -> str:
    # One level of 256 folders: two levels (65,536) cost a mkdir for nearly every file.
    return f"central/blobs/{sha256[:2]}/{sha256}"


class Submission(models.Model):
    """A package a school sent (學校提交紀錄) and the receipt (收訖明細) the repository returned."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="central_submissions"
    )
    kind = models.CharField("封包類別", max_length=20, choices=PackageKind.choices)
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期", default=0)  # 0: annual and transfer
    package_sha256 = models.CharField("封包識別碼", max_length=64)
    received_at = models.DateTimeField("收件時間", auto_now_add=True)
    student_count = models.PositiveIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    byte_count = models.PositiveBigIntegerField(default=0)
    receipt = models.JSONField("收訖明細")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "package_sha256"], name="submission_once_per_package"
            ),
        ]
        indexes = [models.Index(fields=["school", "academic_year", "semester", "kind"])]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.academic_year}-{self.semester}"


class CentralStudent(models.Model):
    """A student at the central repository (中央資料庫學生), one per person across schools and years."""

    national_id = models.CharField("身分證統一編號", max_length=10, unique=True)
    name = models.CharField("姓名", max_length=50)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="central_students"
    )
    student_number = models.CharField("學號", max_length=20)
    # R26: the archive clock starts at the first admission application.
    first_applied_on = models.DateField("首次升學申請日期", null=True, blank=True)
    sealed_at = models.DateTimeField("封存時間", null=True, blank=True)

    class Meta:
        ordering = ["national_id"]
        indexes = [models.Index(fields=["school", "student_number"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.national_id[:3]}*******）"

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None


class CentralRecord(models.Model):
    """One version (版本) of what a school submitted for one student for one term or year (R25)."""

    student = models.ForeignKey(CentralStudent, on_delete=models.PROTECT, related_name="records")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField("封包類別", max_length=20, choices=PackageKind.choices)
    academic_year = models.PositiveSmallIntegerField("學年度")
    semester = models.PositiveSmallIntegerField("學期", default=0)
    version = models.PositiveIntegerField("版本")
    is_current = models.BooleanField("最新版本", default=True)
    content_sha256 = models.CharField(max_length=64)
    basic = models.JSONField("基本資料", null=True, blank=True)
    courses = models.JSONField("修課紀錄", default=list)
    # The student's manifest entry exactly as received: the record re-exports without loss (R38).
    entry = models.JSONField("收件原文", default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "academic_year", "semester", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school", "kind", "academic_year", "semester", "version"],
                name="record_version_unique",
            ),
            models.UniqueConstraint(
                fields=["student", "school", "kind", "academic_year", "semester"],
                condition=Q(is_current=True),
                name="record_one_current",
            ),
        ]
        indexes = [models.Index(fields=["school", "academic_year", "semester", "kind"])]

    def __str__(self) -> str:
        return f"{self.student} {self.academic_year}-{self.semester} v{self.version}"

    @property
    def term_label(self) -> str:
        return roc.period_label(self.academic_year, self.semester)


class CentralItem(models.Model):
    """A course learning outcome or diverse performance held centrally (中央資料庫項目)."""

    record = models.ForeignKey(CentralRecord, on_delete=models.PROTECT, related_name="items")
    student = models.ForeignKey(CentralStudent, on_delete=models.PROTECT, related_name="items")
    local_id = models.CharField("學校端編號", max_length=64)
    item_type = models.CharField("項目類別", max_length=20, choices=ItemType.choices)
    academic_year = models.PositiveSmallIntegerField("所屬學年度")
    semester = models.PositiveSmallIntegerField("學期", null=True, blank=True)
    title = models.CharField("標題", max_length=200)
    description = models.CharField("簡述", max_length=100, blank=True)
    course_code = models.CharField("課程代碼", max_length=32, blank=True)
    course_name = models.CharField("課程名稱", max_length=100, blank=True)
    certified_on = models.DateField("認證日期", null=True, blank=True)
    category = models.CharField("多元表現類別", max_length=40, blank=True)
    activity_date = models.DateField("活動日期", null=True, blank=True)
    link = models.CharField("連結", max_length=500, blank=True)
    # Exchange format 1.1 (empty for items a 1.0 package sent).
    end_date = models.DateField("結束日期", null=True, blank=True)
    details = models.JSONField("類別欄位", default=dict, blank=True)
    source = models.CharField("登錄來源", max_length=12, blank=True)
    certified_by_name = models.CharField("認證教師", max_length=100, blank=True)
    return_reason = models.CharField("退回原因", max_length=20, blank=True)
    return_note = models.CharField("退回說明", max_length=200, blank=True)

    class Meta:
        ordering = ["record", "item_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "local_id"], name="item_once_per_record")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def detail_rows(self) -> list[tuple[str, str]]:
        """A performance's category fields (類別欄位) as (label, value)."""
        return detail_rows(self.category, self.details or {})


class CentralFile(models.Model):
    """A file of a central item (項目檔案): its name and type as sent, its bytes in a ``Blob``."""

    item = models.ForeignKey(CentralItem, on_delete=models.PROTECT, related_name="files")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="uses")
    name = models.CharField("檔名", max_length=255)
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def sha256(self) -> str:
        return self.blob_id

    @property
    def size(self) -> int:
        return self.blob.size


class ReceiptAck(models.Model):
    """A student's confirmation of a receipt (收訖確認, R36) for one version of their record."""

    record = models.OneToOneField(CentralRecord, on_delete=models.CASCADE, related_name="ack")
    status = models.CharField(
        "確認狀態", max_length=20, choices=AckStatus.choices, default=AckStatus.PENDING
    )
    closes_on = models.DateField("確認截止日")
    message = models.TextField("問題說明", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    school_due_on = models.DateField("學校處理期限", null=True, blank=True)
    school_note = models.TextField("學校處理說明", blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["closes_on", "id"]
        indexes = [models.Index(fields=["status", "school_due_on"])]

    def __str__(self) -> str:
        return f"{self.record} {self.get_status_display()}"
