"""Readiness checks (服務就緒檢查): can this process reach its database, storage and task queue?

Each check answers quickly (short timeouts) and names the failing part, so a load balancer takes
the process out of rotation and the operator sees which dependency is down. Details carry the
error's class only: a probe endpoint must not print host names or keys.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


@cache
def _s3_probe_client(endpoint: str | None, key: str | None, secret: str | None, region: str) -> Any:
    import boto3
    from botocore.config import Config

    # Not the storage's own client: that one retries for a minute, a probe must answer now.
    config = Config(
        connect_timeout=TIMEOUT_SECONDS,
        read_timeout=TIMEOUT_SECONDS,
        retries={"max_attempts": 1, "mode": "standard"},
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
        region_name=region, config=config,
    )  # fmt: skip


def storage() -> None:
    target: Any = storages["default"]
    if isinstance(target, FileSystemStorage):
        os.makedirs(target.location, exist_ok=True)
        if not os.access(target.location, os.W_OK):
            raise PermissionError("storage directory is not writable")
        return
    bucket = getattr(target, "bucket_name", None)
    if bucket:
        client = _s3_probe_client(
            target.endpoint_url, target.access_key, target.secret_key, target.region_name
        )
        client.head_bucket(Bucket=bucket)
        return
    target.exists("readyz-probe")


def tasks() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.endswith("ImmediateBackend"):
        return  # tasks run inside this process: nothing to reach
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").order_by().values("id")[:1].exists()


CHECKS: dict[str, Callable[[], None]] = {"database": database, "storage": storage, "tasks": tasks}


def run_checks() -> list[Check]:
    results = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            results.append(Check(name, False, type(error).__name__))
        else:
            results.append(Check(name, True))
    return results
