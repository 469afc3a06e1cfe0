from __future__ import annotations

import io

import pytest

from licheng.central.domain.credentials import issue_credential
from licheng.central.domain.intake import ingest_package

from .packages import zip_bytes


@pytest.fixture
def school_key(school_a, central_admin):
    """School A's intake key."""
    return issue_credential(school_a, actor=central_admin)[1]


@pytest.fixture
def ingest(school_a):
    """Ingest a manifest (with the files its outcomes were built from) as school A."""

    def run(m, files=None, school=None):
        return ingest_package(io.BytesIO(zip_bytes(m, files)), school=school or school_a)

    return run


@pytest.fixture
def post_package(client):
    def post(key, data: bytes):
        upload = io.BytesIO(data)
        upload.name = "package.zip"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        return client.post("/api/v1/central/packages", {"package": upload}, **headers)

    return post
