"""The exchange format: the schema, the documented example, and the package reader."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licheng.lib.exchange import (
    PackageError,
    check_manifest,
    manifest_errors,
    read_package,
    write_package,
)

from .packages import json_values, manifest, outcome, student_entry, zip_bytes

DOC = Path(__file__).resolve().parents[2] / "docs" / "exchange-format.md"


def test_documented_example_is_valid():
    """The example in docs/exchange-format.md validates against the JSON Schema."""
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "the doc must carry a JSON example"
    for block in blocks:
        assert manifest_errors(json.loads(block)) == []


def test_documented_roster_columns_match_the_export():
    from licheng.selection.domain.roster import ROSTER_COLUMNS

    assert ", ".join(ROSTER_COLUMNS) in DOC.read_text(encoding="utf-8")


def test_manifest_errors_name_the_field_in_chinese():
    m = manifest(students=[student_entry(national_id="abc")])
    errors = manifest_errors(m)
    assert errors == ["students/0/national_id：格式不正確"]


def test_manifest_without_students_is_refused():
    with pytest.raises(PackageError, match="students：至少要有一筆"):
        check_manifest(manifest(students=[]))


def test_unknown_major_version_is_refused():
    with pytest.raises(PackageError, match="不支援的格式版本 2.0"):
        check_manifest(manifest(format_version="2.0"))


def test_r7_counselling_records_have_no_place_in_a_package():
    """R7: counselling records never travel; the schema refuses a field for them."""
    m = manifest(students=[student_entry(counselling=[{"text": "諮詢"}])])
    assert any("counselling" in e for e in manifest_errors(m))


def test_outcome_must_say_whether_it_is_certified():
    m = manifest(students=[student_entry(items=[outcome("o1")])])
    del m["students"][0]["items"][0]["certified_on"]
    assert manifest_errors(m)


def test_write_then_read_round_trip(tmp_path):
    content = b"%PDF-1.4 o1"
    source = tmp_path / "o1.pdf"
    source.write_bytes(content)
    m = manifest()
    sha = m["students"][0]["items"][0]["files"][0]["sha256"]
    out = io.BytesIO()
    write_package(m, {sha: source}, out)
    package = read_package(io.BytesIO(out.getvalue()))
    assert package.manifest == m
    assert package.open_file(sha).read() == content


def test_cut_off_package_is_refused_with_reason():
    data = zip_bytes(manifest())
    with pytest.raises(PackageError, match="不是完整的 zip"):
        read_package(io.BytesIO(data[: len(data) // 2]))


def test_wrong_hash_is_refused():
    m = manifest()
    sha = m["students"][0]["items"][0]["files"][0]["sha256"]
    data = zip_bytes(m, {sha: b"%PDF-1.4 o2"})
    with pytest.raises(PackageError, match="SHA-256 不符"):
        read_package(io.BytesIO(data))


def test_missing_and_extra_files_are_refused():
    m = manifest()
    with pytest.raises(PackageError, match="不在封包中"):
        read_package(io.BytesIO(zip_bytes(m, {})))
    with pytest.raises(PackageError, match="未列出的檔案"):
        read_package(io.BytesIO(zip_bytes(m, {"0" * 64: b"x", **_files(m)})))


def _files(m):
    from .packages import contents_of

    return contents_of(m)


def test_nul_characters_are_refused():
    """No database text column holds U+0000: refused with a reason instead of failing later."""
    m = manifest(students=[student_entry(name="陳\x00小明")])
    with pytest.raises(PackageError, match="U\\+0000"):
        check_manifest(m)


def test_documented_category_fields_match_the_platform():
    """R15: the docs' table of `details` names is the platform's category fields."""
    from licheng.portfolio.categories import FIELDS

    rows = dict(re.findall(r"^\| `(\w+)` [^|]+\| (.+) \|$", DOC.read_text(encoding="utf-8"), re.M))
    for category, fields in FIELDS.items():
        assert re.findall(r"`(\w+)`", rows[category]) == [f.name for f in fields], category


# Both validators of the schema (the compiled one the intake uses, the reference one it falls back
# on for values the compiled one cannot take in) must agree on what is wrong and where.
_PATHS = [
    ("format_version",),
    ("package_kind",),
    ("school", "code"),
    ("academic_year",),
    ("created_at",),
    ("students", 0, "national_id"),
    ("students", 0, "items", 0, "type"),
    ("students", 0, "items", 0, "certified_on"),
    ("students", 0, "items", 0, "files", 0, "sha256"),
    ("students", 0, "items", 0, "files", 0, "size"),
    ("students", 0, "items", 0, "description"),
]


@settings(max_examples=80, deadline=None)
@given(
    path=st.sampled_from(_PATHS), value=json_values | st.sampled_from(["2025-02-30", "2025-1-2"])
)
def test_compiled_and_reference_validators_agree(path, value):
    """The compiled validator finds a problem exactly where the reference one does."""
    from licheng.lib.exchange import _fast_validator, _validator

    m = manifest()
    target = m
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    fast = {tuple(e.instance_path) for e in _fast_validator().iter_errors(m)}
    reference = {tuple(e.absolute_path) for e in _validator().iter_errors(m)}
    assert fast == reference


def test_impossible_dates_are_refused():
    m = manifest()
    m["students"][0]["items"][0]["certified_on"] = "2025-02-30"
    assert manifest_errors(m) == ["students/0/items/0/certified_on：日期格式不正確"]


def test_values_json_cannot_carry_still_get_a_reason():
    """A value no JSON text produces (a non-text key) goes to the reference validator."""
    m = manifest()
    m["school"] = {1: "x"}
    assert any(e.startswith("school") for e in manifest_errors(m))
