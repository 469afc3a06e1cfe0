"""Builders of exchange packages for the central tests: a manifest and its files, as zip bytes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from hypothesis import strategies as st

from licheng.lib.exchange import canonical_json

# Any JSON value, for the fuzzing of manifests (a field replaced by junk).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def file_entry(content: bytes, name: str = "報告.pdf", content_type: str = "application/pdf"):
    return {
        "name": name,
        "content_type": content_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def outcome(item_id: str, content: bytes | None = None, *, year: int = 113, **extra) -> dict:
    content = content if content is not None else f"%PDF-1.4 {item_id}".encode()
    return {
        "id": item_id,
        "type": "course_outcome",
        "academic_year": year,
        "semester": 1,
        "title": f"成果 {item_id}",
        "description": "單擺實驗報告",
        "course_code": "113310301H11A0101",
        "course_name": "物理",
        "certified_on": "2025-01-20",
        "files": [file_entry(content)],
        **extra,
    }


def performance(item_id: str, *, year: int = 113) -> dict:
    return {
        "id": item_id,
        "type": "performance",
        "academic_year": year,
        "semester": None,
        "title": f"表現 {item_id}",
        "description": "志工服務",
        "category": "volunteer",
        "files": [],
    }


def student_entry(national_id: str = "A123456789", items=None, **extra) -> dict:
    return {
        "national_id": national_id,
        "student_number": "1130001",
        "name": "陳小明",
        "items": items if items is not None else [outcome("o1")],
        **extra,
    }


def manifest(school_code: str = "310301", students=None, kind: str = "annual", **extra) -> dict:
    return {
        "format_version": "1.0",
        "package_kind": kind,
        "school": {"code": school_code, "name": "臺北市立甲高級中學"},
        "academic_year": 113,
        "semester": None if kind != "semester" else 1,
        "created_at": "2025-10-02T09:30:00+08:00",
        "students": students if students is not None else [student_entry()],
        **extra,
    }


def contents_of(m: dict) -> dict[str, bytes]:
    """The bytes each file entry of ``outcome(...)`` was made from (re-derived from its id)."""
    result = {}
    for s in m["students"]:
        for item in s.get("items", []):
            for f in item["files"]:
                result[f["sha256"]] = f"%PDF-1.4 {item['id']}".encode()
    return result


def zip_bytes(m: Any, files: dict[str, bytes] | None = None, *, raw_manifest: bytes | None = None):
    files = contents_of(m) if files is None else files
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "manifest.json",
            raw_manifest if raw_manifest is not None else json.dumps(m, ensure_ascii=False),
        )
        for sha, content in files.items():
            archive.writestr(f"files/{sha}", content)
    return out.getvalue()


def package_id(m: dict) -> str:
    return hashlib.sha256(
        canonical_json({k: v for k, v in m.items() if k != "created_at"})
    ).hexdigest()
