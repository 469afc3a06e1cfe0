"""Large imports run as background tasks; the batch page shows their progress while they run."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from licheng.curriculum.domain.imports import check_batch, start_import
from licheng.curriculum.enums import ImportState
from licheng.settings import TASK_QUEUES  # every queue a task names

DUMMY_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": TASK_QUEUES,
    }
}


@override_settings(TASKS=DUMMY_TASKS)
def test_progress_is_shown_while_the_check_runs_in_the_background(
    login, school_admin, school_a, django_capture_on_commit_callbacks
):
    text = "學號,學年度,學期,層級,單位,職稱\n" + "".join(
        f"X{i},113,1,班級,101,班長\n" for i in range(10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_import(
            school_a,
            actor=school_admin,
            kind="cadres",
            upload=SimpleUploadedFile("c.csv", text.encode()),
        )
    batch.refresh_from_db()
    assert batch.state == ImportState.VALIDATING  # queued, not run in the request
    client = login(school_admin)
    partial = client.get(reverse("web:records_import_progress", args=[batch.pk]))
    assert (
        'hx-trigger="every 1s"' in partial.content.decode()
        and "已檢查 0 列" in partial.content.decode()
    )
    check_batch(batch)  # what the worker does
    done = client.get(reverse("web:records_import_progress", args=[batch.pk]))
    assert done["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert (batch.state, batch.total_rows, batch.error_count) == (ImportState.INVALID, 10, 10)
