"""The nightly backup: queued once per night, restored into a scratch database and verified, and
its age on the central administrator's dashboard (red after 26 hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from licheng.ops import snapshot
from licheng.ops.domain import backups
from licheng.ops.enums import BackupStatus
from licheng.ops.models import BackupRun
from licheng.ops.tasks import run_backup
from licheng.settings import TASK_QUEUES  # every queue a task names

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture
def backup_dir(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_HOUR = 2
    return settings.BACKUP_DIR


def test_nightly_backup_is_due_after_the_hour_and_queued_once(db, backup_dir):
    night = dt.datetime(2026, 3, 5, 1, 59, tzinfo=TAIPEI)
    assert backups.nightly_due(night) is None
    later = night + dt.timedelta(minutes=2)
    assert backups.nightly_due(later) == dt.date(2026, 3, 5)

    first = backups.queue_nightly_backup(dt.date(2026, 3, 5))
    second = backups.queue_nightly_backup(dt.date(2026, 3, 5))  # another scheduler, same night
    assert first is not None and second is None
    assert backups.nightly_due(later) is None


@pytest.mark.slow
def test_scheduled_backup_is_restored_in_a_scratch_database_and_verified(
    student, backup_dir, settings
):
    """The run restores the newest generation in a child process and keeps N generations."""
    settings.BACKUP_KEEP = 2
    default_storage.save("evidence/x.pdf", ContentFile(b"%PDF-1.7 x"))
    for _ in range(3):
        run = backups.queue_manual_backup()
        run_backup.enqueue(run.pk)  # the in-process backend runs it now
    run.refresh_from_db()

    assert run.status == BackupStatus.VERIFIED, run.message
    assert run.verified_at is not None
    assert "驗證通過：1 個檔案的 SHA-256" in run.message
    assert len(snapshot.generations(backup_dir)) == 2
    assert backups.last_verified() == run


def test_backup_of_damaged_source_is_failed_not_verified(db, backup_dir, monkeypatch):
    """A file a row names is missing from storage: the run fails and says which file."""
    monkeypatch.setattr(
        snapshot,
        "_check_file_records",
        lambda expected, files: ["evidence.storedfile x：儲存空間中沒有這個檔案"],
    )
    run = backups.run_backup(backups.queue_manual_backup(), verify=False)
    assert run.status == BackupStatus.FAILED
    assert "儲存空間中沒有這個檔案" in run.message


def test_scheduler_command_queues_tonight_once(db, backup_dir, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    settings.BACKUP_HOUR = 0  # due at any time of day
    settings.DAILY_JOBS_HOUR = 24  # never due: this test is about the backup alone
    call_command("ops_scheduler", "--once")
    call_command("ops_scheduler", "--once")
    queued = default_task_backend.results
    assert [r.task.name for r in queued] == ["run_backup"]
    assert queued[0].args == [BackupRun.objects.get(scheduled_for=timezone.localdate()).pk]


def verified(hours_ago: float) -> BackupRun:
    return BackupRun.objects.create(
        kind="scheduled",
        status=BackupStatus.VERIFIED,
        verified_at=timezone.now() - dt.timedelta(hours=hours_ago),
        generation="g",
    )


def test_dashboard_shows_last_verified_backup_to_central_admin(login, central_admin):
    verified(hours_ago=3)
    page = login(central_admin).get(reverse("web:dashboard")).content.decode()
    assert "最近一次驗證成功的備份" in page
    assert "badge ok" in page and "card-alert" not in page


def test_dashboard_backup_turns_red_after_26_hours(login, central_admin):
    verified(hours_ago=27)
    page = login(central_admin).get(reverse("web:dashboard")).content.decode()
    assert "card-alert" in page and "已超過 26 小時" in page


def test_dashboard_backup_red_when_never_verified(login, central_admin):
    BackupRun.objects.create(kind="scheduled", status=BackupStatus.FAILED, message="x")
    page = login(central_admin).get(reverse("web:dashboard")).content.decode()
    assert "尚未有任何驗證成功的備份" in page and "card-alert" in page


def test_backup_status_is_not_shown_to_school_staff(login, school_admin):
    verified(hours_ago=1)
    page = login(school_admin).get(reverse("web:dashboard")).content.decode()
    assert "資料備份" not in page


def test_backup_record_page_lists_runs_for_central_admin(login, central_admin, school_admin):
    verified(hours_ago=1)
    page = login(central_admin).get(reverse("web:ops_backups")).content.decode()
    assert "已驗證" in page and "每日排程" in page
    assert login(school_admin).get(reverse("web:ops_backups")).status_code == 403


def test_backup_record_page_in_english(login, central_admin):
    verified(hours_ago=30)
    client = login(central_admin)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:ops_backups")).content.decode()
    assert "<h1>Backup runs</h1>" in page and "Overdue" in page


def test_central_admin_queues_a_backup_now_but_not_two_at_once(login, central_admin, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    client = login(central_admin)
    response = client.post(reverse("web:ops_backup_now"), follow=True)
    assert "已排入備份" in response.content.decode()
    run = BackupRun.objects.get()
    assert run.kind == "manual" and run.status == BackupStatus.QUEUED
    assert [r.args for r in default_task_backend.results] == [[run.pk]]

    again = client.post(reverse("web:ops_backup_now"), follow=True).content.decode()
    assert "已有備份在排程或執行中" in again
    assert BackupRun.objects.count() == 1


def test_only_central_admin_may_start_a_backup(login, school_admin):
    assert login(school_admin).post(reverse("web:ops_backup_now")).status_code == 403
    assert not BackupRun.objects.exists()
