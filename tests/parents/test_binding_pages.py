"""R33 through the pages: the four steps, the status page, the homeroom queue, first login."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from licheng.accounts.enums import BindingStatus
from licheng.accounts.models import ParentBinding
from licheng.devtools.testrun import require_all
from licheng.web.views.parents.application_pdf import CJK_FONT

from .helpers import PARENT_NID, make_binding

pytestmark = pytest.mark.django_db
EMAIL = "mom@example.tw"


def _verified_client(capture) -> Client:
    client = Client()
    with capture(execute=True):
        response = client.post(reverse("web:binding_start"), {"email": EMAIL})
    assert response.status_code == 302
    code = re.search(r"(\d{6})", mail.outbox[-1].body).group(1)
    response = client.post(reverse("web:binding_verify"), {"email": EMAIL, "code": code})
    assert response["Location"] == reverse("web:binding_student")
    return client


def _through_step_3(client, student, school_a):
    response = client.post(
        reverse("web:binding_student"),
        {
            "relation": "mother",
            "school_level": "senior_high",
            "student_national_id": student.national_id,
            "school": school_a.code and school_a.pk,
        },
    )
    assert response["Location"] == reverse("web:binding_statement"), response.content.decode()
    response = client.post(reverse("web:binding_statement"), {"accept": "on"})
    assert response["Location"] == reverse("web:binding_parent")


PARENT_DATA = {
    "parent_national_id": PARENT_NID,
    "parent_name": "陳媽媽",
    "email": EMAIL,
    "phone": "0912-345678".replace("-", ""),
    "signature": "陳媽媽",
}


def test_steps_need_a_verified_email(student):
    """R33: without a verified code, steps 2–4 send the visitor back to step 1."""
    client = Client()

    for name in ("web:binding_student", "web:binding_statement", "web:binding_parent"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("web:binding_start")


def test_wrong_code_is_told_on_the_page(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:binding_start"), {"email": EMAIL})

    response = client.post(reverse("web:binding_verify"), {"email": EMAIL, "code": "000000"})

    assert response.status_code == 400
    assert "驗證碼錯誤" in response.content.decode()


def test_child_not_found_is_told_on_the_page(django_capture_on_commit_callbacks, school_a):
    client = _verified_client(django_capture_on_commit_callbacks)

    response = client.post(
        reverse("web:binding_student"),
        {
            "relation": "father",
            "school_level": "senior_high",
            "student_national_id": "A123456789",
            "school": school_a.pk,
        },
    )

    assert response.status_code == 400
    assert "查無此學生" in response.content.decode()


def test_statement_not_ticked_is_refused_on_the_page(
    django_capture_on_commit_callbacks, student, school_a
):
    """R33: step 3 cannot be passed without ticking the statement box."""
    client = _verified_client(django_capture_on_commit_callbacks)
    client.post(
        reverse("web:binding_student"),
        {
            "relation": "mother",
            "school_level": "senior_high",
            "student_national_id": student.national_id,
            "school": school_a.pk,
        },
    )

    response = client.post(reverse("web:binding_statement"), {})

    assert response.status_code == 400
    assert "勾選同意" in response.content.decode()
    assert client.get(reverse("web:binding_parent")).status_code == 200  # shown, but …
    response = client.post(reverse("web:binding_parent"), PARENT_DATA)
    assert response.status_code == 400  # … the domain refuses to send without the statement
    assert not ParentBinding.objects.exists()


def test_whole_flow_to_first_login(django_capture_on_commit_callbacks, student, school_a, teacher):
    """R33 end to end: apply, the homeroom teacher approves, the parent logs in with the e-mail
    and the last 6 digits of their ID, must change the password, then sees the child."""
    client = _verified_client(django_capture_on_commit_callbacks)
    _through_step_3(client, student, school_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:binding_parent"), PARENT_DATA)
    assert response["Location"] == reverse("web:binding_status")
    status_page = client.get(reverse("web:binding_status")).content.decode()
    assert "待導師審核" in status_page

    teacher_client = Client()
    teacher_client.force_login(teacher, backend="licheng.accounts.backends.AccountBackend")
    queue = teacher_client.get(reverse("web:binding_queue")).content.decode()
    assert "陳媽媽" in queue
    binding = ParentBinding.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        teacher_client.post(reverse("web:binding_decide", args=[binding.pk]), {"action": "approve"})
    binding.refresh_from_db()
    assert binding.status == BindingStatus.APPROVED

    parent = Client()
    response = parent.post(reverse("web:login"), {"username": EMAIL, "password": PARENT_NID[-6:]})
    assert response.status_code == 302
    assert parent.get(reverse("web:dashboard"))["Location"] == reverse("web:password_change")
    response = parent.post(
        reverse("web:password_change"),
        {"new_password1": "Parent-pass-2026", "new_password2": "Parent-pass-2026"},
    )
    assert response["Location"] == reverse("web:dashboard")
    dashboard = parent.get(reverse("web:dashboard")).content.decode()
    assert student.name in dashboard
    child = parent.get(reverse("web:parent_child", args=[student.pk])).content.decode()
    assert student.student_number in child
    assert "期限" in child


def test_cancel_from_the_status_page(django_capture_on_commit_callbacks, student):
    client = _verified_client(django_capture_on_commit_callbacks)
    binding = make_binding(student, email=EMAIL)

    response = client.post(reverse("web:binding_cancel", args=[binding.pk]))

    assert response["Location"] == reverse("web:binding_status")
    binding.refresh_from_db()
    assert binding.status == BindingStatus.CANCELLED


def test_cannot_cancel_another_parents_application(django_capture_on_commit_callbacks, student):
    client = _verified_client(django_capture_on_commit_callbacks)
    binding = make_binding(student, email="dad@example.tw")

    assert client.post(reverse("web:binding_cancel", args=[binding.pk])).status_code == 404
    binding.refresh_from_db()
    assert binding.status == BindingStatus.PENDING


def test_refusal_from_the_queue_needs_a_reason(student, teacher, login):
    binding = make_binding(student)
    client = login(teacher)

    client.post(reverse("web:binding_decide", args=[binding.pk]), {"action": "refuse"})
    binding.refresh_from_db()
    assert binding.status == BindingStatus.PENDING

    client.post(
        reverse("web:binding_decide", args=[binding.pk]), {"action": "refuse", "reason": "資料不符"}
    )
    binding.refresh_from_db()
    assert binding.status == BindingStatus.REFUSED


def test_application_form_pdf(django_capture_on_commit_callbacks, student):
    """R33: the application form can be downloaded (a PDF with the CJK font embedded)."""
    if not Path(CJK_FONT).exists():
        if require_all():
            pytest.fail(f"CJK font missing at {CJK_FONT} (LICHENG_REQUIRE_ALL=1)")
        pytest.skip(
            f"!!! PDF TEST NOT RUN: CJK font missing at {CJK_FONT} (apt fonts-noto-cjk) !!!"
        )
    client = _verified_client(django_capture_on_commit_callbacks)
    binding = make_binding(student, email=EMAIL)

    response = client.get(reverse("web:binding_pdf", args=[binding.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    # pypdf reads fpdf2's ToUnicode map of the CFF face as UTF-16 units: drop the NUL halves.
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text().replace("\x00", "")
    assert "親子綁定申請書" in text
    assert student.name in text


def test_parent_sees_only_their_own_children(parent, student, other_student, login):
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    client = login(parent)

    assert client.get(reverse("web:parent_child", args=[student.pk])).status_code == 200
    assert client.get(reverse("web:parent_child", args=[other_student.pk])).status_code == 404


def test_pending_binding_gives_no_access(parent, student, login):
    make_binding(student, parent=parent, status=BindingStatus.PENDING)

    response = login(parent).get(reverse("web:parent_child", args=[student.pk]))

    assert response.status_code == 404


def test_parent_child_page_offers_no_changes(parent, student, login):
    """The parent's view is read-only: the page has no form but the header's own."""
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)

    html = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]

    assert "<form" not in main


def test_parent_reading_a_child_is_audited(parent, student, login):
    """R35: a parent's read of the child's portfolio is logged."""
    from licheng.audit.models import AuditEntry

    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    login(parent).get(reverse("web:parent_child", args=[student.pk]))

    assert AuditEntry.objects.filter(action="parents.child.view", actor=parent).exists()


def test_student_sees_who_is_bound_to_them(student, parent, login):
    """R35: the student can see which parents read their portfolio."""
    make_binding(student, parent=parent, status=BindingStatus.APPROVED, parent_name="陳爸爸")
    make_binding(student, email="x@example.tw", status=BindingStatus.REFUSED, parent_name="路人")

    html = login(student.user).get(reverse("web:dashboard")).content.decode()

    assert "陳爸爸" in html
    assert "路人" not in html


def test_binding_start_in_english_after_switching(client):
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("web:binding_start")).content.decode()

    assert "Get a verification code" in html
    assert "Parent–child link" in html
