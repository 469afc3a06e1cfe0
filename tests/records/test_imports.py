"""Bulk imports: every bad row reported (line, column, reason), nothing written until confirmed,
all-or-nothing, re-import changes nothing, a changed grade updates exactly that grade (audited)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from licheng.audit.models import AuditEntry
from licheng.curriculum.domain import imports as domain
from licheng.curriculum.enums import ImportState
from licheng.curriculum.imports import IMPORTERS
from licheng.curriculum.imports.exporting import export_file, template_file
from licheng.curriculum.models import Course, CourseEnrolment
from licheng.lib import course_code, national_id
from licheng.schools.models import CadreRecord, Student

HEADER = "學年度,學期,課程代碼,學號,原始成績,補考成績,重補修成績"


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload, check and (unless told not to) confirm, running the queued tasks as they commit."""

    def run(school, actor, kind, text: str | bytes, name="f.csv", confirm=True):
        data = text.encode("utf-8") if isinstance(text, str) else text
        with django_capture_on_commit_callbacks(execute=True):
            batch = domain.start_import(
                school, actor=actor, kind=kind, upload=SimpleUploadedFile(name, data)
            )
        batch.refresh_from_db()
        if confirm and batch.state == ImportState.READY:
            with django_capture_on_commit_callbacks(execute=True):
                domain.confirm_import(batch, actor=actor)
            batch.refresh_from_db()
        return batch

    return run


def _row(course, student, *grades):
    cells = [str(course.academic_year), str(course.semester), course.code, student.student_number]
    return ",".join(cells + [str(g) for g in grades])


def test_records_import_writes_grades_and_reimport_changes_nothing(
    school_a, school_admin, course, student, run_import
):
    text = f"{HEADER}\n{_row(course, student, 55, 61, '')}\n"
    batch = run_import(school_a, school_admin, "records", text)
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED, batch.summary
    e = CourseEnrolment.objects.get(course=course, student=student)
    assert (e.original_grade, e.makeup_grade, e.retake_grade) == (55, 61, None)
    audits = AuditEntry.objects.count()
    again = run_import(school_a, school_admin, "records", text)
    again.refresh_from_db()
    assert again.summary["updated"] == 0 and again.summary["created"] == 0
    # Only the batch's own entries (upload, confirm, summary): no grade was touched.
    assert AuditEntry.objects.filter(action="curriculum.grade.update").count() == 1
    assert AuditEntry.objects.count() == audits + 3


def test_records_import_changed_grade_updates_exactly_that_grade_audited(
    school_a, school_admin, course, student, run_import
):
    run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, student, 55, 61, '')}\n"
    )
    batch = run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, student, 55, 66, '')}\n"
    )
    batch.refresh_from_db()
    assert batch.summary["updated"] == 1
    entry = AuditEntry.objects.filter(action="curriculum.grade.update").latest("id")
    assert (entry.before, entry.after) == ({"makeup_grade": "61.00"}, {"makeup_grade": "66.00"})
    e = CourseEnrolment.objects.get(course=course, student=student)
    assert (e.original_grade, e.makeup_grade) == (55, 66)


def test_records_import_reports_every_bad_row_and_writes_nothing_before_confirm(
    school_a, school_admin, course, student, other_student, run_import
):
    bad_code = course.code[:-1] + ("0" if course.code[-1] != "0" else "1")
    unknown = str(
        course_code.CourseCode(course.academic_year, school_a.code, "flexible", "000", 999)
    )
    lines = [
        HEADER,
        _row(course, student, 80, "", ""),
        f"{course.academic_year},{course.semester},{bad_code},{student.student_number},70,,",
        f"{course.academic_year},{course.semester},{unknown},{student.student_number},70,,",
        _row(course, student, 101, "", ""),
        f"{course.academic_year},{course.semester},{course.code},{other_student.student_number},70,,",
        _row(course, student, 81, "", ""),
        f"{course.academic_year},3,{course.code},{student.student_number},70,,",
    ]
    batch = run_import(school_a, school_admin, "records", "\n".join(lines), confirm=False)
    batch.refresh_from_db()
    got = [(e["line"], e["column"], e["reason"]) for e in batch.errors]
    assert [(line, col) for line, col, _r in got] == [
        (3, "課程代碼"),
        (4, "課程代碼"),
        (5, "原始成績"),
        (6, "學號"),
        (7, ""),
        (8, "學期"),
    ]
    reasons = " ".join(r for *_x, r in got)
    for words in (
        "檢查碼錯誤",
        "沒有課程代碼",
        "超出 0–100",
        "不是本校學生",
        "與第 2 列重複",
        "1 到 2",
    ):
        assert words in reasons
    assert batch.state == ImportState.READY and batch.total_rows == 7
    assert CourseEnrolment.objects.get(course=course, student=student).original_grade is None


