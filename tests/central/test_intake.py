"""The central intake: idempotence and versions (R25), caps (R22, R20), refusals store nothing."""

from __future__ import annotations

import io

import pytest

from licheng.central.domain.blobs import verify_all
from licheng.central.domain.intake import IntakeRefused, ingest_package
from licheng.central.models import (
    Blob,
    CentralFile,
    CentralItem,
    CentralRecord,
    CentralStudent,
    ReceiptAck,
    Submission,
)
from licheng.lib.exchange import PackageError
from licheng.selection.domain.caps import set_caps
from tests.evidence.conftest import backend, s3_endpoint  # noqa: F401  (disk and S3 fixtures)

from .packages import manifest, outcome, package_id, performance, student_entry, zip_bytes


def _counts():
    return tuple(
        m.objects.count()
        for m in (Submission, CentralStudent, CentralRecord, CentralItem, CentralFile, Blob)
    )


def test_package_is_stored_with_its_files_and_receipt(ingest):
    m = manifest()
    submission = ingest(m)
    assert submission.package_sha256 == package_id(m)
    line = submission.receipt["students"][0]
    assert (line["national_id"], line["status"], line["version"]) == ("A123456789", "new", 1)
    assert [i["id"] for i in line["items"]] == ["o1"]
    item = CentralItem.objects.get()
    assert item.files.get().sha256 == m["students"][0]["items"][0]["files"][0]["sha256"]
    assert verify_all() == (1, [])


def test_r25_same_package_again_changes_nothing(ingest):
    """R25: re-submitting the same package returns the same receipt and stores nothing new."""
    first = ingest(manifest())
    before = _counts()
    again = ingest(manifest())
    assert again.pk == first.pk
    assert again.receipt == first.receipt
    assert _counts() == before


def test_r25_same_data_built_again_is_the_same_package(ingest):
    """R25: a package rebuilt later with the same data is the same package: same receipt."""
    first = ingest(manifest())
    second = ingest(manifest(created_at="2025-10-03T09:00:00+08:00"))
    assert second.pk == first.pk
    assert CentralRecord.objects.count() == 1


def test_r25_unchanged_student_in_a_changed_package_keeps_its_version(ingest):
    """R25: only the students whose data changed get a new version."""
    ingest(manifest())
    other = student_entry(national_id="B123456780", items=[outcome("o5")])
    receipt = ingest(manifest(students=[student_entry(), other])).receipt
    assert [s["status"] for s in receipt["students"]] == ["unchanged", "new"]
    assert CentralRecord.objects.count() == 2


def test_r25_correction_creates_a_new_version_and_keeps_the_old(ingest):
    """R25: a correction creates version 2; version 1 stays readable."""
    ingest(manifest())
    fixed = manifest(students=[student_entry(items=[outcome("o1"), outcome("o2")])])
    receipt = ingest(fixed).receipt
    assert receipt["students"][0]["status"] == "corrected"
    assert receipt["students"][0]["version"] == 2
    v1, v2 = CentralRecord.objects.order_by("version")
    assert (v1.is_current, v2.is_current) == (False, True)
    assert [i.local_id for i in v1.items.all()] == ["o1"]
    assert sorted(i.local_id for i in v2.items.all()) == ["o1", "o2"]
    # The file both versions share is stored once.
    assert Blob.objects.count() == 2


def test_r36_each_new_version_opens_a_confirmation_of_at_least_3_days(ingest):
    """R36: the student's confirmation window is at least 3 days."""
    from django.utils import timezone

    ingest(manifest())
    ack = ReceiptAck.objects.get()
    assert ack.status == "pending"
    assert (ack.closes_on - timezone.localdate()).days >= 3


def test_r22_caps_of_the_year_are_enforced(ingest, central_admin):
    """R22: more outcomes than the year's national cap is refused, and the cap is data."""
    set_caps(113, max_outcomes=2, max_performances=10, actor=central_admin)
    three = manifest(students=[student_entry(items=[outcome(f"o{i}") for i in range(3)])])
    with pytest.raises(PackageError, match="超過上限 2 件"):
        ingest(three)
    assert _counts() == (0, 0, 0, 0, 0, 0)
    set_caps(113, max_outcomes=3, max_performances=10, actor=central_admin)
    assert ingest(three).receipt["students"][0]["status"] == "new"


def test_r20_earlier_years_performance_counts_against_this_years_cap(ingest, central_admin):
    """R20: an earlier year's performance may be sent and counts against this year's cap."""
    set_caps(113, max_outcomes=6, max_performances=2, actor=central_admin)
    items = [performance("p1", year=112), performance("p2"), performance("p3", year=111)]
    with pytest.raises(PackageError, match="多元表現 3 件"):
        ingest(manifest(students=[student_entry(items=items)]))
    ok = ingest(manifest(students=[student_entry(items=items[:2])]))
    assert [i["id"] for i in ok.receipt["students"][0]["items"]] == ["p1", "p2"]


