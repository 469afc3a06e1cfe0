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
from typing import Any

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
CADRE_KEYS = (*TERM, "level", "unit", "position")
ATTENDANCE_KEYS = (*TERM, *ATTENDANCE_FIELDS)
REWARD_KEYS = (*TERM, "kind", "count", "reason", "given_on")
# Another vendor may name the level by its label (校級), as Licheng's own categories do.
CADRE_LEVEL_OF = {
    **{str(label): value for value, label in CadreLevel.choices},
    **{value: value for value in CadreLevel.values},
}


def _row(record: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    row = {key: getattr(record, key) for key in keys}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}


def term_record_entries(student: Student) -> dict[str, list[dict[str, Any]]]:
    """The ``cadres``, ``attendance`` and ``rewards`` of a student's transfer entry."""
    return {
        "cadres": [
            _row(c, CADRE_KEYS)
            for c in CadreRecord.objects.filter(student=student).order_by(*CADRE_KEYS, "pk")
        ],
        "attendance": [
            _row(a, ATTENDANCE_KEYS)
            for a in AttendanceRecord.objects.filter(student=student).order_by(*TERM, "pk")
        ],
        "rewards": [
            _row(r, REWARD_KEYS)
            for r in RewardRecord.objects.filter(student=student).order_by(*TERM, "given_on", "pk")
        ],
    }


def term_record_problem(entry: dict[str, Any]) -> str | None:
    """What in the entry's school records this platform cannot hold as sent, if anything."""
    for cadre in entry.get("cadres", []):
        if cadre["level"] not in CADRE_LEVEL_OF:
            return f"幹部經歷「{cadre['unit']}{cadre['position']}」的層級 {cadre['level']} 不明"
    return None


def _key(row: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in keys)


def _missing(
    rows: list[dict[str, Any]], keys: tuple[str, ...], kept: list[Any], *, repeats: bool
) -> list[dict[str, Any]]:
    """The rows of an entry not yet kept, matched on ``keys``. With ``repeats`` two equal rows
    are two records (two equal rewards on one day), else one (a post, a term's attendance)."""
    have = Counter(_key(_row(k, keys), keys) for k in kept)
    missing = []
    for row in rows:
        key = _key(row, keys)
        if have[key] > 0:
            have[key] -= 1 if repeats else 0
            continue
        have[key] += 0 if repeats else 1
        missing.append(row)
    return missing


def recreate_term_records(transfer: IncomingTransfer, entry: dict[str, Any]) -> dict[str, int]:
    """Create the school records the entry has and ``transfer`` does not yet; how many of each.

    Like every part of a transfer in, a corrected entry adds what is missing and never
    rewrites: attendance is matched by term, cadre posts and rewards by all their fields.
    """
    student = transfer.student
    cadres = [{**c, "level": CADRE_LEVEL_OF[c["level"]]} for c in entry.get("cadres", [])]
    new_cadres = _missing(
        cadres, CADRE_KEYS, list(CadreRecord.objects.filter(transfer=transfer)), repeats=False
    )
    CadreRecord.objects.bulk_create(
        [
            CadreRecord(student=student, transfer=transfer, **{k: c[k] for k in CADRE_KEYS})
            for c in new_cadres
        ]
    )
    new_attendance = _missing(
        entry.get("attendance", []),
        TERM,
        list(AttendanceRecord.objects.filter(transfer=transfer)),
        repeats=False,
    )
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                student=student, transfer=transfer, **{k: a[k] for k in ATTENDANCE_KEYS}
            )
            for a in new_attendance
        ]
    )
    new_rewards = _missing(
        entry.get("rewards", []),
        REWARD_KEYS,
        list(RewardRecord.objects.filter(transfer=transfer)),
        repeats=True,
    )
    RewardRecord.objects.bulk_create(
        [
            RewardRecord(
                student=student,
                transfer=transfer,
                **{k: r[k] for k in REWARD_KEYS if k != "given_on"},
                given_on=dt.date.fromisoformat(r["given_on"]),
            )
            for r in new_rewards
        ]
    )
    return {
        "cadres": len(new_cadres),
        "attendance": len(new_attendance),
        "rewards": len(new_rewards),
    }
