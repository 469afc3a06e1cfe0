"""R38: receiving a transfer (轉入) runs as a background job with visible progress, from the
central repository or from an uploaded package; the transfers page shows what came, or why
nothing did. Tasks run in-process by default; here the dummy backend holds them in the queue
until the test runs them, and one test runs them through the database queue's worker."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from licheng.audit.models import AuditEntry
from licheng.central.domain.transfers import queue_central_transfer, run_central_job
from licheng.evidence.models import StoredFile
from licheng.schools.models import IncomingTransfer, Student
from licheng.selection.domain.transfer_jobs import queue_transfer_package, run_package_job
from licheng.selection.models import TransferInJob
from licheng.settings import TASK_QUEUES  # every queue a task names
from tests.central.records import make_transfer

from .conftest import foreign_package

HELD = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": TASK_QUEUES,
    }
}
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,
    }
}


@pytest.fixture
def incoming(other_student, school_a):
    """``other_student`` of school B, transferring to school A, received centrally."""
    return make_transfer(other_student, school_a)


@override_settings(TASKS=HELD)
def test_r38_a_transfer_in_is_queued_then_done_on_the_page(
    incoming, school_a, school_admin, login, django_capture_on_commit_callbacks
):
    client = login(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/school/transfers/{incoming.pk}/register/", {"student_number": "T0001"})
    job = TransferInJob.objects.get()
    assert (job.state, job.central_record_id, job.label) == (
        "queued",
        incoming.pk,
        incoming.student.name,
    )
    assert not Student.objects.filter(school=school_a, student_number="T0001").exists()
    page = client.get("/school/transfers/").content.decode()
    assert "排隊中" in page and f'hx-get="/school/transfers/jobs/{job.pk}/"' in page

    run_central_job(job)  # what the worker does
    poll = client.get(f"/school/transfers/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # the page reloads: the list shows the student received
    text = poll.content.decode()
    assert "已轉入" in text and "1 筆修課紀錄、1 件課程學習成果、1 件多元表現、2 個檔案" in text
    assert "hx-trigger" not in text
    job.refresh_from_db()
    assert (job.state, job.progress, job.student.student_number) == ("done", 100, "T0001")


@override_settings(TASKS=HELD)
def test_r38_an_uploaded_package_is_kept_with_its_sha256_until_the_job_has_read_it(
    school_b, other_school_admin, django_capture_on_commit_callbacks
):
    data = foreign_package(school_b.code)
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_transfer_package(
            SimpleUploadedFile("轉學封包.zip", data),
            school=school_b,
            student_number="B0003",
            actor=other_school_admin,
        )
    kept = job.package.name
    with default_storage.open(kept, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.package_sha256
    assert job.package_sha256 == hashlib.sha256(data).hexdigest()
    assert "轉學封包" not in kept  # the stored name is the platform's, not the uploader's

    run_package_job(job)
    job.refresh_from_db()
    assert (job.state, job.result["outcomes"], job.result["files"]) == ("done", 1, 2)
    assert job.package.name == "" and not default_storage.exists(kept)


def test_r38_a_refusal_is_shown_and_leaves_nothing(
    school_b, other_school_admin, login, django_capture_on_commit_callbacks
):
    """R38: a file whose bytes differ from the manifest: the job fails, the page says why."""
    client = login(other_school_admin)
    upload = SimpleUploadedFile("t.zip", foreign_package(school_b.code, corrupt=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/school/transfers/upload/", {"package": upload, "student_number": "B0003"})
    job = TransferInJob.objects.get()
    assert job.state == "failed" and "SHA-256" in job.message
    page = client.get("/school/transfers/").content.decode()
    assert "無法轉入，沒有匯入任何資料" in page and "SHA-256" in page
    assert not Student.objects.filter(school=school_b).exists()
    assert not IncomingTransfer.objects.exists() and not StoredFile.objects.exists()
    assert job.package.name == ""  # the refused package is not kept either


def test_r38_a_package_changed_while_it_waited_is_refused(
    school_b, other_school_admin, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=HELD), django_capture_on_commit_callbacks(execute=True):
        job = queue_transfer_package(
            SimpleUploadedFile("t.zip", foreign_package(school_b.code)),
            school=school_b,
            student_number="B0003",
            actor=other_school_admin,
        )
    name = job.package.name
    default_storage.delete(name)
    default_storage.save(name, SimpleUploadedFile("t.zip", foreign_package("999998")))
    run_package_job(job)
    assert job.state == "failed" and "已變動" in job.message
    assert not IncomingTransfer.objects.exists()


def test_r38_running_a_job_again_or_receiving_again_changes_nothing(
    incoming, school_a, school_admin, django_capture_on_commit_callbacks
):
    """R38: idempotent: the task delivered twice, or a second job for the same record, adds
    nothing and writes no receipt audit entry; the second job says so."""
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_central_transfer(
            incoming, school=school_a, student_number="T0001", actor=school_admin
        )
    first.refresh_from_db()
    assert first.state == "done" and not first.result["unchanged"]
    counts = (StoredFile.objects.count(), IncomingTransfer.objects.count())
    receipts = AuditEntry.objects.filter(action="selection.transfer.receive").count()
    run_central_job(first)  # the task delivered again
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_central_transfer(incoming, school=school_a, actor=school_admin)
    second.refresh_from_db()
    assert second.pk != first.pk and second.state == "done" and second.result["unchanged"]
    assert (StoredFile.objects.count(), IncomingTransfer.objects.count()) == counts
    assert AuditEntry.objects.filter(action="selection.transfer.receive").count() == receipts


@override_settings(TASKS=HELD)
def test_r38_a_second_click_while_it_waits_is_the_same_job(
    incoming, school_a, school_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        one = queue_central_transfer(
            incoming, school=school_a, student_number="T1", actor=school_admin
        )
        two = queue_central_transfer(
            incoming, school=school_a, student_number="T1", actor=school_admin
        )
    assert one.pk == two.pk and TransferInJob.objects.count() == 1


def test_r38_another_school_cannot_watch_the_job(
    incoming, school_a, school_admin, other_school_admin, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_central_transfer(
            incoming, school=school_a, student_number="T0001", actor=school_admin
        )
    assert login(other_school_admin).get(f"/school/transfers/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_r38_a_transfer_in_runs_through_the_database_queue(school_b, other_school_admin):
    """With ``LICHENG_TASKS=database`` the upload is queued in the database and a worker
    process (``manage.py db_worker``) receives it from the kept package."""
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_QUEUE):
        job = queue_transfer_package(
            SimpleUploadedFile("t.zip", foreign_package(school_b.code)),
            school=school_b,
            student_number="B0003",
            actor=other_school_admin,
        )
        assert DBTaskResult.objects.filter(queue_name="imports").count() == 1
        job.refresh_from_db()
        assert job.state == "queued"
        call_command("db_worker", batch=True, queue_name="imports", startup_delay=False)
    job.refresh_from_db()
    assert (job.state, job.result["outcomes"], job.result["performances"]) == ("done", 1, 1)
    assert Student.objects.get(school=school_b).student_number == "B0003"
