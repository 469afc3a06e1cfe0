from django.db import models


class FileKind(models.TextChoices):
    """Kind of a stored file (檔案類型), detected from its content, not its name (R10, R16)."""

    PDF = "pdf", "PDF 文件"
    JPG = "jpg", "JPG 圖片"
    PNG = "png", "PNG 圖片"
    MP3 = "mp3", "MP3 音訊"
    MP4 = "mp4", "MP4 影片"

    @property
    def is_media(self) -> bool:
        return self in (FileKind.MP3, FileKind.MP4)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.MP3: "audio/mpeg",
    FileKind.MP4: "video/mp4",
}
