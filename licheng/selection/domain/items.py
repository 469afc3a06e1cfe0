"""Course learning outcomes and diverse performances as exchange-format items (R22, R38).

The annual package (the year's selection) and the transfer package (every item, in its state)
write their items with the same functions, so both carry the same facts: since format 1.1 a
performance's category fields (類別欄位, R15), end date and who registered it (R19), and an
outcome's certifying teacher (認證教師, R13) and, when returned, the reason and note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from licheng.evidence.domain.missing import open_stored
from licheng.portfolio.enums import OutcomeState
from licheng.portfolio.models import LearningOutcome, Performance

DETAIL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DETAIL_TEXT_MAX = 200
DETAIL_NUMBER_MAX = 10000


def file_entries(files: Iterable[Any], sources: dict[str, Any]) -> list[dict[str, Any]]:
    """The items' ``files``; ``sources`` learns where each file's bytes are, by SHA-256."""
    entries = []
    for stored in files:
        entries.append(
            {
                "name": stored.original_name[:255],
                "content_type": stored.content_type,
                "size": stored.size,
                "sha256": stored.sha256,
            }
        )
        # Gone from storage, the package fails naming the file, and the operators are paged.
        sources[stored.sha256] = functools.partial(open_stored, stored)
    return entries


def outcome_entry(outcome: LearningOutcome, sources: dict[str, Any]) -> dict[str, Any]:
    certified = timezone.localtime(outcome.certified_at).date() if outcome.certified_at else None
    entry: dict[str, Any] = {
        "id": f"outcome-{outcome.pk}",
        "type": "course_outcome",
        "academic_year": outcome.academic_year,
        "semester": outcome.semester,
        "title": outcome.title,
        "description": outcome.description,
        "course_code": outcome.course_code,
        "course_name": outcome.course_name,
        "certified_on": certified.isoformat() if certified else None,
        "files": file_entries(outcome.files, sources),
    }
    if outcome.state == OutcomeState.CERTIFIED and outcome.certifier_name:
        entry["certified_by_name"] = outcome.certifier_name[:100]
    if outcome.state == OutcomeState.RETURNED and outcome.return_reason:
        entry["return_reason"] = outcome.return_reason
        if outcome.return_note:
            entry["return_note"] = outcome.return_note
    return entry


def details_entry(details: dict[str, Any]) -> dict[str, Any]:
    """A performance's category fields as the schema takes them. The platform stores what
    ``portfolio.categories.clean_details`` allows, which fits; anything older that does not is
    sent as text rather than stopping the school's whole package."""
    entry: dict[str, Any] = {}
    for key, value in details.items():
        if not DETAIL_KEY.match(str(key)) or value is None or value == "":
            continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and 0 <= value <= DETAIL_NUMBER_MAX:
            entry[key] = value
        else:
            entry[key] = str(value)[:DETAIL_TEXT_MAX]
    return entry


def performance_entry(performance: Performance, sources: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": f"performance-{performance.pk}",
        "type": "performance",
        "academic_year": performance.academic_year,
        "semester": None,
        "title": performance.title,
        "description": performance.description,
        "category": performance.category,
        "activity_date": performance.activity_date.isoformat(),
        "end_date": performance.end_date.isoformat() if performance.end_date else None,
        "details": details_entry(performance.details or {}),
        "link": performance.link,
        "files": file_entries(performance.files.all(), sources),
    }
    if performance.registered_by:
        entry["source"] = performance.registered_by
    return entry
