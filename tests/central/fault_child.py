"""The receiving process of the fault test (tests/central/test_fault.py), run as a subprocess.

``python -m tests.central.fault_child setup|send|send-and-die|check`` against the SQLite file and
file storage named by LICHENG_SQLITE_PATH / LICHENG_MEDIA_ROOT. ``send-and-die`` posts the package
through the real API and, after a few files are written, waits to be killed by the parent.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(mode: str, work: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from licheng.central.domain import blobs
    from licheng.central.domain.blobs import verify_all
    from licheng.central.domain.credentials import issue_credential
    from licheng.central.models import Blob, CentralFile, Submission
    from licheng.schools.models import School

    if mode == "setup":
        call_command("migrate", verbosity=0)
        school = School.objects.create(code="310301", name="甲高中", type="general", city="臺北市")
        (work / "key").write_text(issue_credential(school, actor=None)[1])
        return
    if mode == "check":
        checked, failed = verify_all()
        print(
            json.dumps(
                {
                    "submissions": Submission.objects.count(),
                    "blobs": Blob.objects.count(),
                    "files": CentralFile.objects.count(),
                    "checked": checked,
                    "failed": failed,
                }
            )
        )
        return
    if mode == "send-and-die":
        written: list[str] = []

        def hanging(real):
            def write_then_maybe_hang(sha, data, entry):
                result = real(sha, data, entry)
                written.append(sha)
                if len(written) == 5:
                    (work / "midway").write_text("5")
                    time.sleep(60)  # the parent kills us here, mid-ingest
                return result

            return write_then_maybe_hang

        import licheng.central.domain.intake as intake

        # Files are written from the package's memory map, or streamed when it has none.
        intake.write_blob_view = hanging(blobs.write_blob_view)  # type: ignore[attr-defined]
        intake.write_blob_bytes = hanging(blobs.write_blob_bytes)  # type: ignore[attr-defined]
    key = (work / "key").read_text()
    with open(work / "package.zip", "rb") as package:
        response = Client().post(
            "/api/v1/central/packages", {"package": package}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    print(json.dumps({"status": response.status_code, "body": response.json()}))


if __name__ == "__main__":
    main(sys.argv[1], Path(os.environ["FAULT_WORK"]))
