"""Serving files: permission-checked, Content-Disposition, nosniff, restrictive CSP, no public URL."""

from __future__ import annotations

import pytest

from licheng.audit.models import AuditEntry
from licheng.devtools import samples
from licheng.evidence import access, rules
from licheng.evidence.domain.files import store_upload

from .conftest import upload


@pytest.fixture
def stored(student):
    return store_upload(
        upload("我的報告.pdf", samples.pdf_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )


def url(stored):
    return f"/files/{stored.pk}/"


def test_owner_gets_the_file_with_safe_headers(backend, student, login):
    data = samples.pdf_bytes("x", pages=2)
    stored = store_upload(
        upload("我的報告.pdf", data), rules.DOCUMENT, owner=student, uploaded_by=student.user
    )
    response = login(student.user).get(url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline; filename")
    assert "%E6%88%91" in response["Content-Disposition"]  # 我, RFC 5987-encoded


def test_download_is_an_attachment(stored, student, login):
    response = login(student.user).get(url(stored) + "?download=1")
    assert response["Content-Disposition"].startswith("attachment")


def test_school_admin_reads_and_the_read_is_audited(stored, school_admin, login):
    """R35: who read whose file is logged."""
    assert login(school_admin).get(url(stored)).status_code == 200
    assert AuditEntry.objects.filter(action="evidence.file.read", actor=school_admin).exists()


@pytest.mark.parametrize(
    "who", ["other_student", "other_teacher", "parent", "central_admin", "reviewer"]
)
def test_others_cannot_read(stored, cast, login, who):
    assert login(cast[who]).get(url(stored)).status_code == 404


def test_anonymous_is_sent_to_login(stored, client):
    response = client.get(url(stored))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_course_teacher_reads_only_while_certifying(student, teacher, login, course_outcome):
    """The course teacher may read files of their course's submitted outcomes, not drafts."""
    outcome = course_outcome(state="draft")
    assert login(teacher).get(url(outcome.document)).status_code == 404
    outcome.state = "submitted"
    outcome.save()
    assert login(teacher).get(url(outcome.document)).status_code == 200


def test_other_areas_register_read_rules(stored, reviewer, login):
    """Other areas (counselling records, say) add their readers through the same registry."""

    def demo_rule(user, file):
        return user.pk == reviewer.pk and file.pk == stored.pk

    access.register_reader(demo_rule)
    try:
        assert login(reviewer).get(url(stored)).status_code == 200
    finally:
        access._RULES.remove(demo_rule)


def test_no_stored_file_has_a_public_url(stored, student, login):
    """Files are served only through the view: the storage has no base URL to guess."""
    from django.core.files.storage import default_storage

    assert len(str(stored.pk)) == 36 and stored.storage_name.split("/")[-1].split(".")[0] != str(
        stored.pk
    )
    with pytest.raises(ValueError):
        default_storage.url(stored.storage_name)
    # Nor is the storage folder served under any path one might guess.
    for guess in (
        f"/media/{stored.storage_name}",
        f"/{stored.storage_name}",
        f"/files/{stored.storage_name}",
    ):
        assert login(student.user).get(guess).status_code == 404
