"""Which kinds of file each upload slot accepts, and their size limits (R7, R10, R16)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext

from .enums import FileKind

MB = 1024 * 1024

# R10, R16: documents ≤ 4 MB, media ≤ 10 MB. R7: counselling files ≤ 2 MB.
DOCUMENT_MAX_BYTES = 4 * MB
MEDIA_MAX_BYTES = 10 * MB
COUNSELLING_MAX_BYTES = 2 * MB

EXTENSIONS: dict[str, FileKind] = {
    "pdf": FileKind.PDF,
    "jpg": FileKind.JPG,
    "jpeg": FileKind.JPG,
    "png": FileKind.PNG,
    "mp3": FileKind.MP3,
    "mp4": FileKind.MP4,
}


@dataclass(frozen=True)
class KindRules:
    """The kinds an upload slot accepts, each with its size limit in bytes."""

    limits: dict[FileKind, int]

    @property
    def largest(self) -> int:
        return max(self.limits.values())

    @property
    def extensions_label(self) -> str:
        return pgettext("list separator", "、").join(
            dict.fromkeys(k.value.upper() for k in self.limits)
        )

    def __or__(self, other: KindRules) -> KindRules:
        return KindRules({**self.limits, **other.limits})


DOCUMENT = KindRules(dict.fromkeys((FileKind.PDF, FileKind.JPG, FileKind.PNG), DOCUMENT_MAX_BYTES))
MEDIA = KindRules(dict.fromkeys((FileKind.MP3, FileKind.MP4), MEDIA_MAX_BYTES))
# A performance's proof may be a document or a media file (R16).
PROOF = DOCUMENT | MEDIA
COUNSELLING = KindRules(
    dict.fromkeys((FileKind.PDF, FileKind.JPG, FileKind.PNG), COUNSELLING_MAX_BYTES)
)


def megabytes(size: int) -> str:
    """``4.3 MB`` the way the limit messages print sizes: one decimal, rounded up so a file just
    over the limit never reads as exactly the limit."""
    tenths = -(-size * 10 // MB)
    return f"{tenths // 10}.{tenths % 10} MB" if tenths % 10 else f"{tenths // 10} MB"
