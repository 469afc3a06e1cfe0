"""R38: a transferring student's whole record leaves through the exchange format, nothing lost."""

from __future__ import annotations

import pytest

from licheng.central.models import CentralFile, CentralRecord, CentralStudent
from licheng.selection.domain.precheck import SubmissionError
from licheng.selection.domain.transfer import start_transfer
from licheng.selection.models import SubmissionJob

from .conftest import make_outcome, make_performance


def test_r38_transfer_out_sends_every_record_item_and_file(
    student,
    graded,
    chemistry,
    teacher,
    last_year,
    school_b,
    school_admin,
    login,
    django_capture_on_commit_callbacks,
):
    """R38: courses, certified and uncertified outcomes, performances and files all move."""
    certified = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    pending = make_outcome(student, chemistry, "待認證的成果")
    performance = make_performance(student, last_year, "志工")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(school_admin).post(
            "/school/transfers/start/",
            {"student_number": student.student_number, "transfer_to": school_b.code},
        )
    assert response.status_code == 302
    job = SubmissionJob.objects.get(kind="transfer")
    assert job.state == "done", job.message
    record = CentralRecord.objects.get(kind="transfer")
    assert {i.local_id for i in record.items.all()} == {
        f"outcome-{certified.pk}",
        f"outcome-{pending.pk}",
        f"performance-{performance.pk}",
    }
    assert record.courses[0]["name"] == "物理"
    assert CentralFile.objects.count() == 3
    assert CentralStudent.objects.get().school == school_b
    student.refresh_from_db()
    assert student.status == "transferred_out"


def test_transfer_to_own_school_is_refused(student, school_a, school_admin):
    with pytest.raises(SubmissionError, match="不可與本校相同"):
        start_transfer(student, transfer_to=school_a, actor=school_admin)


def test_transfer_form_explains_an_unknown_student(school_admin, school_b, login):
    response = login(school_admin).post(
        "/school/transfers/start/",
        {"student_number": "nobody", "transfer_to": school_b.code},
        follow=True,
    )
    assert "本校查無此學號" in response.content.decode()
