"""The annual package (R22): pre-check per student, files verified at the central repository."""

from __future__ import annotations

from licheng.central.domain.blobs import verify_all
from licheng.central.models import CentralFile, CentralItem
from licheng.selection.domain.annual import precheck_annual, save_selection
from licheng.selection.domain.submission import start_submission
from licheng.selection.models import SubmissionJob

from .conftest import make_outcome, make_performance


def test_r22_annual_package_carries_the_selected_items_and_their_files(
    student,
    chemistry,
    teacher,
    last_year,
    selection_open,
    school_admin,
    django_capture_on_commit_callbacks,
):
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    performance = make_performance(student, last_year - 1, "去年的競賽")  # R20
    performance.details = {"organization": "市立圖書館", "hours": 24}
    performance.end_date = performance.activity_date.replace(month=12)
    performance.source = "school"
    performance.save()
    save_selection(
        student,
        last_year,
        outcome_ids=[outcome.pk],
        performance_ids=[performance.pk],
        actor=student.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        start_submission(student.school, kind="annual", academic_year=last_year, actor=school_admin)
    job = SubmissionJob.objects.get()
    assert job.state == "done", job.message
    line = job.receipt["students"][0]
    assert sorted(i["id"] for i in line["items"]) == [
        f"outcome-{outcome.pk}",
        f"performance-{performance.pk}",
    ]
    central = CentralFile.objects.get(item__local_id=f"outcome-{outcome.pk}")
    assert central.sha256 == outcome.document.sha256
    held = CentralItem.objects.get(local_id=f"performance-{performance.pk}")
    assert held.academic_year == last_year - 1
    # Format 1.1 (R15, R19, R13): what universities are shown travels with the year's items.
    assert (held.details, held.end_date, held.source) == (
        performance.details,
        performance.end_date,
        "school",
    )
    certified = CentralItem.objects.get(local_id=f"outcome-{outcome.pk}")
    assert certified.certified_by_name == teacher.full_name
    assert verify_all() == (2, [])


def test_precheck_flags_an_outcome_returned_after_it_was_selected(
    student, chemistry, teacher, last_year, selection_open, school_admin, homeroom_class
):
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    save_selection(
        student, last_year, outcome_ids=[outcome.pk], performance_ids=[], actor=student.user
    )
    outcome.state = "submitted"
    outcome.save()
    findings = precheck_annual(student.school, last_year)
    assert [(p.message, p.blocking) for p in findings[student]] == [
        ("「滴定實驗」未通過認證（R14）", True)
    ]


def test_precheck_reminds_of_a_performance_without_description(student, last_year, selection_open):
    performance = make_performance(student, last_year, "志工", description="")
    save_selection(
        student, last_year, outcome_ids=[], performance_ids=[performance.pk], actor=student.user
    )
    findings = precheck_annual(student.school, last_year)
    assert [(p.message, p.blocking) for p in findings[student]] == [
        ("多元表現「志工」沒有簡述", False)
    ]


def test_r22_a_stored_file_gone_fails_the_package_naming_it(
    student,
    chemistry,
    teacher,
    last_year,
    selection_open,
    school_admin,
    django_capture_on_commit_callbacks,
    caplog,
):
    """R22: the year's package never leaves with a file missing; the job fails saying which
    file (its name and number, in words the school reads), and the operators are paged."""
    import logging

    from django.core.files.storage import default_storage

    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    save_selection(
        student, last_year, outcome_ids=[outcome.pk], performance_ids=[], actor=student.user
    )
    default_storage.delete(outcome.document.storage_name)
    with caplog.at_level(logging.CRITICAL), django_capture_on_commit_callbacks(execute=True):
        start_submission(student.school, kind="annual", academic_year=last_year, actor=school_admin)
    job = SubmissionJob.objects.get()
    assert job.state == "failed"
    assert outcome.document.original_name in job.message
    assert str(outcome.document.pk) in job.message and "備份還原" in job.message
    assert "Errno" not in job.message and default_storage.location not in job.message
    assert str(outcome.document.pk) in caplog.text
    assert not CentralItem.objects.exists()
