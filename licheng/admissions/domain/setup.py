"""The admission committee's set-up (甄選會/聯合會): years, channels and caps, departments,
rubrics, weights, reviewers, and a department import from a spreadsheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from licheng.audit.domain import changes, record

from ..enums import ChannelKind, RequiredItem
from ..models import AdmissionYear, Channel, Department, DepartmentReviewer, RubricCriterion
from . import AdmissionError
from .caps import DEFAULT_CAPS, department_cap_errors
from .weights import ScoreWeights, weight_errors

CHANNEL_CAP_FIELDS = [
    "max_outcomes",
    "max_project_outcomes",
    "min_project_outcomes",
    "max_other_outcomes",
    "max_performances",
    "registration_opens_on",
    "registration_closes_on",
]
DEPARTMENT_FIELDS = [
    "code",
    "university",
    "name",
    "max_outcomes",
    "max_project_outcomes",
    "max_performances",
    "required_items",
    "rubric_levels",
    "discrepancy_threshold",
    "review_opens_on",
    "review_closes_on",
    "hide_names",
]
MAX_CRITERIA = 12


@transaction.atomic
def create_year(year: int, *, actor: Any, name: str = "") -> AdmissionYear:
    """A new admission year, its four channels starting from R28's default caps."""
    if AdmissionYear.objects.filter(year=year).exists():
        raise AdmissionError(gettext("%(year)s學年度已經建立") % {"year": year}, field="year")
    admission_year = AdmissionYear.objects.create(year=year, name=name.strip())
    for kind, caps in DEFAULT_CAPS.items():
        Channel.objects.create(
            year=admission_year,
            kind=kind,
            max_outcomes=caps.max_outcomes,
            max_project_outcomes=caps.max_project_outcomes,
            min_project_outcomes=caps.min_project_outcomes,
            max_other_outcomes=caps.max_other_outcomes,
            max_performances=caps.max_performances,
        )
    record("admissions.year_created", actor=actor, obj=admission_year, after={"year": year})
    return admission_year