def test_r14_uncertified_outcome_is_refused_in_an_annual_package(ingest):
    """R14: only certified outcomes may be sent to the central repository."""
    with pytest.raises(PackageError, match="未經認證"):
        ingest(manifest(students=[student_entry(items=[outcome("o1", certified_on=None)])]))


def test_outcome_of_another_year_is_refused(ingest):
    with pytest.raises(PackageError, match="學年度不符"):
        ingest(manifest(students=[student_entry(items=[outcome("o1", year=112)])]))


def test_a_school_can_submit_only_for_itself(school_b):
    data = zip_bytes(manifest(school_code="310301"))
    with pytest.raises(IntakeRefused, match="不是貴校"):
        ingest_package(io.BytesIO(data), school=school_b)
    assert Submission.objects.count() == 0


def test_semester_package_carries_basic_data_and_courses(ingest):
    """R4, R8: basic data and course records go to the central repository each semester."""
    course = {
        "academic_year": 113,
        "semester": 1,
        "code": "113310301H11A0101",
        "name": "物理",
        "credits": 2,
        "category": "部定必修",
        "original_grade": "58.00",
        "makeup_grade": "60.00",
        "retake_grade": None,
    }
    basic = {"class_name": "101", "grade": 1, "enrolment_date": "2024-08-01", "status": "enrolled"}
    m = manifest(kind="semester", students=[student_entry(items=[], basic=basic, courses=[course])])
    ingest(m)
    rec = CentralRecord.objects.get()
    assert (rec.kind, rec.semester, rec.basic, rec.courses) == ("semester", 1, basic, [course])


def test_course_of_another_semester_is_refused(ingest):
    course = {
        "academic_year": 113,
        "semester": 2,
        "code": "X",
        "name": "物理",
        "credits": 2,
        "category": "部定必修",
    }
    m = manifest(kind="semester", students=[student_entry(items=[], courses=[course])])
    with pytest.raises(PackageError, match="不屬於本封包的學期"):
        ingest(m)


# --- over HTTP ---------------------------------------------------------------------------


def test_api_accepts_a_package_with_the_schools_key(school_key, post_package):
    response = post_package(school_key, zip_bytes(manifest()))
    assert response.status_code == 200, response.content
    assert response.json()["students"][0]["status"] == "new"


def test_api_refuses_without_a_valid_key(school_a, post_package):
    assert post_package("", zip_bytes(manifest())).status_code == 401
    assert post_package("lc_forged-key-000000", zip_bytes(manifest())).status_code == 401
    assert Submission.objects.count() == 0


def test_api_refuses_a_revoked_key(school_a, central_admin, post_package):
    from licheng.central.domain.credentials import issue_credential, revoke_credential

    credential, key = issue_credential(school_a, actor=central_admin)
    revoke_credential(credential, actor=central_admin)
    assert post_package(key, zip_bytes(manifest())).status_code == 401


def test_api_refuses_another_schools_package_with_403(school_key, post_package):
    response = post_package(school_key, zip_bytes(manifest(school_code="520402")))
    assert response.status_code == 403
    assert "不是貴校" in response.json()["detail"]


def test_api_explains_a_bad_hash(school_key, post_package):
    m = manifest()
    sha = m["students"][0]["items"][0]["files"][0]["sha256"]
    response = post_package(school_key, zip_bytes(m, {sha: b"tampered"}))
    assert response.status_code == 400
    assert "大小不符" in response.json()["detail"] or "SHA-256" in response.json()["detail"]
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_api_receipt_can_be_read_again_only_by_its_school(
    school_key, school_b, central_admin, post_package, client
):
    from licheng.central.domain.credentials import issue_credential

    package = post_package(school_key, zip_bytes(manifest())).json()["package"]
    url = f"/api/v1/central/packages/{package}"
    mine = client.get(url, HTTP_AUTHORIZATION=f"Bearer {school_key}")
    assert mine.status_code == 200
    other_key = issue_credential(school_b, actor=central_admin)[1]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 404


def test_intake_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/central/packages" in paths


@pytest.mark.usefixtures("backend")
def test_package_files_are_stored_and_verified_on_both_back_ends(ingest):
    """The central repository's blobs go through the same storage API on disk and on S3."""
    m = manifest()
    ingest(m)
    assert verify_all() == (1, [])
    assert CentralFile.objects.get().sha256 == m["students"][0]["items"][0]["files"][0]["sha256"]
