import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import FileKind


class StoredFile(models.Model):
    """A stored evidence file (存證檔案): immutable bytes with their SHA-256, size and detected kind.

    Rows are never updated after creation: replacing an item's file stores a new one and keeps
    this one (the 2021 loss of 25,210 files is what this app exists to prevent).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Name inside the storage back-end; random, never derived from user input or guessable.
    storage_name = models.CharField("儲存名稱", max_length=200, unique=True)
    original_name = models.CharField("原始檔名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（位元組）")
    kind = models.CharField("檔案類型", max_length=8, choices=FileKind.choices)
    # Extra facts found while validating (PDF page count, image size, media duration…).
    page_count = models.PositiveIntegerField("頁數", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_files",
    )
    # The student whose storage quota (R34) the file counts against; empty for files that count
    # against no one (organizer imports, R19).
    owner = models.ForeignKey(
        "schools.Student",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_files",
    )
    created_at = models.DateTimeField("上傳時間", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="sha256_hex"),
        ]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_kind(self) -> FileKind:
        return FileKind(self.kind)

    @property
    def content_type(self) -> str:
        return self.file_kind.content_type
