"""No national ID, password or token ever appears in a log line."""

from __future__ import annotations

import io
import logging

from django.test import Client
from django.urls import reverse

from licheng.lib.jsonlog import JsonFormatter
from licheng.lib.redact import MASK, RedactingFilter, redact
from licheng.web.middleware import RequestIdFilter
from tests.loghygiene import leaked_ids


def test_redact_masks_national_ids_and_resident_numbers():
    assert (
        redact("login failed for A123456789 from 10.0.0.1")
        == f"login failed for {MASK} from 10.0.0.1"
    )
    assert redact("居留證 AC01234567 與 A800000014") == f"居留證 {MASK} 與 {MASK}"
    # Request ids, hashes and student numbers are not IDs.
    assert redact("req 4f3a9c1e2b3d4e5f6a7b8c9d0e1f2a3b student 1130121") == (
        "req 4f3a9c1e2b3d4e5f6a7b8c9d0e1f2a3b student 1130121"
    )


def test_redact_masks_passwords_and_tokens_in_forms_json_and_headers():
    assert redact("username=x&password=Hunter2!&next=/") == f"username=x&password={MASK}&next=/"
    assert redact('{"password": "Hunter2!", "token": "abc.def"}') == (
        f'{{"password": "{MASK}", "token": "{MASK}"}}'
    )
    assert redact("Authorization: Bearer eyJhbGciOi") == f"Authorization: {MASK}"
    assert redact("GET /password-reset/MQ/set-password/ 200") == f"GET /password-reset/{MASK}/ 200"


def run_chain(message: str, *args, exc: BaseException | None = None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("licheng.test.hygiene")
    logger.addHandler(handler)
    try:
        if exc is not None:
            try:
                raise exc
            except type(exc):
                logger.exception(message, *args)
        else:
            logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_log_chain_redacts_arguments_and_tracebacks():
    line = run_chain("import row %s: %s", 3, {"national_id": "A123456789"})
    assert "A123456789" not in line and MASK in line
    line = run_chain("failed", exc=ValueError("bad ID B234567890"))
    assert "B234567890" not in line and "ValueError" in line


def test_demo_students_national_ids_never_reach_the_logs(db, settings, caplog):
    """Load the demo, log in as its first-login student with the national ID as password, fail
    logins with IDs as account names, and search every log line for the demo students' IDs."""
    from licheng.devtools.demo import load_all
    from licheng.schools.models import Student

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        load_all()
        students = list(Student.objects.select_related("school", "user"))
        ids = [s.national_id for s in students]
        first = next(s for s in students if s.user.must_change_password)
        client = Client()
        client.post(
            reverse("web:login"),
            {
                "school": first.school.code,
                "username": first.student_number,
                "password": first.national_id,
            },
        )
        for s in students[:3]:
            Client().post(
                reverse("web:login"),
                {"school": s.school.code, "username": s.national_id, "password": s.national_id},
            )
            logging.getLogger("licheng.import").warning("row for %s rejected", s.national_id)
        Client().get(f"/no-such-page/{ids[0]}/")
    finally:
        root.removeHandler(handler)
    text = stream.getvalue()
    assert ids and "row for" in text and "/no-such-page/" in text
    assert [nid for nid in ids if nid in text] == []
    assert leaked_ids(text) == []


def test_request_id_is_in_the_response_the_log_line_and_the_audit_entry(db, central_admin):
    """One id follows a request from the load balancer through the logs to the audit log."""
    from licheng.audit.models import AuditEntry
    from tests.factories import PASSWORD

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client = Client(headers={"X-Request-ID": "lb-7f3a"})
        response = client.post(
            reverse("web:login"), {"username": central_admin.username, "password": PASSWORD}
        )
        client.get("/missing-page/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 302 and response["X-Request-ID"] == "lb-7f3a"
    entry = AuditEntry.objects.get(action="accounts.login", actor=central_admin)
    assert entry.request_id == "lb-7f3a"
    assert '"request_id": "lb-7f3a"' in stream.getvalue()


def test_a_forged_request_id_is_replaced():
    response = Client(headers={"X-Request-ID": "bad id\n<script>"}).get("/healthz")
    assert response["X-Request-ID"] != "bad id\n<script>" and len(response["X-Request-ID"]) == 32


def test_access_log_line_per_request_with_request_id_and_no_query_string(db):
    import json

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("licheng.access")
    logger.addHandler(handler)
    try:
        Client(headers={"X-Request-ID": "acc-1"}).get("/login/?next=/&token=abc123")
        Client().get("/password-reset/MQ/set-password/")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["request_id"] == "acc-1"
    assert first["http"]["path"] == "/login/" and first["http"]["status"] == 200
    assert first["http"]["route"] == "web:login" and first["http"]["duration_ms"] >= 0
    assert "abc123" not in stream.getvalue()
    assert second["http"]["path"] == f"/password-reset/{MASK}/"
