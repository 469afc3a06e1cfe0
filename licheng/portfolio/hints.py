"""Quality hints (品質提示): what reviewers say students get wrong (DOMAIN §3, seeds 000 and 003).

Hints warn and never block: an upload is accepted whatever they say. A few say beforehand what
the upload's own rules will refuse (``refused``: too long, a kind or size no upload takes, a file
that is not what it claims); the page shows those apart from the reviewers' advice. Each rule is
a small function; ``description_hints``, ``file_hints`` and ``chosen_file_hints`` (a file picked
but not yet uploaded) run them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from licheng.evidence.rules import megabytes
from licheng.lib.text import char_count

from .models import DESCRIPTION_MAX_CHARS

# Descriptions reviewers quote as empty: they say nothing about the work.
BOILERPLATE = ("謝謝老師", "如附檔", "如附件", "詳見附件", "收穫滿滿", "如題", "獲益良多", "無")
LEARNED = ("學到", "學會", "發現", "體會", "了解", "理解", "明白", "反思", "認識到", "意識到")
NEXT_STEPS = ("下次", "未來", "接下來", "之後", "以後", "希望", "計畫", "打算", "改進", "想要")
GROUP_WORK = ("小組", "團隊", "分組", "組員", "我們", "合作", "團體", "共同")
OWN_PART = ("我負責", "我擔任", "我的部分", "本人負責", "我主要", "由我", "我的工作", "我完成")
QR_CODE = ("QR", "qr", "掃描", "條碼")
MIN_CHARS = 30  # shorter than this cannot say what was done and learned
MAX_PDF_PAGES = 10  # reviewers read a few pages per item; a long file buries the point


@dataclass(frozen=True)
class Hint:
    code: str
    message: str
    # True when the upload's rules (R10, R16), not the hint, will refuse what it points at.
    refused: bool = False


@dataclass(frozen=True)
class Shown:
    """Hints as a page shows them: what the upload will refuse, apart from the advice."""

    refused: list[Hint]
    advice: list[Hint]

    def __bool__(self) -> bool:
        return bool(self.refused or self.advice)


def shown(hints: list[Hint]) -> Shown:
    return Shown([h for h in hints if h.refused], [h for h in hints if not h.refused])


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def description_hints(text: str, *, group_work: bool = False) -> list[Hint]:
    """Warnings about a description (簡述); an empty list when it reads well."""
    text = text.strip()
    hints: list[Hint] = []
    if char_count(text) > DESCRIPTION_MAX_CHARS:  # R10, R16: it would be refused on saving
        hints.append(
            Hint(
                "too_long",
                _("簡述 %(n)s 字，超過 %(limit)s 字上限：請刪減，否則無法儲存。")
                % {"n": char_count(text), "limit": DESCRIPTION_MAX_CHARS},
                refused=True,
            )
        )
    stripped = text.strip("。！!．. ")
    if stripped in BOILERPLATE or (char_count(text) < 15 and _has(text, BOILERPLATE)):
        hints.append(
            Hint(
                "boilerplate",
                _(
                    "簡述只有客套話（如「謝謝老師」「如附檔」「收穫滿滿」），審查委員看不出你做了什麼。"
                ),
            )
        )
    elif char_count(text) < MIN_CHARS:
        hints.append(
            Hint(
                "too_short",
                _("簡述很短（%(n)s 字）：試著寫出你做了什麼、遇到什麼困難。")
                % {"n": char_count(text)},
            )
        )
    if text and not _has(text, LEARNED):
        hints.append(Hint("no_learning", _("沒有提到學到什麼：加一句「我學到／發現……」。")))
    if text and not _has(text, NEXT_STEPS):
        hints.append(Hint("no_next_step", _("沒有提到接下來的打算：加一句「下次／未來我會……」。")))
    if (group_work or _has(text, GROUP_WORK)) and not _has(text, OWN_PART):
        hints.append(
            Hint(
                "no_own_part", _("這是團體作品：請說明你自己負責的部分與貢獻（例如「我負責……」）。")
            )
        )
    if _has(text, QR_CODE):
        hints.append(Hint("qr_code", _("審查資料無法掃描 QR code：請改附網址連結。")))
    return hints


def file_hints(page_count: int | None) -> list[Hint]:
    """Warnings about an uploaded file: too many pages for a reviewer to read."""
    if page_count is not None and page_count > MAX_PDF_PAGES:
        return [
            Hint(
                "too_many_pages",
                _(
                    "PDF 有 %(n)s 頁：審查委員每件只看幾頁，建議精簡到 %(max)s 頁以內，把重點放前面。"
                )
                % {"n": page_count, "max": MAX_PDF_PAGES},
            )
        ]
    return []


def chosen_file_hints(
    *,
    size: int,
    limit: int | None,
    page_count: int | None,
    accepted: str = "",
    refusal: str = "",
) -> list[Hint]:
    """Warnings about a file the student has just chosen, before the form is saved.

    ``limit`` is the upload limit for the file's kind in the slot it was chosen for (None for a
    kind the slot does not take, ``accepted`` naming what it does: said at once); a file over it
    is not even opened. ``refusal`` is what the upload's checks would answer (a renamed file, a
    damaged or encrypted PDF): said now rather than after the form is sent.
    """
    if limit is None:
        return [
            Hint(
                "not_accepted",
                _("這種檔案無法上傳：此欄可上傳 %(accepted)s。") % {"accepted": accepted}
                if accepted
                else _(
                    "這種檔案無法上傳：請用 PDF、JPG、PNG（4 MB 以內）或 MP3、MP4（10 MB 以內）。"
                ),
                refused=True,
            )
        ]
    if size > limit:
        return [
            Hint(
                "too_large",
                _("檔案 %(size)s，超過 %(limit)s 上限，上傳時不會被接受：請先壓縮或精簡。")
                % {"size": megabytes(size), "limit": megabytes(limit)},
                refused=True,
            )
        ]
    if refusal:
        return [Hint("refused", _("上傳時不會被接受：%(reason)s") % {"reason": refusal}, True)]
    return file_hints(page_count)


def too_many_files(chosen: int, most: int, unchecked: list[str]) -> Hint:
    """More proofs chosen than one performance takes (R16): the upload refuses them all; the
    files past the first ``most`` are not checked, and named so."""
    return Hint(
        "too_many_files",
        _(
            "一次最多 %(most)s 個檔案，您選了 %(n)s 個：上傳時不會被接受，請減少後再選"
            "（未檢查：%(names)s）。"
        )
        % {"most": most, "n": chosen, "names": pgettext("list separator", "、").join(unchecked)},
        refused=True,
    )


def outcome_hints(outcome) -> list[Hint]:
    hints = description_hints(outcome.description)
    if outcome.document is not None:
        hints += file_hints(outcome.document.page_count)
    return hints