def test_import_is_all_or_nothing(school_a, school_admin, course, student, monkeypatch, run_import):
    from licheng.curriculum.imports.records import RecordsImporter

    def broken(self):
        CourseEnrolment.objects.filter(course=course).update(original_grade=1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(RecordsImporter, "apply", broken)
    batch = run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, student, 90, '', '')}\n"
    )
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED
    assert CourseEnrolment.objects.get(course=course, student=student).original_grade is None


@pytest.mark.parametrize("fmt", ["csv", "big5", "xlsx"])
@pytest.mark.parametrize("kind", ["students", "courses", "records", "cadres"])
def test_export_then_import_changes_nothing(
    kind, fmt, school_a, school_admin, course, enrolment, student, teacher, run_import
):
    """Round trip: export → import → no change, in every format."""
    from licheng.schools.domain.basic_data import add_cadre

    enrolment.original_grade = Decimal("59.5")
    enrolment.save()
    add_cadre(
        student,
        actor=school_admin,
        academic_year=113,
        semester=1,
        level="class",
        unit="101",
        position="班長",
    )
    data = export_file(kind, school_a, fmt)
    before = AuditEntry.objects.exclude(action__startswith="curriculum.import").count()
    batch = run_import(
        school_a, school_admin, kind, data, name=f"x.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    )
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED, (batch.errors, batch.summary)
    assert batch.summary.get("created", 0) == 0 and batch.summary.get("updated", 0) == 0, (
        batch.summary
    )
    assert AuditEntry.objects.exclude(action__startswith="curriculum.import").count() == before


def test_templates_have_the_header_only():
    for kind, importer in IMPORTERS.items():
        book = load_workbook(io.BytesIO(template_file(kind, "xlsx")))
        assert [c.value for c in book.active[1]] == importer.columns


def test_students_import_registers_students_with_classes(school_a, school_admin, run_import):
    nid = national_id.make("B", 2, "9000001")
    text = (
        "學號,姓名,身分證統一編號,科別代碼,入學日期,學籍狀態,學年度,年級,班級,座號\n"
        f"1139001,王小美,{nid},,113/08/01,在學,113,1,105,7\n"
        f"1139002,李小強,{nid[:-1]}{(int(nid[-1]) + 1) % 10},,113/08/01,在學,113,1,105,8\n"
        f"1139003,張小華,{nid},,113/08/01,在學,113,1,105,9\n"
    )
    batch = run_import(school_a, school_admin, "students", text.encode("big5"))
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED
    assert [(e["line"], e["column"]) for e in batch.errors] == [
        (3, "身分證統一編號"),
        (4, "身分證統一編號"),
    ]
    s = Student.objects.get(student_number="1139001")
    assert s.user.must_change_password and s.class_enrolments.get().seat_number == 7


def test_courses_import_validates_the_code_against_the_row(
    school_a, school_admin, teacher, run_import
):
    good = course_code.CourseCode(113, school_a.code, "school_elective", "000", 5)
    other_school = course_code.CourseCode(113, "999999", "school_elective", "000", 5)
    account = teacher.username.split(":", 1)[1]
    text = (
        "學年度,學期,課程代碼,課程名稱,學分數,課程類別,年級,科別代碼,任課教師帳號\n"
        f"113,1,{good},程式設計,2,校訂選修,2,,{account}\n"
        f"113,1,{other_school},程式設計,2,校訂選修,2,,\n"
        f"112,1,{good},程式設計,2,校訂選修,2,,\n"
        f"113,2,{good},程式設計,2,部定必修,2,,\n"
    )
    batch = run_import(school_a, school_admin, "courses", text)
    batch.refresh_from_db()
    assert [e["line"] for e in batch.errors] == [3, 4, 5]
    course = Course.objects.get(code=str(good))
    assert list(course.teachers.all()) == [teacher]


def test_cadres_import(school_a, school_admin, student, run_import):
    text = f"學號,學年度,學期,層級,單位,職稱\n{student.student_number},113,1,社團,吉他社,社長\n"
    run_import(school_a, school_admin, "cadres", text)
    assert CadreRecord.objects.get(student=student).position == "社長"


def test_missing_columns_are_named(school_a, school_admin, run_import):
    batch = run_import(school_a, school_admin, "records", "學號,成績\n1,2\n")
    batch.refresh_from_db()
    assert batch.state == ImportState.INVALID and "學年度" in batch.errors[0]["reason"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(st.text(max_size=15), min_size=7, max_size=7), max_size=6))
def test_records_check_never_crashes_on_arbitrary_cells(school_a, school_admin, rows):
    """Property: any cell text gives a row-level error or a valid row, never an exception."""
    from licheng.curriculum.imports.reading import Table

    importer = IMPORTERS["records"](school_a, school_admin)
    table = Table(header=HEADER.split(","), rows=iter(enumerate(rows, start=2)), encoding="UTF-8")
    result = importer.run(table)
    assert result.rows == len(rows)
    assert result.error_count + len(importer.valid) == len(rows)


