"""A student's school records beside the course records, in the exchange format both ways
(R38): cadre posts (幹部經歷, R2), attendance (出缺勤, R3), rewards and punishments (獎懲, R3).

A transfer package carries all of them, those a previous school sent along included. The
receiving school keeps them as its own record models (``schools.CadreRecord``,
``AttendanceRecord``, ``RewardRecord``), each pointing to the ``IncomingTransfer``: they show as
the previous school's and cannot be changed or deleted here. Attendance and rewards stay on
school platforms (R3): only a transfer package may carry them, which the schema enforces.
Cadre posts are basic data and also travel in each semester package (R2, R4).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from licheng.lib.i18n import in_source_language
from licheng.schools.domain.basic_data import ATTENDANCE_FIELDS
from licheng.schools.enums import CadreLevel
from licheng.schools.models import (
    AttendanceRecord,
    CadreRecord,
    IncomingTransfer,
    RewardRecord,
    Student,
)

TERM = ("academic_year", "semester")
# Another vendor may name the level by its label (校級), as Licheng's own categories do.
CADRE_LEVEL_OF = {
    **{in_source_language(label): value for value, label in CadreLevel.choices},
    **{value: value for value in CadreLevel.values},
}


@dataclass(frozen=True)
class Kind:
    """One list of the entry and the record model that keeps it here."""

    model: type[Model]  # a schools.TermRecord
    keys: tuple[str, ...]  # the entry's fields, each a field of the model
    order: tuple[str, ...]
    match: tuple[str, ...] = ()  # what makes a row one already kept; () for all its keys
    repeats: bool = False  # two equal rows are two records (two equal rewards on one day)


KINDS = {
    "cadres": Kind(
        model=CadreRecord,
        keys=(*TERM, "level", "unit", "position"),
        order=(*TERM, "level", "unit"),
    ),
    "attendance": Kind(
        model=AttendanceRecord, keys=(*TERM, *ATTENDANCE_FIELDS), order=TERM, match=TERM
    ),
    "rewards": Kind(
        model=RewardRecord,
        keys=(*TERM, "kind", "count", "reason", "given_on"),
        order=(*TERM, "given_on"),
        repeats=True,
    ),
}


def _row(record: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    row = {key: getattr(record, key) for key in keys}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}


def term_record_entries(student: Student) -> dict[str, list[dict[str, Any]]]:
    """The ``cadres``, ``attendance`` and ``rewards`` of a student's transfer entry."""
    return {
        name: [
            _row(r, kind.keys)
            for r in kind.model._default_manager.filter(student=student).order_by(*kind.order, "pk")
        ]
        for name, kind in KINDS.items()
    }


def term_record_problem(entry: dict[str, Any]) -> str | None:
    """What in the entry's school records this platform cannot hold as sent, if anything."""
    for cadre in entry.get("cadres", []):
        if cadre["level"] not in CADRE_LEVEL_OF:
            return _("幹部經歷「%(unit)s%(position)s」的層級 %(level)s 不明") % {
                "unit": cadre["unit"],
                "position": cadre["position"],
                "level": cadre["level"],
            }
    return None


def _key(row: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in keys)


def _missing(rows: list[dict[str, Any]], kind: Kind, kept: list[Any]) -> list[dict[str, Any]]:
    """The rows of an entry that are not kept yet."""
    match = kind.match or kind.keys
    have = Counter(_key(_row(k, match), match) for k in kept)
    missing = []
    for row in rows:
        key = _key(row, match)
        if have[key] > 0:
            have[key] -= 1 if kind.repeats else 0
            continue
        have[key] += 0 if kind.repeats else 1
        missing.append(row)
    return missing


def _fields(row: dict[str, Any], kind: Kind) -> dict[str, Any]:
    fields = {k: row[k] for k in kind.keys}
    if "given_on" in fields:
        fields["given_on"] = dt.date.fromisoformat(fields["given_on"])
    return fields


def recreate_term_records(transfer: IncomingTransfer, entry: dict[str, Any]) -> dict[str, int]:
    """Create the school records the entry has and ``transfer`` does not yet; how many of each.

    Like every part of a transfer in, a corrected entry adds what is missing and never
    rewrites: attendance is matched by term, cadre posts and rewards by all their fields.
    """
    made = {}
    for name, kind in KINDS.items():
        rows = [
            {**r, "level": CADRE_LEVEL_OF[r["level"]]} if "level" in r else r
            for r in entry.get(name, [])
        ]
        new = _missing(rows, kind, list(kind.model._default_manager.filter(transfer=transfer)))
        kind.model._default_manager.bulk_create(
            [
                kind.model(student=transfer.student, transfer=transfer, **_fields(r, kind))
                for r in new
            ]
        )
        made[name] = len(new)
    return made