def channel_errors(kind: str, values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    has_project = values.get("max_project_outcomes") is not None
    if kind in (ChannelKind.TECH_SELECTION, ChannelKind.TECH_SKILLS) and not has_project:
        errors["max_project_outcomes"] = gettext("技專校院管道須設定專題實作及實習成果上限")
    if has_project and values.get("min_project_outcomes", 0) > values["max_project_outcomes"]:
        errors["min_project_outcomes"] = gettext("專題實作及實習成果下限不可高於上限")
    if (values.get("min_project_outcomes") or 0) > 0 and not has_project:
        errors["min_project_outcomes"] = gettext("沒有專題實作及實習成果上限時，下限須為 0")
    if has_project and values["max_project_outcomes"] > values["max_outcomes"]:
        errors["max_project_outcomes"] = gettext(
            "專題實作及實習成果上限不可高於課程學習成果合計上限"
        )
    opens, closes = values.get("registration_opens_on"), values.get("registration_closes_on")
    if opens and closes and closes < opens:
        errors["registration_closes_on"] = gettext("報名截止日期不可早於開始日期")
    return errors


@transaction.atomic
def update_channel(channel: Channel, *, actor: Any, **values: Any) -> Channel:
    """Change a channel's caps for its year (R28: the caps are data, e.g. 113's lower cap)."""
    unknown = set(values) - set(CHANNEL_CAP_FIELDS)
    if unknown:
        raise AdmissionError(
            gettext("未知的欄位：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    merged = {f: getattr(channel, f) for f in CHANNEL_CAP_FIELDS} | values
    errors = channel_errors(channel.kind, merged)
    if errors:
        field, message = next(iter(errors.items()))
        raise AdmissionError(message, field=field, messages=list(errors.values()))
    before, after = changes(channel, CHANNEL_CAP_FIELDS, values)
    for k, v in values.items():
        setattr(channel, k, v)
    channel.save()
    if after:
        record("admissions.channel_changed", actor=actor, obj=channel, before=before, after=after)
    # A lowered channel cap may leave a department's own cap above it: say so rather than keep it.
    for department in channel.departments.all():
        if department_cap_errors(department):
            raise AdmissionError(
                gettext("%(department)s的上限高於新的管道上限，請先調降校系上限")
                % {"department": department},
                field="max_outcomes",
            )
    return channel


def _department_errors(department: Department) -> list[str]:
    errors = department_cap_errors(department)
    unknown = [r for r in department.required_items if r not in RequiredItem.values]
    if unknown:
        errors.append(gettext("必繳項目有不認得的類別"))
    if department.discrepancy_threshold < 0 or department.discrepancy_threshold > 100:
        errors.append(gettext("差分檢核門檻須介於 0 到 100 分"))
    opens, closes = department.review_opens_on, department.review_closes_on
    if (opens is None) != (closes is None):
        errors.append(gettext("審查期間須同時填寫開始與截止日期"))
    elif opens and closes and closes < opens:
        errors.append(gettext("審查截止日期不可早於開始日期"))
    if not 2 <= department.rubric_levels <= 10:
        errors.append(gettext("評分等級數須介於 2 到 10"))
    return errors


@transaction.atomic
def save_department(
    channel: Channel, *, actor: Any, department: Department | None = None, **values: Any
) -> Department:
    """Create or change a department (校系) of a channel; its caps may only be lower (R28)."""
    unknown = set(values) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise AdmissionError(
            gettext("未知的欄位：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    creating = department is None
    if (
        department is not None
        and values.get("rubric_levels", department.rubric_levels) != department.rubric_levels
        and department.reviews_started
    ):
        raise AdmissionError(
            gettext("已有審查委員評分，不可再變更評分等級數"), field="rubric_levels"
        )
    target = department or Department(channel=channel)
    before, after = changes(target, DEPARTMENT_FIELDS, values) if not creating else ({}, values)
    for k, v in values.items():
        setattr(target, k, v)
    if not target.code.strip():
        raise AdmissionError(gettext("請填寫校系代碼"), field="code")
    duplicate = Department.objects.filter(channel=channel, code=target.code).exclude(pk=target.pk)
    if duplicate.exists():
        raise AdmissionError(
            gettext("校系代碼 %(code)s 已經存在") % {"code": target.code}, field="code"
        )
    errors = _department_errors(target)
    if errors:
        raise AdmissionError(errors[0], messages=errors)
    if target.rubric_levels and not creating:
        # Changing the number of levels keeps each criterion's descriptors the same length.
        for criterion in target.criteria.all():
            descriptors = (criterion.descriptors + [""] * target.rubric_levels)[
                : target.rubric_levels
            ]
            if descriptors != criterion.descriptors:
                criterion.descriptors = descriptors
                criterion.save(update_fields=["descriptors"])
    target.save()
    action = "admissions.department_created" if creating else "admissions.department_changed"
    if creating or after:
        record(action, actor=actor, obj=target, before=before, after=after)
    return target


@transaction.atomic
def set_weights(department: Department, weights: ScoreWeights, *, actor: Any) -> Department:
    """Save the stage-two weights after checking every R30 clause (each broken one is named)."""
    errors = weight_errors(weights, department.channel.kind)
    if errors:
        raise AdmissionError(errors[0], messages=errors)
    before = department.weights
    department.weights = weights.to_json()
    department.save(update_fields=["weights"])
    record(
        "admissions.weights_set",
        actor=actor,
        obj=department,
        before={"weights": before},
        after={"weights": department.weights},
    )
    return department


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int
    descriptors: tuple[str, ...]


@transaction.atomic
def set_rubric(
    department: Department, criteria: list[CriterionSpec], *, actor: Any
) -> list[RubricCriterion]:
    """Replace the department's rubric (評分尺規): criteria × levels with descriptors (R41)."""
    if department.reviews_started:
        raise AdmissionError(gettext("已有審查委員評分，不可再修改評分尺規"))
    errors = []
    if not criteria:
        errors.append(gettext("評分尺規至少須有一個評分項目"))
    if len(criteria) > MAX_CRITERIA:
        errors.append(gettext("評分項目最多 %(n)s 個") % {"n": MAX_CRITERIA})
    names = [c.name.strip() for c in criteria]
    if len(set(names)) != len(names):
        errors.append(gettext("評分項目名稱不可重複"))
    for i, c in enumerate(criteria, start=1):
        if not c.name.strip():
            errors.append(gettext("第 %(n)s 個評分項目沒有名稱") % {"n": i})
        if not 1 <= c.weight <= 100:
            errors.append(
                gettext("「%(criterion)s」的權重須介於 1 到 100") % {"criterion": c.name or i}
            )
        if len(c.descriptors) != department.rubric_levels or not all(
            d.strip() for d in c.descriptors
        ):
            errors.append(
                gettext("「%(criterion)s」須為每個等級（共 %(levels)s 級）填寫描述")
                % {"criterion": c.name or i, "levels": department.rubric_levels}
            )
    if errors:
        raise AdmissionError(errors[0], messages=errors)
    before = [(c.name, c.weight) for c in department.criteria.all()]
    department.criteria.all().delete()
    created = [
        RubricCriterion.objects.create(
            department=department,
            order=i,
            name=c.name.strip(),
            weight=c.weight,
            descriptors=[d.strip() for d in c.descriptors],
        )
        for i, c in enumerate(criteria, start=1)
    ]
    record(
        "admissions.rubric_set",
        actor=actor,
        obj=department,
        before={"criteria": before},
        after={"criteria": [(c.name, c.weight) for c in created]},
    )
    return created


@transaction.atomic
def add_reviewer(
    department: Department, user: Any, *, is_chair: bool, actor: Any
) -> DepartmentReviewer:
    """Seat a reviewer (審查委員) on a department; one chair (召集人) at most."""
    from licheng.accounts.enums import Role

    if not user.has_role(Role.REVIEWER):
        raise AdmissionError(gettext("此帳號不是審查委員"), field="user")
    if user.has_role(Role.COMMITTEE):
        raise AdmissionError(gettext("招生委員會承辦人員不可擔任審查委員"), field="user")
    if is_chair:
        DepartmentReviewer.objects.filter(department=department, is_chair=True).update(
            is_chair=False
        )
    seat, _ = DepartmentReviewer.objects.update_or_create(
        department=department, user=user, defaults={"is_chair": is_chair}
    )
    record(
        "admissions.reviewer_seated",
        actor=actor,
        obj=department,
        after={"reviewer": user.username, "chair": is_chair},
    )
    return seat


@transaction.atomic
def remove_reviewer(seat: DepartmentReviewer, *, actor: Any) -> None:
    record(
        "admissions.reviewer_removed",
        actor=actor,
        obj=seat.department,
        before={"reviewer": seat.user.username, "chair": seat.is_chair},
    )
    seat.delete()


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def parse_threshold(value: Any) -> Decimal:
    return Decimal(str(value).strip()) if value not in (None, "") else Decimal(15)
