"""R40: the student downloads the whole portfolio as one zip with a readable index.html."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest

from licheng.curriculum.models import CounsellingRecord, CourseEnrolment, PriorCourseRecord
from licheng.schools.models import AttendanceRecord, CadreRecord, IncomingTransfer, RewardRecord

from .conftest import make_outcome, make_performance, stored_file


def test_r40_zip_has_every_item_and_file_and_an_index(
    student, chemistry, teacher, last_year, login
):
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    make_outcome(student, chemistry, "尚在認證中的成果")
    make_performance(student, last_year, "圖書館志工")
    response = login(student.user).get("/me/portfolio.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = archive.read("index.html").decode()
    for title in ("滴定實驗", "尚在認證中的成果", "圖書館志工", student.name):
        assert title in index
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 3
    document = f"files/outcome-{outcome.pk}-1.pdf"
    assert hashlib.sha256(archive.read(document)).hexdigest() == outcome.document.sha256
    assert outcome.document.sha256 in index and f'href="{document}"' in index


def test_r40_a_file_missing_from_storage_does_not_stop_the_download(
    student, chemistry, teacher, last_year, login, caplog
):
    """R40: a stored file whose bytes are gone (a fault the platform exists to prevent, and logs
    as critical) leaves a note in its place; the student still gets every other file."""
    import logging

    from django.core.files.storage import default_storage

    lost = make_outcome(student, chemistry, "遺失檔案的成果", certified_by=teacher)
    kept = make_performance(student, last_year, "圖書館志工")
    default_storage.delete(lost.document.storage_name)
    with caplog.at_level(logging.CRITICAL):
        response = login(student.user).get("/me/portfolio.zip")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert response.status_code == 200
    note = archive.read(f"files/outcome-{lost.pk}-1.pdf.無法讀取.txt").decode()
    assert "請聯絡學校管理者" in note and str(lost.document.pk) in note
    assert any(n.startswith(f"files/performance-{kept.pk}") for n in archive.namelist())
    assert str(lost.document.pk) in caplog.text


def test_r40_only_the_student_downloads_their_own(student, parent, teacher, login):
    assert login(teacher).get("/me/portfolio.zip").status_code == 403
    assert login(parent).get("/me/portfolio.zip").status_code == 403


@pytest.fixture
def school_records(student, graded, chemistry, teacher, last_year):
    """Every kind of school record of the student (R1–R6, R38) and a counselling record (R7)."""
    CourseEnrolment.objects.create(
        course=chemistry,
        student=student,
        original_grade=Decimal("40"),
        makeup_grade=Decimal("45"),
        retake_grade=Decimal("73"),
    )
    transfer = IncomingTransfer.objects.create(
        student=student, from_school_code="999999", from_school_name="臺南市立丙高級中學"
    )
    PriorCourseRecord.objects.create(
        transfer=transfer,
        student=student,
        academic_year=last_year - 1,
        semester=2,
        code="PRIORCODE01",
        name="轉學前的國文",
        credits=4,
        category="部定必修",
        original_grade=Decimal("55"),
        retake_grade=Decimal("66"),
    )
    CadreRecord.objects.create(
        student=student,
        academic_year=last_year,
        semester=1,
        level="class",
        unit="101 班",
        position="學藝股長",
    )
    CadreRecord.objects.create(
        student=student,
        academic_year=last_year - 1,
        semester=2,
        level="club",
        unit="吉他社",
        position="社長",
        transfer=transfer,
    )
    AttendanceRecord.objects.create(
        student=student,
        academic_year=last_year,
        semester=1,
        school_days=98,
        personal_leave=3,
        sick_leave=17,
        absence=2,
    )
    RewardRecord.objects.create(
        student=student,
        academic_year=last_year,
        semester=1,
        kind="minor_merit",
        count=2,
        reason="擔任校慶志工表現優異",
        given_on=dt.date(last_year + 1911, 11, 5),
    )
    CounsellingRecord.objects.create(
        school=student.school,
        student=student,
        counsellor=teacher,
        academic_year=last_year,
        semester=1,
        held_on=dt.date(last_year + 1911, 10, 2),
        description="諮詢秘密：想轉組",
        stored_file=stored_file(student, b"%PDF-1.4 counselling", name="諮詢附件.pdf"),
    )
    return student


def _download(client) -> zipfile.ZipFile:
    response = client.get("/me/portfolio.zip")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_r40_index_lists_every_kind_of_school_record(school_records, last_year, login):
    """R40 with R1–R6, R38: registration data, course records by semester with make-up and
    retake grades, a previous school's records, cadre posts, attendance and rewards."""
    student = school_records
    index = _download(login(student.user)).read("index.html").decode()
    expected = [
        # R1: registration data
        student.national_id,
        student.student_number,
        f"101 班 {student.class_enrolments.get().seat_number} 號",
        "在學",
        student.enrolment_date.strftime("%Y-%m-%d"),
        # R5, R6: course records by semester, all three grades
        f"{last_year}學年度第1學期",
        "化學",
        "40.00",
        "45.00",
        "73.00",
        "物理",
        "60.00",
        # R38: the previous school's course records
        "轉學前的國文",
        "臺南市立丙高級中學",
        "66.00",
        # R2: cadre posts, here and at the previous school
        "學藝股長",
        "吉他社",
        # R3: attendance and rewards
        "<td>17</td>",
        "小功",
        "擔任校慶志工表現優異",
    ]
    assert [text for text in expected if text not in index] == []


