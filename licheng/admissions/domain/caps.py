"""Channel caps (各管道上傳件數上限, R28): defaults per channel, a department's lower caps, checks.

The caps are data of each admission year: these defaults are only what a new year starts with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..enums import ChannelKind, ItemKind
from ..models import Channel, Department


@dataclass(frozen=True)
class Caps:
    """Effective caps for one application: the channel's, lowered by the department's."""

    max_outcomes: int
    max_performances: int
    max_project_outcomes: int | None = None
    min_project_outcomes: int = 0
    max_other_outcomes: int | None = None


# R28 defaults. Technical-college channels: ≤ 6 專題實作及實習 outcomes (at least 1) plus ≤ 3 other
# course outcomes; the university channel: ≤ 3 outcomes; 四技申請: ≤ 6; ≤ 10 performances everywhere.
DEFAULT_CAPS: dict[ChannelKind, Caps] = {
    ChannelKind.UNIVERSITY_APPLICATION: Caps(max_outcomes=3, max_performances=10),
    ChannelKind.TECH_SELECTION: Caps(
        max_outcomes=9,
        max_performances=10,
        max_project_outcomes=6,
        min_project_outcomes=1,
        max_other_outcomes=3,
    ),
    ChannelKind.TECH_SKILLS: Caps(
        max_outcomes=9,
        max_performances=10,
        max_project_outcomes=6,
        min_project_outcomes=1,
        max_other_outcomes=3,
    ),
    ChannelKind.TECH_APPLICATION: Caps(max_outcomes=6, max_performances=10),
}


def channel_caps(channel: Channel) -> Caps:
    return Caps(
        max_outcomes=channel.max_outcomes,
        max_performances=channel.max_performances,
        max_project_outcomes=channel.max_project_outcomes,
        min_project_outcomes=channel.min_project_outcomes,
        max_other_outcomes=channel.max_other_outcomes,
    )


def _lower(channel_cap: int | None, department_cap: int | None) -> int | None:
    if department_cap is None:
        return channel_cap
    if channel_cap is None:
        return department_cap
    return min(channel_cap, department_cap)


def caps_for(department: Department) -> Caps:
    """R28: the department's caps apply only where they are lower than the channel's."""
    base = channel_caps(department.channel)
    max_project = _lower(base.max_project_outcomes, department.max_project_outcomes)
    return Caps(
        max_outcomes=_lower(base.max_outcomes, department.max_outcomes) or 0,
        max_performances=_lower(base.max_performances, department.max_performances) or 0,
        max_project_outcomes=max_project,
        min_project_outcomes=min(base.min_project_outcomes, max_project or 0)
        if max_project is not None
        else 0,
        max_other_outcomes=base.max_other_outcomes,
    )


def department_cap_errors(department: Department) -> list[str]:
    """R28: a department may set lower caps, never higher ones than its channel's."""
    channel = department.channel
    errors = []
    pairs = [
        ("課程學習成果", department.max_outcomes, channel.max_outcomes),
        ("專題實作及實習成果", department.max_project_outcomes, channel.max_project_outcomes),
        ("多元表現", department.max_performances, channel.max_performances),
    ]
    for label, own, limit in pairs:
        if own is None:
            continue
        if limit is None:
            errors.append(f"{channel.get_kind_display()}沒有「{label}」這一類，不可設定上限")
        elif own > limit:
            errors.append(f"{label}上限 {own} 件高於管道上限 {limit} 件；校系只能調降上限")
    if department.max_project_outcomes is not None and department.max_project_outcomes < (
        channel.min_project_outcomes
    ):
        errors.append(
            f"專題實作及實習成果上限不可低於管道規定的至少 {channel.min_project_outcomes} 件"
        )
    return errors


def cap_errors(caps: Caps, kinds: Iterable[str]) -> list[str]:
    """R28: the picked items' kinds against the caps; one message per broken cap."""
    count = Counter(kinds)
    projects = count[ItemKind.PROJECT_OUTCOME]
    others = count[ItemKind.OUTCOME]
    errors = []
    if caps.max_project_outcomes is None and projects:
        errors.append("此管道不收「專題實作及實習成果」，請改選一般課程學習成果")
    if caps.max_project_outcomes is not None and projects > caps.max_project_outcomes:
        errors.append(
            f"專題實作及實習成果最多 {caps.max_project_outcomes} 件，目前選了 {projects} 件"
        )
    if caps.max_other_outcomes is not None and others > caps.max_other_outcomes:
        errors.append(f"其他課程學習成果最多 {caps.max_other_outcomes} 件，目前選了 {others} 件")
    if projects + others > caps.max_outcomes:
        errors.append(
            f"課程學習成果合計最多 {caps.max_outcomes} 件，目前選了 {projects + others} 件"
        )
    if count[ItemKind.PERFORMANCE] > caps.max_performances:
        errors.append(
            f"多元表現最多 {caps.max_performances} 件，目前選了 {count[ItemKind.PERFORMANCE]} 件"
        )
    return errors


def minimum_errors(caps: Caps, kinds: Iterable[str]) -> list[str]:
    """R28: at least ``min_project_outcomes`` 專題實作及實習 outcomes, checked when submitting."""
    projects = sum(1 for k in kinds if k == ItemKind.PROJECT_OUTCOME)
    if projects < caps.min_project_outcomes:
        return [f"此管道至少須有 {caps.min_project_outcomes} 件專題實作及實習成果"]
    return []
