"""Channel caps (各管道上傳件數上限, R28): defaults per channel, a department's lower caps, checks.

The caps are data of each admission year: these defaults are only what a new year starts with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

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
        (gettext("課程學習成果"), department.max_outcomes, channel.max_outcomes),
        (
            gettext("專題實作及實習成果"),
            department.max_project_outcomes,
            channel.max_project_outcomes,
        ),
        (gettext("多元表現"), department.max_performances, channel.max_performances),
    ]
    for label, own, limit in pairs:
        if own is None:
            continue
        if limit is None:
            errors.append(
                gettext("%(channel)s沒有「%(kind)s」這一類，不可設定上限")
                % {"channel": channel.get_kind_display(), "kind": label}
            )
        elif own > limit:
            errors.append(
                gettext("%(kind)s上限 %(own)s 件高於管道上限 %(limit)s 件；校系只能調降上限")
                % {"kind": label, "own": own, "limit": limit}
            )
    if department.max_project_outcomes is not None and department.max_project_outcomes < (
        channel.min_project_outcomes
    ):
        errors.append(
            gettext("專題實作及實習成果上限不可低於管道規定的至少 %(n)s 件")
            % {"n": channel.min_project_outcomes}
        )
    return errors


def cap_errors(caps: Caps, kinds: Iterable[str]) -> list[str]:
    """R28: the picked items' kinds against the caps; one message per broken cap."""
    count = Counter(kinds)
    projects = count[ItemKind.PROJECT_OUTCOME]
    others = count[ItemKind.OUTCOME]
    errors = []
    if caps.max_project_outcomes is None and projects:
        errors.append(gettext("此管道不收「專題實作及實習成果」，請改選一般課程學習成果"))
    if caps.max_project_outcomes is not None and projects > caps.max_project_outcomes:
        errors.append(
            gettext("專題實作及實習成果最多 %(limit)s 件，目前選了 %(n)s 件")
            % {"limit": caps.max_project_outcomes, "n": projects}
        )
    if caps.max_other_outcomes is not None and others > caps.max_other_outcomes:
        errors.append(
            gettext("其他課程學習成果最多 %(limit)s 件，目前選了 %(n)s 件")
            % {"limit": caps.max_other_outcomes, "n": others}
        )
    if projects + others > caps.max_outcomes:
        errors.append(
            gettext("課程學習成果合計最多 %(limit)s 件，目前選了 %(n)s 件")
            % {"limit": caps.max_outcomes, "n": projects + others}
        )
    if count[ItemKind.PERFORMANCE] > caps.max_performances:
        errors.append(
            gettext("多元表現最多 %(limit)s 件，目前選了 %(n)s 件")
            % {"limit": caps.max_performances, "n": count[ItemKind.PERFORMANCE]}
        )
    return errors


def minimum_errors(caps: Caps, kinds: Iterable[str]) -> list[str]:
    """R28: at least ``min_project_outcomes`` 專題實作及實習 outcomes, checked when submitting."""
    projects = sum(1 for k in kinds if k == ItemKind.PROJECT_OUTCOME)
    if projects < caps.min_project_outcomes:
        return [
            gettext("此管道至少須有 %(n)s 件專題實作及實習成果") % {"n": caps.min_project_outcomes}
        ]
    return []
