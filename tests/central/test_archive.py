"""R26: a student's data is sealed 5 years after their first admission application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from licheng.central.domain.archive import (
    SealedError,
    ensure_releasable,
    note_admission_application,
    seal_due_students,
)

from .records import make_record


def test_r26_sealed_five_years_after_first_application(student):
    person = make_record(student).student
    note_admission_application(person, on=dt.date(2020, 3, 1), actor=None)
    note_admission_application(person, on=dt.date(2021, 3, 1), actor=None)  # later: ignored
    assert seal_due_students(dt.date(2025, 2, 28)) == 0
    assert seal_due_students(dt.date(2025, 3, 1)) == 1
    person.refresh_from_db()
    assert person.is_sealed
    with pytest.raises(SealedError, match="已於 .* 封存"):
        ensure_releasable(person)
    assert seal_due_students(dt.date(2025, 3, 2)) == 0  # sealed once


def test_r26_sealed_data_is_kept_and_visibly_marked(student, central_admin, login):
    record = make_record(student)
    note_admission_application(record.student, on=dt.date(2019, 1, 1), actor=None)
    call_command("seal_archives", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = login(central_admin).get(f"/central/students/{record.student_id}/").content.decode()
    assert "已封存，不再提供" in page
    assert "成果 o1" in page  # kept (R26: the repository keeps everything)
    assert "你的資料已封存" in login(student.user).get("/me/receipts/").content.decode()


def test_never_applied_is_never_sealed(student):
    make_record(student)
    assert seal_due_students(dt.date(2099, 1, 1)) == 0


def test_r26_releasable_items_are_the_current_versions_until_sealed(student):
    """R26: admissions gets the current items of a student; nothing once sealed."""
    from licheng.central.queries import releasable_items

    from .packages import outcome

    make_record(student)
    record = make_record(student, items=[outcome("o1"), outcome("o2")])
    assert sorted(i.local_id for i in releasable_items(record.student)) == ["o1", "o2"]
    note_admission_application(record.student, on=dt.date(2019, 1, 1), actor=None)
    seal_due_students(dt.date(2025, 1, 1))
    record.student.refresh_from_db()
    with pytest.raises(SealedError):
        releasable_items(record.student)


def test_r26_the_daily_task_seals(student):
    from licheng.central.tasks import seal_due_students_task

    person = make_record(student).student
    note_admission_application(person, on=dt.date(2000, 1, 1), actor=None)
    assert seal_due_students_task.call() == 1