def test_r40_counselling_records_never_leave_in_the_zip(school_records, login):
    """R7: counselling records are not part of the portfolio, in no member of the zip."""
    archive = _download(login(school_records.user))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert "諮詢秘密".encode() not in everything
    assert "諮詢附件".encode() not in everything
    assert b"%PDF-1.4 counselling" not in everything


def test_r40_every_file_verifies_against_its_sha256(school_records, chemistry, teacher, login):
    """R40: each file of the zip has the SHA-256 the index and portfolio.json list for it."""
    student = school_records
    make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    make_performance(student, chemistry.academic_year, "圖書館志工")
    archive = _download(login(student.user))
    index = archive.read("index.html").decode()
    listed = json.loads(archive.read("portfolio.json"))["files"]
    members = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(members) == 2 and sorted(listed.values()) == sorted(members)
    for sha256, path in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == sha256
        assert sha256 in index and f'href="{path}"' in index


def test_r40_portfolio_json_is_the_exchange_entry(school_records, chemistry, teacher, login):
    """R40: the machine-readable copy is the student's exchange-format entry (R38's), with the
    school records and every item in its state."""
    student = school_records
    make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    document = json.loads(_download(login(student.user)).read("portfolio.json"))
    entry = document["student"]
    assert (document["kind"], entry["national_id"]) == ("portfolio", student.national_id)
    assert {c["code"] for c in entry["courses"]} >= {chemistry.code, "PRIORCODE01"}
    assert [c["position"] for c in entry["cadres"]] == ["社長", "學藝股長"]
    assert [a["sick_leave"] for a in entry["attendance"]] == [17]
    assert [r["reason"] for r in entry["rewards"]] == ["擔任校慶志工表現優異"]
    assert [(i["title"], i["state"]) for i in entry["items"]] == [("滴定實驗", "certified")]
    assert "counselling" not in json.dumps(document)


def test_r40_index_is_in_the_language_the_student_reads(school_records, login, settings):
    """The index speaks the student's chosen language (English here), the data stays as kept."""
    client = login(school_records.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    index = _download(client).read("index.html").decode()
    assert '<html lang="en">' in index
    for text in ("learning portfolio", "Basic data", "Course records", "Attendance", "SHA-256"):
        assert text in index
    assert "基本資料" not in index and "修課紀錄" not in index
    assert school_records.name in index and "學藝股長" in index  # what was recorded, as recorded
    chinese = _download(login(school_records.user)).read("index.html").decode()
    assert '<html lang="zh-Hant-TW">' in chinese and "基本資料" in chinese
