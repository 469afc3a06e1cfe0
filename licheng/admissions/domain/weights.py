"""Stage-two score weights (第二階段成績比例, R30), validated clause by clause.

Each broken clause gets its own message, so a committee sees everything to fix at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from ..enums import ChannelKind, SubjectKind, WeightPart

# R30 (甄選入學 stage two).
MAX_UNIFIED_EXAM_SHARE = Decimal(40)
MIN_PORTFOLIO_SHARE = Decimal(40)
MAX_EXAM_SUBJECTS = 4
TOTAL_SHARE = Decimal(100)
# Both review parts are mandatory in 甄選入學 (專題實作及實習 and 學習歷程資料審查).
MANDATORY_REVIEW_PARTS = (WeightPart.PROJECT_REVIEW, WeightPart.PORTFOLIO_REVIEW)
PORTFOLIO_PARTS = MANDATORY_REVIEW_PARTS
# The channels whose stage two R30 governs; the others only need shares that add to 100%.
R30_CHANNELS = frozenset({ChannelKind.TECH_SELECTION})


@dataclass(frozen=True)
class ExamSubject:
    """A unified-exam subject (統測科目) and its weight (加權)."""

    name: str
    kind: SubjectKind
    weight: Decimal


@dataclass(frozen=True)
class ScoreWeights:
    """The shares (percent) of each part, and the unified-exam subjects."""

    parts: dict[WeightPart, Decimal] = field(default_factory=dict)
    subjects: tuple[ExamSubject, ...] = ()

    def share(self, part: WeightPart) -> Decimal:
        return self.parts.get(part, Decimal(0))

    @property
    def portfolio_share(self) -> Decimal:
        return sum((self.share(p) for p in PORTFOLIO_PARTS), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "parts": {p.value: str(v) for p, v in self.parts.items() if v},
            "subjects": [
                {"name": s.name, "kind": s.kind.value, "weight": str(s.weight)}
                for s in self.subjects
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ScoreWeights:
        data = data or {}
        parts = {WeightPart(k): Decimal(v) for k, v in (data.get("parts") or {}).items()}
        subjects = tuple(
            ExamSubject(s["name"], SubjectKind(s["kind"]), Decimal(s["weight"]))
            for s in data.get("subjects") or []
        )
        return cls(parts=parts, subjects=subjects)


def parse_decimal(text: Any, label: str) -> Decimal:
    try:
        value = Decimal(str(text).strip() or "0")
    except InvalidOperation:
        raise ValueError(gettext("%(field)s必須是數字") % {"field": label}) from None
    if not value.is_finite():
        raise ValueError(gettext("%(field)s必須是數字") % {"field": label})
    return value


def weight_errors(weights: ScoreWeights, channel_kind: str) -> list[str]:
    """R30, one message per broken clause (empty when the weights are valid)."""
    errors = []
    for part, share in weights.parts.items():
        if share < 0 or share > TOTAL_SHARE:
            errors.append(gettext("「%(part)s」比例須介於 0%% 到 100%%") % {"part": part.label})
    total = sum(weights.parts.values(), Decimal(0))
    if total != TOTAL_SHARE:
        errors.append(
            gettext("各項比例合計須為 100%%（目前為 %(total)s%%）")
            % {"total": f"{total.normalize():f}"}
        )
    for subject in weights.subjects:
        if subject.weight <= 0:
            errors.append(
                gettext("統測科目「%(subject)s」的加權須大於 0") % {"subject": subject.name}
            )
    if channel_kind not in R30_CHANNELS:
        return errors
    exam = weights.share(WeightPart.UNIFIED_EXAM)
    if exam == 0:
        errors.append(gettext("統一入學測驗成績比例不可為 0%"))
    elif exam > MAX_UNIFIED_EXAM_SHARE:
        errors.append(
            gettext("統一入學測驗成績比例不可超過 40%%（目前為 %(share)s%%）")
            % {"share": f"{exam.normalize():f}"}
        )
    if weights.portfolio_share < MIN_PORTFOLIO_SHARE:
        errors.append(
            gettext(
                "書面資料審查（專題實作及實習成果審查＋學習歷程資料審查）合計須至少 40%%"
                "（目前為 %(share)s%%）"
            )
            % {"share": f"{weights.portfolio_share.normalize():f}"}
        )
    for part in MANDATORY_REVIEW_PARTS:
        if weights.share(part) <= 0:
            errors.append(gettext("「%(part)s」為必要項目，比例須大於 0%%") % {"part": part.label})
    if len(weights.subjects) > MAX_EXAM_SUBJECTS:
        errors.append(
            gettext("統測採計科目最多 4 科（目前 %(n)s 科）") % {"n": len(weights.subjects)}
        )
    if exam > 0 and not weights.subjects:
        errors.append(gettext("請列出統測採計科目及加權"))
    common = sum((s.weight for s in weights.subjects if s.kind == SubjectKind.COMMON), Decimal(0))
    professional = sum(
        (s.weight for s in weights.subjects if s.kind == SubjectKind.PROFESSIONAL), Decimal(0)
    )
    if weights.subjects and professional <= common:
        errors.append(
            gettext("專業科目加權合計（%(professional)s）須大於共同科目加權合計（%(common)s）")
            % {"professional": f"{professional.normalize():f}", "common": f"{common.normalize():f}"}
        )
    return errors
