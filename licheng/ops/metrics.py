"""Prometheus metrics (監控指標): request latency, uploads, task queue depth, failed logins.

Per-process counters (latency, uploads, failed logins) use prometheus-client; with several
gunicorn processes ``PROMETHEUS_MULTIPROC_DIR`` makes them add up across processes. Numbers that
live in the database (queue depth, the last verified backup) are read at scrape time, so every
app process reports the same, true value.

Every stored evidence file is counted (a post_save observer on ``evidence.StoredFile``); other
kinds of upload call ``upload_received()`` themselves.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "licheng_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and status class.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
UPLOADS = Counter("licheng_uploads", "Files received (uploads accepted).", ["kind"])
UPLOAD_BYTES = Counter("licheng_upload_bytes", "Bytes of files received.", ["kind"])
LOGIN_FAILURES = Counter("licheng_login_failures", "Failed login attempts.")


def upload_received(kind: str = "other", size: int = 0) -> None:
    """Count one received file (call it once the upload is stored)."""
    UPLOADS.labels(kind=kind).inc()
    if size:
        UPLOAD_BYTES.labels(kind=kind).inc(size)


def _login_failed(sender: Any, **kwargs: Any) -> None:
    LOGIN_FAILURES.inc()


def _file_stored(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kw: Any
) -> None:
    if created and not raw:
        # Count it only once the upload's transaction has committed (a refused one never did).
        kind, size = str(instance.kind), int(instance.size or 0)
        transaction.on_commit(lambda: upload_received(kind, size))


def connect_signals() -> None:
    """Observe, without the other areas having to know: failed logins, stored evidence files."""
    from django.contrib.auth.signals import user_login_failed
    from django.db.models.signals import post_save

    user_login_failed.connect(_login_failed, dispatch_uid="licheng.ops.metrics.login_failed")
    post_save.connect(
        _file_stored, sender="evidence.StoredFile", dispatch_uid="licheng.ops.metrics.file_stored"
    )


class DatabaseCollector(Collector):
    """Gauges read from the database when scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from .domain.backups import last_verified

        depth = GaugeMetricFamily(
            "licheng_task_queue_depth", "Tasks waiting to run, by queue.", labels=["queue"]
        )
        waiting = dict(
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            .values_list("queue_name")
            .annotate(n=Count("id"))
            .values_list("queue_name", "n")
        )
        for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
            depth.add_metric([queue], waiting.get(queue, 0))
        yield depth
        run = last_verified()
        backup = GaugeMetricFamily(
            "licheng_backup_last_verified_timestamp_seconds",
            "When the newest verified backup was verified (0: never).",
        )
        backup.add_metric([], run.verified_at.timestamp() if run and run.verified_at else 0)
        yield backup


def exposition() -> bytes:
    """The text a Prometheus scrape receives."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_LATENCY, UPLOADS, UPLOAD_BYTES, LOGIN_FAILURES):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return generate_latest(registry)


class MetricsMiddleware:
    """Times every request; labelled by URL name (bounded), never by raw path."""

    def __init__(self, get_response: Any):
        if not settings.METRICS_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match else "unmatched"
        REQUEST_LATENCY.labels(
            method=request.method, route=route, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response
