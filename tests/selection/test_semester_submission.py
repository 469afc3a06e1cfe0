"""Semester submission (R4, R8): pre-check per student, background job, receipt; roster CSV."""

from __future__ import annotations

import pytest

from licheng.central.models import CentralRecord
from licheng.selection.domain.semester import precheck_semester
from licheng.selection.domain.submission import SubmissionError, start_submission
from licheng.selection.models import SubmissionJob


def test_precheck_lists_each_students_problems(student, physics, term):
    from licheng.curriculum.models import CourseEnrolment

    CourseEnrolment.objects.create(course=physics, student=student)
    findings = precheck_semester(student.school, term)
    assert [p.message for p in findings[student]] == ["課程「物理」尚未登錄原始成績"]
    assert findings[student][0].blocking


def test_precheck_warns_of_a_student_with_no_course(student, term):
    findings = precheck_semester(student.school, term)
    assert [(p.message, p.blocking) for p in findings[student]] == [("本學期沒有修課紀錄", False)]


def test_blocking_problem_stops_the_submission(student, physics, term, school_admin):
    from licheng.curriculum.models import CourseEnrolment

    CourseEnrolment.objects.create(course=physics, student=student)
    with pytest.raises(SubmissionError, match="預檢發現 1 個"):
        start_submission(
            student.school,
            kind="semester",
            academic_year=term.academic_year,
            semester=term.semester,
            actor=school_admin,
        )
    assert SubmissionJob.objects.count() == 0


def test_r4_r8_semester_data_reaches_the_central_repository(
    graded, student, term, school_admin, login, django_capture_on_commit_callbacks
):
    """R4, R8: basic data and course records (all three grades, R6) are submitted each semester."""
    client = login(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/school/submissions/", {"period": term.code})
    assert response.status_code == 302
    job = SubmissionJob.objects.get()
    assert (job.state, job.progress) == ("done", 100)
    assert [line["national_id"] for line in job.receipt["students"]] == [student.national_id]
    record = CentralRecord.objects.get()
    assert record.basic["class_name"] == "101"
    assert record.courses[0]["original_grade"] == "58.00"
    assert record.courses[0]["makeup_grade"] == "60.00"
    assert record.courses[0]["retake_grade"] is None
    page = client.get(f"/school/submissions/?period={term.code}").content.decode()
    assert "中央資料庫已收件" in page and student.name in page


def test_r25_resubmitting_unchanged_semester_data_changes_nothing(
    graded, term, school_admin, django_capture_on_commit_callbacks
):
    """R25: the second submission is the same package: the same receipt, no new version."""
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            start_submission(
                graded.student.school,
                kind="semester",
                academic_year=term.academic_year,
                semester=term.semester,
                actor=school_admin,
            )
    first, second = SubmissionJob.objects.order_by("pk")
    assert second.package_sha256 == first.package_sha256
    assert second.receipt == first.receipt
    assert CentralRecord.objects.count() == 1


def test_job_page_is_the_schools_own(
    graded, term, school_admin, other_school_admin, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_submission(
            graded.student.school,
            kind="semester",
            academic_year=term.academic_year,
            semester=term.semester,
            actor=school_admin,
        )
    assert login(school_admin).get(f"/school/submissions/{job.pk}/").status_code == 200
    assert login(other_school_admin).get(f"/school/submissions/{job.pk}/").status_code == 404


def test_roster_csv_has_the_registry_columns(graded, student, term, school_admin, login):
    response = login(school_admin).get(f"/school/submissions/roster.csv?term={term.code}")
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("學年度,學期,學號,身分證統一編號,姓名,班級,座號,課程代碼")
    assert row.split(",")[2:4] == [student.student_number, student.national_id]
    assert row.endswith("58.00,60.00,")


def test_failed_send_is_shown_with_its_reason(
    graded, term, school_admin, settings, django_capture_on_commit_callbacks
):
    settings.LICHENG_CENTRAL_URL = "http://127.0.0.1:9"
    settings.LICHENG_CENTRAL_KEYS = {}
    with django_capture_on_commit_callbacks(execute=True):
        job = start_submission(
            graded.student.school,
            kind="semester",
            academic_year=term.academic_year,
            semester=term.semester,
            actor=school_admin,
        )
    job.refresh_from_db()
    assert job.state == "failed"
    assert "金鑰" in job.message


@pytest.mark.django_db(transaction=True)
def test_package_streams_to_a_remote_central_repository_over_http(
    live_server, settings, school_a, student, physics, central_admin
):
    """The HTTP transport: a school platform sends to another installation's intake API."""
    from decimal import Decimal

    from licheng.central.domain.credentials import issue_credential
    from licheng.curriculum.models import CourseEnrolment
    from licheng.lib.roc import Term
    from licheng.selection.domain.submission import run_submission

    CourseEnrolment.objects.create(course=physics, student=student, original_grade=Decimal("90"))
    settings.LICHENG_CENTRAL_URL = live_server.url
    settings.LICHENG_CENTRAL_KEYS = {school_a.code: issue_credential(school_a, actor=None)[1]}
    term = Term.current()
    job = SubmissionJob.objects.create(
        school=school_a, kind="semester", academic_year=term.academic_year, semester=term.semester
    )
    run_submission(job)
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert job.receipt["students"][0]["status"] == "new"
    assert CentralRecord.objects.get().courses[0]["original_grade"] == "90.00"


def test_r2_r4_cadre_posts_travel_with_the_basic_data(graded, student, term):
    """R2, R4: cadre posts are basic data, sent each semester; R7/R3 records never are."""
    from licheng.schools.models import CadreRecord
    from licheng.selection.domain.semester import semester_manifest

    CadreRecord.objects.create(
        student=student,
        academic_year=term.academic_year,
        semester=term.semester,
        level="class",
        unit="101 班",
        position="班長",
    )
    entry = semester_manifest(student.school, term)["students"][0]
    assert entry["cadres"] == [
        {
            "academic_year": term.academic_year,
            "semester": term.semester,
            "level": "class",
            "unit": "101 班",
            "position": "班長",
        }
    ]
    assert set(entry) == {"national_id", "student_number", "name", "basic", "cadres", "courses"}


def test_r4_the_submission_page_opens_on_the_semester_just_ended(school_admin, login):
    """R4: semester data is submitted once the semester is over, so the page opens on the newest
    semester that has ended, and offers no period that has not begun."""
    from django.utils import timezone

    from licheng.lib.roc import Term

    current = Term.of(timezone.localdate())
    page = login(school_admin).get("/school/submissions/").content.decode()
    assert f'<a href="?period={current.previous().code}" aria-current="page">' in page
    assert f"?period={current.next().code}" not in page
    assert f'<input type="hidden" name="period" value="{current.previous().code}">' in page


def test_r4_a_submission_job_reads_in_english_when_chosen(
    graded, term, school_admin, login, django_capture_on_commit_callbacks
):
    """R4: the job card's state and period read in English on English pages."""
    client = login(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/school/submissions/", {"period": term.code})
    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get(f"/school/submissions/?period={term.code}").content.decode()
    assert "Received by the central repository" in page and "中央資料庫已收件" not in page
    assert f"Academic year {term.academic_year}, semester {term.semester}" in page
