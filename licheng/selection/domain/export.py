"""A student's whole portfolio as one zip with a readable index.html (R40), so nothing depends on
the platform surviving: registration data (R1), course records by semester with all three grades
and those of a previous school (R5, R6, R38), cadre posts (R2), attendance and rewards (R3),
every outcome and performance with its files; and ``portfolio.json``, the same record as an
exchange-format entry (docs/exchange-format.md) that another platform can read.

Counselling records are the counsellor's, not part of the student's portfolio, and never leave
the school (R7): nothing here reads them.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from typing import IO, Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from licheng.audit.domain import record
from licheng.curriculum.queries import (
    prior_records_by_term,
    records_by_term,
    school_term_records,
)
from licheng.evidence.domain.missing import report_missing
from licheng.lib.exchange import FORMAT_VERSION
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.models import ClassEnrolment, Student

from .transfer import student_entry

CHUNK = 1024 * 1024
JSON_NAME = "portfolio.json"


def _file_rows(prefix: str, files: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "stored": f,
            "path": f"files/{prefix}-{n}.{f.kind}",
            "name": f.original_name,
            "size": f.size,
            "sha256": f.sha256,
        }
        for n, f in enumerate(files, 1)
    ]


def _school_records(student: Student) -> dict[str, Any]:
    # The student's own page shows them newest first; an archive reads oldest first.
    return {name: list(rows)[::-1] for name, rows in school_term_records(student).items()}


def portfolio_contents(student: Student) -> dict[str, Any]:
    outcomes = [
        {"item": o, "files": _file_rows(f"outcome-{o.pk}", o.files)}
        for o in LearningOutcome.objects.filter(student=student)
        .select_related("course", "document", "media", "transfer", "certified_by")
        .order_by("academic_year", "semester", "course__code", "pk")
    ]
    performances = [
        {"item": p, "files": _file_rows(f"performance-{p.pk}", list(p.files.all()))}
        for p in Performance.objects.filter(student=student)
        .select_related("transfer")
        .prefetch_related("files")
        .order_by("academic_year", "activity_date", "pk")
    ]
    return {
        "student": student,
        "classes": ClassEnrolment.objects.filter(student=student)
        .select_related("school_class")
        .order_by("school_class__academic_year"),
        "terms": records_by_term(student)[::-1],
        "prior_terms": prior_records_by_term(student)[::-1],
        **_school_records(student),
        "outcomes": outcomes,
        "performances": performances,
        "generated_at": timezone.now(),
        "json_name": JSON_NAME,
    }


def portfolio_json(student: Student, contents: dict[str, Any]) -> bytes:
    """The machine-readable copy: the student's exchange-format entry (the one a transfer package
    carries, R38) and where in this zip each listed file is, by SHA-256."""
    entry = student_entry(student, {})
    paths: dict[str, str] = {}
    for item in (*contents["outcomes"], *contents["performances"]):
        for row in item["files"]:
            paths.setdefault(row["sha256"], row["path"])
    document = {
        "format_version": FORMAT_VERSION,
        "kind": "portfolio",
        "school": {"code": student.school.code, "name": student.school.name},
        "created_at": contents["generated_at"].isoformat(),
        "student": entry,
        "files": paths,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _note_missing(archive: zipfile.ZipFile, row: dict[str, Any]) -> None:
    """A stored file whose bytes are gone: the download still comes (every other file is the
    student's), with a note where the file would be; the operators hear it loudly."""
    stored = row["stored"]
    report_missing(stored)
    archive.writestr(
        f"{row['path']}.無法讀取.txt",
        f"平臺目前讀不到「{stored.original_name}」（檔案編號 {stored.pk}，SHA-256 {stored.sha256}）。\n"
        "請聯絡學校管理者（教務處／註冊組），告知檔案編號，由學校從備份還原檔案後再下載一次。\n",
    )


def write_portfolio_zip(student: Student, out: IO[bytes], *, actor: Any) -> None:
    """Write the zip (下載完整學習歷程): ``index.html``, ``portfolio.json`` and ``files/…``;
    the download is audited."""
    contents = portfolio_contents(student)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr("index.html", render_to_string("export/portfolio_index.html", contents))
        archive.writestr(JSON_NAME, portfolio_json(student, contents))
        for entry in (*contents["outcomes"], *contents["performances"]):
            for row in entry["files"]:
                try:
                    source = default_storage.open(row["stored"].storage_name, "rb")
                except FileNotFoundError:
                    _note_missing(archive, row)
                    continue
                with source, archive.open(row["path"], "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, CHUNK)
    record("selection.portfolio.download", actor=actor, obj=student, school=student.school)
