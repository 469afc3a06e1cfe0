"""Central administrators' pages: status per school and term, caps, keys, a student's record."""

from __future__ import annotations

from licheng.audit.models import AuditEntry
from licheng.central.models import SchoolCredential
from licheng.selection.models import NationalCaps

from .packages import outcome
from .records import make_record


def test_status_shows_submitted_and_missing_schools(student, school_b, central_admin, login):
    record = make_record(student)
    year = record.academic_year
    page = login(central_admin).get(f"/central/?year={year}&semester=0").content.decode()
    assert "臺北市立甲高級中學" in page and "臺中市立乙高級工業職業學校" in page
    assert "已提交" in page


def test_r22_central_admin_sets_caps_per_year(central_admin, login):
    """R22: the caps are data per year, set by the central administrator."""
    client = login(central_admin)
    response = client.post(
        "/central/caps/", {"academic_year": 114, "max_outcomes": 5, "max_performances": 8}
    )
    assert response.status_code == 302
    caps = NationalCaps.objects.get(academic_year=114)
    assert (caps.max_outcomes, caps.max_performances) == (5, 8)


def test_caps_form_explains_bad_input(central_admin, login):
    response = login(central_admin).post(
        "/central/caps/", {"academic_year": 114, "max_outcomes": -1, "max_performances": "x"}
    )
    assert response.status_code == 400
    assert NationalCaps.objects.count() == 0


def test_key_is_shown_once_and_stored_hashed(school_a, central_admin, login):
    response = login(central_admin).post("/central/keys/", {"school": school_a.code}, follow=True)
    page = response.content.decode()
    credential = SchoolCredential.objects.get()
    assert f"lc_{credential.prefix}" in page
    assert credential.key_hash not in page


def test_whole_record_across_years_with_versions_and_the_read_is_logged(
    student, central_admin, login
):
    make_record(student)
    record = make_record(student, items=[outcome("o1"), outcome("o9")])
    page = login(central_admin).get(f"/central/students/{record.student_id}/").content.decode()
    assert "第 1 版" in page and "第 2 版" in page and "成果 o9" in page
    assert AuditEntry.objects.filter(action="central.student.read").count() == 1


def test_student_search(student, central_admin, login):
    make_record(student)
    page = login(central_admin).get(f"/central/students/?q={student.national_id}").content
    assert student.name in page.decode()


def _queries_for_record_page(student, central_admin, login, items):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record = make_record(student, items=items)
    client = login(central_admin)
    client.get("/")  # session and menu warm
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/central/students/{record.student_id}/")
    return len(ctx.captured_queries)


def test_whole_record_page_queries_do_not_grow_with_items(student, central_admin, login):
    one = _queries_for_record_page(student, central_admin, login, [outcome("o1")])
    three = _queries_for_record_page(
        student, central_admin, login, [outcome("o1"), outcome("o2"), outcome("o3")]
    )
    assert one == three
