"""Basic data (R1–R3): staff-only edits, correction requests, cadre, attendance, rewards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from licheng.audit.models import AuditEntry
from licheng.lib import national_id
from licheng.schools.domain import basic_data as domain
from licheng.schools.enums import CorrectionState


def test_r1_staff_edit_is_audited_before_and_after(student, school_admin):
    domain.update_student(student, actor=school_admin, name="陳曉明")
    entry = AuditEntry.objects.get(action="schools.student.update")
    assert (entry.before, entry.after) == ({"name": "陳小明"}, {"name": "陳曉明"})
    student.user.refresh_from_db()
    assert student.user.full_name == "陳曉明"


def test_r1_national_id_with_wrong_checksum_is_refused(student, school_admin):
    bad = student.national_id[:-1] + str((int(student.national_id[-1]) + 1) % 10)
    with pytest.raises(domain.BasicDataError, match="檢查碼"):
        domain.update_student(student, actor=school_admin, national_id=bad)


def test_r1_student_cannot_edit_own_data_page(login, student):
    url = reverse("web:records_student", args=[student.pk])
    assert (
        login(student.user).post(url, {"form": "student", "student-name": "X"}).status_code == 404
    )


def test_r1_correction_accepted_corrects_the_data(login, student, school_admin):
    """R1: the student asks; staff accept → the data is corrected (audited)."""
    new_id = national_id.make("A", 1, "9123456")
    response = login(student.user).post(
        reverse("web:records_my_basic"), {"field": "national_id", "requested_value": new_id.lower()}
    )
    assert response.status_code == 302
    req = student.corrections.get()
    login(school_admin).post(reverse("web:records_correction", args=[req.pk]), {"action": "accept"})
    student.refresh_from_db()
    req.refresh_from_db()
    assert (student.national_id, req.state) == (new_id, CorrectionState.ACCEPTED)


def test_r1_correction_refused_needs_a_reason(student, school_admin):
    req = domain.request_correction(
        student, actor=student.user, field="name", requested_value="陳大明"
    )
    with pytest.raises(domain.BasicDataError, match="理由"):
        domain.refuse_correction(req, actor=school_admin, reason="")
    domain.refuse_correction(req, actor=school_admin, reason="與戶籍資料相符")
    req.refresh_from_db()
    student.refresh_from_db()
    assert (req.state, req.refusal_reason, student.name) == (
        CorrectionState.REFUSED,
        "與戶籍資料相符",
        "陳小明",
    )


def test_r1_another_schools_admin_cannot_resolve(login, student, other_school_admin):
    req = domain.request_correction(
        student, actor=student.user, field="name", requested_value="陳大明"
    )
    response = login(other_school_admin).post(
        reverse("web:records_correction", args=[req.pk]), {"action": "accept"}
    )
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.state == CorrectionState.PENDING


def test_r2_cadre_records_at_school_class_and_club_level(student, school_admin):
    for level, unit, position in [
        ("school", "學生會", "會長"),
        ("class", "101", "班長"),
        ("club", "吉他社", "社長"),
    ]:
        domain.add_cadre(
            student,
            actor=school_admin,
            academic_year=113,
            semester=1,
            level=level,
            unit=unit,
            position=position,
        )
    assert student.cadre_records.count() == 3
    with pytest.raises(domain.BasicDataError):
        domain.add_cadre(
            student,
            actor=school_admin,
            academic_year=113,
            semester=3,
            level="school",
            unit="x",
            position="y",
        )


def test_r3_attendance_per_semester_is_audited(student, school_admin):
    domain.set_attendance(student, actor=school_admin, academic_year=113, semester=1, sick_leave=3)
    domain.set_attendance(student, actor=school_admin, academic_year=113, semester=1, sick_leave=5)
    assert student.attendance.get().sick_leave == 5
    entries = AuditEntry.objects.filter(action="schools.attendance.update").order_by("id")
    assert entries.last().before == {"sick_leave": 3}


def test_r3_reward_is_filed_in_its_semester(student, school_admin):
    rec = domain.add_reward(
        student,
        actor=school_admin,
        kind="minor_merit",
        count=1,
        reason="服務熱心",
        given_on=dt.date(2025, 3, 1),
    )
    assert (rec.academic_year, rec.semester) == (113, 2)


def test_r1_r3_staff_page_saves_a_reward(login, school_admin, student):
    url = reverse("web:records_student", args=[student.pk])
    response = login(school_admin).post(
        url,
        {
            "form": "reward",
            "reward-kind": "commendation",
            "reward-count": 2,
            "reward-reason": "整潔比賽",
            "reward-given_on": "2025-03-02",
        },
    )
    assert response.status_code == 302
    assert student.rewards.get().count == 2


def test_r2_r3_staff_delete_a_cadre_post_and_a_reward_audited(login, school_admin, student):
    cadre = domain.add_cadre(
        student,
        actor=school_admin,
        academic_year=113,
        semester=1,
        level="class",
        unit="101",
        position="班長",
    )
    reward = domain.add_reward(
        student,
        actor=school_admin,
        kind="warning",
        count=1,
        reason="誤植",
        given_on=dt.date(2024, 9, 2),
    )
    client = login(school_admin)
    url = reverse("web:records_student", args=[student.pk])
    client.post(url, {"form": "delete_cadre", "pk": cadre.pk})
    client.post(url, {"form": "delete_reward", "pk": reward.pk})
    assert not student.cadre_records.exists() and not student.rewards.exists()
    assert AuditEntry.objects.get(action="schools.reward.delete").before["reason"] == "誤植"


def test_r1_staff_form_shows_the_enrolment_date_for_a_date_input(login, school_admin, student):
    body = (
        login(school_admin).get(reverse("web:records_student", args=[student.pk])).content.decode()
    )
    assert f'value="{student.enrolment_date.isoformat()}"' in body


def test_r1_department_correction_by_name(student, school_a, school_admin):
    from tests.factories import DepartmentFactory

    dept = DepartmentFactory(school=school_a, code="301", name="資訊科")
    req = domain.request_correction(
        student, actor=student.user, field="department", requested_value="資訊科"
    )
    domain.accept_correction(req, actor=school_admin)
    student.refresh_from_db()
    assert student.department == dept


def test_r1_staff_set_department_and_class_seat_on_the_page(
    login, school_admin, student, school_a, homeroom_class
):
    from tests.factories import DepartmentFactory, SchoolClassFactory

    dept = DepartmentFactory(school=school_a, code="101", name="普通科")
    other = SchoolClassFactory(school=school_a, grade=1, name="102")
    client = login(school_admin)
    url = reverse("web:records_student", args=[student.pk])
    data = {"form": "student", "student-name": student.name, "student-national_id": student.national_id,
            "student-department": dept.pk, "student-enrolment_date": student.enrolment_date.isoformat(),
            "student-status": "enrolled"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert (
        client.post(
            url, {"form": "placement", "placement-school_class": other.pk, "placement-seat": 5}
        ).status_code
        == 302
    )
    student.refresh_from_db()
    assert student.department == dept
    assert [(p.school_class, p.seat_number) for p in student.class_enrolments.all()] == [(other, 5)]
    assert AuditEntry.objects.filter(action="schools.placement.update").count() == 1


def test_r1_a_taken_seat_is_refused(school_admin, student, school_a, homeroom_class):
    from tests.factories import make_student

    newcomer = make_student(school_a)
    seat = student.class_enrolments.get().seat_number
    with pytest.raises(domain.BasicDataError, match="已分配給"):
        domain.place_student(newcomer, actor=school_admin, school_class=homeroom_class, seat=seat)
