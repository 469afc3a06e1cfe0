"""R38, R25: a submission or a transfer in whose worker died mid-job is found by the scheduler
and run again (running twice is safe); after MAX_RESTARTS it is given up with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from licheng.audit.models import AuditEntry
from licheng.central.domain.transfers import queue_central_transfer
from licheng.ops.domain.daily import restart_stalled_jobs
from licheng.schools.models import Student
from licheng.selection.domain.jobs import MAX_RESTARTS, STALLED_AFTER, restart_stalled
from licheng.selection.models import SubmissionJob, TransferInJob
from licheng.settings import TASK_QUEUES  # every queue a task names
from tests.central.records import make_transfer

HELD = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": TASK_QUEUES,
    }
}


class Recorder:
    def __init__(self):
        self.queued: list[int] = []

    def enqueue(self, pk):
        self.queued.append(pk)


def _stall(job, state, minutes_ago):
    """The worker died ``minutes_ago`` while the job was in ``state``."""
    type(job).objects.filter(pk=job.pk).update(
        state=state, progress=40, updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def submission_job(school_a):
    return SubmissionJob.objects.create(school=school_a, kind="annual", academic_year=113)


def test_r25_a_submission_whose_worker_died_is_queued_again(
    submission_job, django_capture_on_commit_callbacks
):
    job = _stall(submission_job, "sending", minutes_ago=45)
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=True):
        assert restart_stalled(job, task=task) == "restarted"
    job.refresh_from_db()
    assert (job.state, job.progress, job.restarts, task.queued) == ("queued", 0, 1, [job.pk])
    entry = AuditEntry.objects.get(action="selection.job.restart")
    assert entry.after == {"stalled_in": "sending", "restarts": 1}


def test_a_job_still_moving_or_waiting_its_turn_is_left_alone(
    submission_job, school_a, django_capture_on_commit_callbacks
):
    """Only a running job whose row stopped moving has lost its worker: a slow step, or a job
    still queued behind others on deadline day, is not run twice."""
    _stall(submission_job, "building", minutes_ago=STALLED_AFTER.total_seconds() / 60 - 5)
    waiting = SubmissionJob.objects.create(school=school_a, kind="semester", academic_year=113)
    SubmissionJob.objects.filter(pk=waiting.pk).update(
        updated_at=timezone.now() - timedelta(hours=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert restart_stalled_jobs() == []
    assert set(SubmissionJob.objects.values_list("state", "restarts")) == {
        ("building", 0),
        ("queued", 0),
    }


def test_a_job_stalling_again_and_again_is_given_up_with_a_reason(
    submission_job, django_capture_on_commit_callbacks
):
    task = Recorder()
    for _ in range(MAX_RESTARTS):
        _stall(submission_job, "building", minutes_ago=60)
        with django_capture_on_commit_callbacks(execute=True):
            assert restart_stalled(submission_job, task=task) == "restarted"
    job = _stall(submission_job, "building", minutes_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert restart_stalled(job, task=task) == "abandoned"
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at is not None
    assert "中斷 3 次" in job.message and "重新送出" in job.message
    assert len(task.queued) == MAX_RESTARTS
    assert AuditEntry.objects.filter(action="selection.job.abandon").count() == 1


@override_settings(TASKS=HELD)
def test_r38_a_transfer_in_stalled_mid_check_completes_when_run_again(
    other_student, school_a, school_admin, login, django_capture_on_commit_callbacks
):
    """End to end: the scheduler finds the stalled transfer in, queues its own task again, and
    the worker running it brings the student in whole."""
    incoming = make_transfer(other_student, school_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_central_transfer(
            incoming, school=school_a, student_number="T0001", actor=school_admin
        )
    _stall(job, "checking", minutes_ago=40)
    with django_capture_on_commit_callbacks(execute=True):
        lines = restart_stalled_jobs()
    assert len(lines) == 1 and f"#{job.pk}" in lines[0] and "restarted" in lines[0]
    job.refresh_from_db()
    assert job.state == "queued"
    page = login(school_admin).get("/school/transfers/").content.decode()
    assert "處理中斷，已自動重新執行 1 次" in page
    from licheng.central.tasks import receive_central_transfer_task

    receive_central_transfer_task.call(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    assert (job.state, job.progress) == ("done", 100)
    assert Student.objects.filter(school=school_a, student_number="T0001").exists()


def test_the_scheduler_reports_the_restart(submission_job, capsys, settings):
    settings.DAILY_JOBS_HOUR = 24  # nothing else due in this test
    _stall(submission_job, "building", minutes_ago=90)
    with override_settings(TASKS=HELD):
        call_command("ops_scheduler", "--once")
    assert "中斷的背景作業" in capsys.readouterr().out
    assert TransferInJob.objects.count() == 0
    submission_job.refresh_from_db()
    assert (submission_job.state, submission_job.restarts) == ("queued", 1)