def test_import_pages(login, school_admin, course, student, django_capture_on_commit_callbacks):
    client = login(school_admin)
    upload = SimpleUploadedFile(
        "g.csv", f"{HEADER}\n{_row(course, student, 77, '', '')}\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:records_imports"), {"kind": "records", "file": upload})
    assert response.status_code == 302
    detail = response["Location"]
    assert "所有資料列都通過檢查" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail)
    assert "已匯入" in client.get(detail).content.decode()
    assert CourseEnrolment.objects.get(course=course, student=student).original_grade == 77
    export = client.get(reverse("web:records_export", args=["records", "csv"]))
    assert export.status_code == 200 and course.code in export.content.decode("utf-8-sig")


def test_students_import_never_takes_another_students_seat(
    school_a, school_admin, student, homeroom_class, run_import
):
    nid = national_id.make("C", 1, "9000002")
    seat = student.class_enrolments.get().seat_number
    text = (
        "學號,姓名,身分證統一編號,入學日期,學年度,年級,班級,座號\n"
        f"1139005,林一,{nid},2024-08-01,{homeroom_class.academic_year},1,{homeroom_class.name},{seat}\n"
    )
    batch = run_import(school_a, school_admin, "students", text)
    assert batch.state == ImportState.INVALID
    assert "已分配給學號" in batch.errors[0]["reason"]
    assert student.class_enrolments.get().seat_number == seat


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=300), st.sampled_from(["records", "students", "courses", "cadres"]))
def test_any_uploaded_bytes_end_in_a_report_never_an_error(school_a, school_admin, data, kind):
    """Property: whatever bytes are uploaded as any kind, the check ends in a report (the batch is
    ready or invalid with reasons), never an exception."""
    from licheng.curriculum.domain.imports import check_batch

    batch = domain.start_import(
        school_a, actor=school_admin, kind=kind, upload=SimpleUploadedFile("f.csv", data or b" ")
    )
    batch = check_batch(batch)
    assert batch.state in (ImportState.READY, ImportState.INVALID)
    assert batch.state == ImportState.READY or (
        batch.errors and all(e["reason"] for e in batch.errors)
    )


def test_records_row_with_blank_grades_is_an_enrolment_and_never_erases(
    school_a, school_admin, course, student, other_student, run_import
):
    """R5: a row with blank grades enrols the student; a blank cell never erases a stored grade."""
    from tests.factories import make_student

    newcomer = make_student(school_a)
    run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, newcomer, '', '', '')}\n"
    )
    assert CourseEnrolment.objects.get(course=course, student=newcomer).original_grade is None
    run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, newcomer, 50, 62, '')}\n"
    )
    batch = run_import(
        school_a, school_admin, "records", f"{HEADER}\n{_row(course, newcomer, '', '', 70)}\n"
    )
    e = CourseEnrolment.objects.get(course=course, student=newcomer)
    assert (e.original_grade, e.makeup_grade, e.retake_grade, batch.summary["updated"]) == (
        50,
        62,
        70,
        1,
    )


def test_courses_rows_without_a_code_become_draft_plans_once(
    school_a, school_admin, teacher, run_import
):
    """Tier 1: a school files its course plan from a spreadsheet; drafts are not duplicated."""
    from licheng.curriculum.enums import PlanState
    from licheng.curriculum.models import CoursePlan

    account = teacher.username.split(":", 1)[1]
    text = (
        "學年度,學期,課程代碼,課程名稱,學分數,課程類別,年級,科別代碼,任課教師帳號\n"
        f"114,1,,第二外國語,2,多元選修,2,,{account}\n"
    )
    run_import(school_a, school_admin, "courses", text)
    plan = CoursePlan.objects.get(school=school_a, name="第二外國語")
    assert (plan.state, list(plan.teachers.all())) == (PlanState.DRAFT, [teacher])
    again = run_import(school_a, school_admin, "courses", text)
    assert (
        again.summary["unchanged"] == 1
        and CoursePlan.objects.filter(name="第二外國語").count() == 1
    )
    exported = export_file("courses", school_a, "csv").decode("utf-8-sig")
    assert ",,第二外國語," in exported


def test_exports_and_imports_keep_zh_hant_labels_on_english_pages(
    school_a, school_admin, course, enrolment, student, run_import
):
    """Files are written in the platform's source language whoever exports them, and a file in
    zh-Hant is read by someone on the English pages: the round trip changes nothing."""
    from django.utils import translation

    with translation.override("en"):
        students = export_file("students", school_a, "csv").decode("utf-8-sig")
        courses = export_file("courses", school_a, "csv").decode("utf-8-sig")
        assert "在學" in students and "Enrolled" not in students
        assert "部定必修" in courses and "National required" not in courses
        batch = run_import(school_a, school_admin, "students", students.encode(), name="s.csv")
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED, batch.errors
