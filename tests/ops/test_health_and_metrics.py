"""Probes (/healthz, /readyz) and Prometheus metrics (/metrics)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from licheng.ops import metrics


def test_healthz_answers_without_touching_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_when_database_storage_and_queue_answer(db, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "tasks": "ok"}


def test_readyz_names_unwritable_storage(db, client, settings, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the storage folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked / "files")},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert body["checks"]["storage"].startswith("unavailable")
    assert body["checks"]["database"] == "ok"


def test_readyz_names_unreachable_s3(db, client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "licheng",
                "endpoint_url": "http://127.0.0.1:9",  # discard port: nothing listens
                "access_key": "x",
                "secret_key": "y",
            },
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_probes_skip_the_https_redirect_in_production(settings):
    assert any(pattern == r"^readyz$" for pattern in settings.SECURE_REDIRECT_EXEMPT)


def test_metrics_absent_unless_enabled(db, client, settings):
    settings.METRICS_ENABLED = False
    assert client.get("/metrics").status_code == 404


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = ""
    return settings


def sample(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_uploads_failed_logins_and_queue(db, metrics_on, student):
    client = Client()
    before = client.get("/metrics").content.decode()
    client.get(reverse("web:login"))
    client.post(
        reverse("web:login"),
        {"school": student.school.code, "username": student.student_number, "password": "wrong"},
    )
    metrics.upload_received("outcome", size=1234)
    text = client.get("/metrics").content.decode()

    assert sample(text, "licheng_login_failures_total") == (
        sample(before, "licheng_login_failures_total") + 1
    )
    assert sample(text, 'licheng_uploads_total{kind="outcome"}') == (
        sample(before, 'licheng_uploads_total{kind="outcome"}') + 1
    )
    assert 'licheng_http_request_duration_seconds_count{method="GET",route="web:login"' in text
    assert 'licheng_task_queue_depth{queue="default"} 0.0' in text
    assert "licheng_backup_last_verified_timestamp_seconds 0.0" in text


def test_metrics_token_is_required_when_set(db, metrics_on, client):
    metrics_on.METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
    assert ok.status_code == 200


def test_stored_evidence_files_are_counted_as_uploads(
    db, metrics_on, student, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.devtools import samples
    from licheng.evidence import rules
    from licheng.evidence.domain.files import store_upload

    before = sample(metrics.exposition().decode(), 'licheng_uploads_total{kind="pdf"}')
    with django_capture_on_commit_callbacks(execute=True):
        store_upload(
            SimpleUploadedFile("a.pdf", samples.pdf_bytes()),
            rules.DOCUMENT,
            owner=student,
            uploaded_by=student.user,
        )
    after = sample(metrics.exposition().decode(), 'licheng_uploads_total{kind="pdf"}')
    assert after == before + 1
