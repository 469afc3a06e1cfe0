"""The fields each diverse-performance category asks for (R15), in one place.

Pages build their form from these, the API validates imported rows with them, and the stored
``Performance.details`` holds exactly these keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .enums import PerformanceCategory as C


@dataclass(frozen=True)
class CategoryField:
    name: str
    label: Any  # a lazy translation
    required: bool = True
    kind: str = "text"  # "text", "number", "choice"
    choices: tuple[str, ...] = ()


# Choice values are stored as they are (zh-Hant, as other platforms send them); marked here so
# pages can show them in the reader's language (``choice_label``).
LEVELS = (gettext_noop("校級"), gettext_noop("縣市級"), gettext_noop("全國"), gettext_noop("國際"))
CADRE_LEVELS = (gettext_noop("校級"), gettext_noop("班級"), gettext_noop("社團"))
TEAM = (gettext_noop("個人"), gettext_noop("團體"))

FIELDS: dict[str, tuple[CategoryField, ...]] = {
    C.CADRE: (
        CategoryField("level", gettext_lazy("幹部層級"), kind="choice", choices=CADRE_LEVELS),
        CategoryField("position", gettext_lazy("職稱")),
        CategoryField("unit", gettext_lazy("單位（班級/社團）")),
    ),
    C.COMPETITION: (
        CategoryField("organizer", gettext_lazy("主辦單位")),
        CategoryField("level", gettext_lazy("競賽等級"), kind="choice", choices=LEVELS),
        CategoryField("award", gettext_lazy("獎項/名次")),
        CategoryField("team", gettext_lazy("個人或團體"), kind="choice", choices=TEAM),
    ),
    C.CERTIFICATE: (
        CategoryField("issuer", gettext_lazy("發證單位")),
        CategoryField("number", gettext_lazy("證照字號"), required=False),
        CategoryField("score", gettext_lazy("分數/級別"), required=False),
    ),
    C.VOLUNTEER: (
        CategoryField("organization", gettext_lazy("服務單位")),
        CategoryField("hours", gettext_lazy("服務時數"), kind="number"),
    ),
    C.SELF_DIRECTED: (
        CategoryField("plan", gettext_lazy("學習計畫")),
        CategoryField("result", gettext_lazy("執行成果")),
    ),
    C.GROUP_ACTIVITY: (
        CategoryField("group", gettext_lazy("團體名稱（社團/班級/學生會）")),
        CategoryField("role", gettext_lazy("擔任角色"), required=False),
    ),
    C.WORK: (
        CategoryField("work_type", gettext_lazy("作品類型")),
        CategoryField("team", gettext_lazy("個人或團體"), kind="choice", choices=TEAM),
    ),
    C.WORKPLACE: (
        CategoryField("employer", gettext_lazy("實習/見習單位")),
        CategoryField("hours", gettext_lazy("時數"), kind="number"),
    ),
    C.ADVANCED_COURSE: (
        CategoryField("university", gettext_lazy("開課大學/技專校院")),
        CategoryField("credits", gettext_lazy("學分數"), kind="number"),
    ),
    C.OTHER: (CategoryField("organizer", gettext_lazy("主辦單位"), required=False),),
}


def clean_details(
    category: str, raw: dict[str, object]
) -> tuple[dict[str, object], dict[str, str]]:
    """Keep the category's fields only; return (details, errors by field name)."""
    details: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in FIELDS.get(category, ()):
        value = str(raw.get(field.name) or "").strip()
        if not value:
            if field.required:
                errors[field.name] = _("請填寫「%(label)s」") % {"label": field.label}
            continue
        if len(value) > 200:
            errors[field.name] = _("「%(label)s」超過 200 字上限") % {"label": field.label}
        elif field.kind == "number":
            try:
                number = float(value)
            except ValueError:
                errors[field.name] = _("「%(label)s」須為數字") % {"label": field.label}
                continue
            if number < 0 or number > 10000:
                errors[field.name] = _("「%(label)s」須介於 0 到 10000") % {"label": field.label}
            details[field.name] = int(number) if number.is_integer() else number
        elif field.kind == "choice" and value not in field.choices:
            errors[field.name] = _("「%(label)s」須為：%(choices)s") % {
                "label": field.label,
                "choices": "、".join(field.choices),
            }
        else:
            details[field.name] = value
    return details, errors


def choice_label(value: Any) -> str:
    """A stored choice value (競賽等級「全國」) in the reader's language."""
    return _(value) if isinstance(value, str) and value else str(value)


def detail_rows(category: str, details: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each filled-in field, in the category's order, in the reader's language;
    a field this platform does not know (sent by another school's platform, R38) is shown by its
    name."""
    fields = {f.name: f for f in FIELDS.get(category, ())}
    order = [name for name in fields if name in details]
    order += [name for name in details if name not in fields]
    return [
        (
            str(fields[name].label) if name in fields else name,
            choice_label(details[name])
            if name in fields and fields[name].kind == "choice"
            else str(details[name]),
        )
        for name in order
        if details[name] not in ("", None)
    ]


def detail_text(category: str, details: dict[str, Any]) -> str:
    """The category fields on one line: 「主辦單位：教育部、競賽等級：全國」."""
    return "、".join(f"{label}：{value}" for label, value in detail_rows(category, details))
