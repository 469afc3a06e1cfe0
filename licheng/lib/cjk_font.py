"""A Traditional Chinese font for generated PDFs (Debian's Noto Sans CJK TC), made fast.

Subsetting the 19 MB CJK collection for every PDF costs about half a second. Instead a font of
the Big5 repertoire (≈14,000 characters: what Taiwanese text uses) is cut once, cached on disk,
and every PDF embeds its own small subset of that. Text with a character outside Big5 (a rare
name) falls back to the full collection, slower but still correct.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from functools import cache
from pathlib import Path

NOTO_CJK = Path(
    os.environ.get("LICHENG_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
)
TC_FACE = 3  # face index of "Noto Sans CJK TC" in the collection (JP, KR, SC, TC, HK, ...)
CACHE_VERSION = "1"
_lock = threading.Lock()
# fontTools logs every table of every subset (fpdf2 subsets on each PDF) at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@cache
def big5_repertoire() -> frozenset[str]:
    """Every character Big5 encodes, plus ASCII, CJK punctuation and full-width forms."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for lead in range(0xA1, 0xFA):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                continue
    for start, end in ((0x2000, 0x2070), (0x2190, 0x2200), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        chars.update(chr(c) for c in range(start, end))
    return frozenset(chars)


def covers(text: str) -> bool:
    """Whether the cached subset has every character of ``text``."""
    repertoire = big5_repertoire()
    return all(ch in repertoire or ch in "\n\r\t" for ch in text)


def cached_font(cache_dir: Path) -> Path:
    """The Big5 subset of Noto Sans CJK TC, cut on first use and kept in ``cache_dir``."""
    target = cache_dir / f"noto-sans-tc-big5-v{CACHE_VERSION}.otf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        from fontTools import subset
        from fontTools.ttLib import TTFont

        cache_dir.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(NOTO_CJK), fontNumber=TC_FACE)
        options = subset.Options()
        options.layout_features = []  # no shaping needed for horizontal CJK text
        options.hinting = False
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in big5_repertoire()})
        subsetter.subset(font)
        # Write then rename: a concurrent reader never sees half a font.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".otf")
        os.close(fd)
        font.save(tmp)
        os.replace(tmp, target)
    return target
