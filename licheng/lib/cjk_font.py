"""A Traditional Chinese font for generated PDFs (Debian's Noto Sans CJK TC), made fast.

Subsetting the 19 MB CJK collection for every PDF costs over half a second. Instead two fonts are
cut once and cached on disk: the common characters of Big5 (常用字, ≈5,400, plus symbols) and the
whole Big5 repertoire (≈13,000, the rarer 次常用字 too). Each PDF embeds a small subset of the
smallest one that has every character of its text; the fewer glyphs the font holds, the faster
fpdf2 loads and subsets it. Text outside Big5 (a rare name) falls back to the full collection:
slower, still correct.
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
# Big5 lead bytes: A1–A3 symbols, A4–C6 常用字 (level 1), C9–F9 次常用字 (level 2).
COMMON_LEADS = range(0xA1, 0xC7)
ALL_LEADS = range(0xA1, 0xFA)
TIERS = {"big5-common": COMMON_LEADS, "big5": ALL_LEADS}
_lock = threading.Lock()
# fontTools logs every table of every subset (fpdf2 subsets on each PDF) at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@cache
def repertoire(tier: str) -> frozenset[str]:
    """The characters of a tier: its Big5 range plus ASCII, CJK punctuation, full-width forms."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for lead in TIERS[tier]:
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                continue
    for start, end in ((0x2000, 0x2070), (0x2190, 0x2200), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        chars.update(chr(c) for c in range(start, end))
    return frozenset(chars)


def tier_for(text: str) -> str | None:
    """The smallest cached font with every character of ``text`` (None: use the collection)."""
    needed = set(text) - set("\n\r\t")
    for tier in TIERS:
        if needed <= repertoire(tier):
            return tier
    return None


def font_for(text: str, cache_dir: Path) -> tuple[Path, int]:
    """Font file and collection face to set ``text`` in."""
    tier = tier_for(text)
    if tier is None:
        return NOTO_CJK, TC_FACE
    return cached_font(cache_dir, tier), 0


def cached_font(cache_dir: Path, tier: str = "big5") -> Path:
    """A tier's subset of Noto Sans CJK TC, cut on first use and kept in ``cache_dir``."""
    target = cache_dir / f"noto-sans-tc-{tier}-v{CACHE_VERSION}.otf"
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
        subsetter.populate(unicodes={ord(c) for c in repertoire(tier)})
        subsetter.subset(font)
        # Write then rename: a concurrent reader never sees half a font.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".otf")
        os.close(fd)
        font.save(tmp)
        os.replace(tmp, target)
    return target
