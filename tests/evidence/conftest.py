"""Evidence fixtures: the same storage tests run on disk and on S3 (moto's server mode)."""

from __future__ import annotations

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

BUCKET = "licheng-test-evidence"


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server, started once for the session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["disk", "s3"])
def backend(request, settings, tmp_path):
    """The storage back-end under test; the disk one is the conftest default."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        bucket = f"{BUCKET}-{tmp_path.name.lower().replace('_', '-')[-30:]}"
        client.create_bucket(Bucket=bucket)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": endpoint,
                    "access_key": "test",
                    "secret_key": "test",
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
    return request.param


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def windows_open(school_a):
    from licheng.schools.enums import WindowKind
    from tests.portfolio.conftest import open_window

    for kind in WindowKind:
        open_window(school_a, kind)


@pytest.fixture
def course_outcome(student, teacher):
    """Build an outcome of ``student`` in a course ``teacher`` teaches, in a given state."""

    def build(state="submitted"):
        from licheng.devtools import samples
        from licheng.evidence import rules
        from licheng.evidence.domain.files import store_upload
        from licheng.portfolio.models import LearningOutcome
        from tests.portfolio.conftest import enrol, make_course

        course = enrol(
            student,
            make_course(student.school, teacher, code=f"C{LearningOutcome.objects.count()}"),
        )
        document = store_upload(
            upload("a.pdf", samples.pdf_bytes()),
            rules.DOCUMENT,
            owner=student,
            uploaded_by=student.user,
        )
        return LearningOutcome.objects.create(
            student=student,
            course=course,
            academic_year=course.academic_year,
            semester=course.semester,
            title="報告",
            description="我學到了",
            document=document,
            state=state,
        )

    return build


@pytest.fixture(autouse=True)
def _zh_hant():
    """Messages are asserted in zh-Hant; a request in English elsewhere must not leak into this
    thread's active language (the language middleware activates without deactivating)."""
    from django.utils import translation

    translation.activate("zh-hant")
    yield
    translation.activate("zh-hant")
