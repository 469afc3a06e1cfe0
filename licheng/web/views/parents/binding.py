"""The parent's binding steps (親子綁定, R33; seed 004), without an account yet.

What a step has established lives in the session under ``binding``: the verified e-mail (and
when), then the child, then the accepted statement. A step reached without the earlier ones sends
the parent back. The domain checks everything again when the application is sent.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.domain import binding as domain
from licheng.accounts.enums import Relation, Role
from licheng.accounts.models import ParentBinding
from licheng.schools.models import Student

from .forms import CodeForm, CodeRequestForm, ParentForm, StatementForm, StudentForm

SESSION_KEY = "binding"
VERIFIED_FOR = dt.timedelta(hours=1)  # a verified e-mail opens the steps for one hour


def verified_email(request) -> str | None:
    state = request.session.get(SESSION_KEY) or {}
    email, at = state.get("email"), state.get("verified_at")
    if not email or not at:
        return None
    if timezone.now() - dt.datetime.fromisoformat(at) > VERIFIED_FOR:
        return None
    return email


def _state(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _save(request, **values) -> None:
    request.session[SESSION_KEY] = {**_state(request), **values}


def _verify_session(request, email: str) -> None:
    request.session.cycle_key()  # a new session id once the address is proven
    request.session[SESSION_KEY] = {"email": email, "verified_at": timezone.now().isoformat()}


def start(request):
    """Step 1a: ask for a verification code (取得驗證碼)."""
    form = CodeRequestForm(request.POST or None)
    is_parent = request.user.is_authenticated and request.user.has_role(Role.PARENT)
    if request.method == "POST" and request.POST.get("use_account") and is_parent:
        # A parent already logged in proved the address when the account was made.
        _verify_session(request, request.user.email)
        return redirect("web:binding_student")
    if request.method == "POST" and form.is_valid():
        try:
            domain.request_code(form.cleaned_data["email"])
        except domain.BindingError as exc:
            form.add_error("email", str(exc))
        else:
            request.session["binding_code_email"] = domain.normalize_email(
                form.cleaned_data["email"]
            )
            messages.success(request, _("驗證碼已寄出，請至信箱收信（1 小時內有效）。"))
            return redirect("web:binding_verify")
    return render(
        request,
        "web/parents/binding_start.html",
        {"form": form, "is_parent": is_parent, "step": 1},
        status=400 if form.errors else 200,
    )


def verify(request):
    """Step 1b: enter the code (輸入驗證碼)."""
    form = CodeForm(
        request.POST or None, initial={"email": request.session.get("binding_code_email", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            email = domain.verify_code(form.cleaned_data["email"], form.cleaned_data["code"])
        except domain.BindingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            _verify_session(request, email)
            return redirect("web:binding_student")
    return render(
        request,
        "web/parents/binding_verify.html",
        {"form": form, "step": 1},
        status=400 if form.errors else 200,
    )


def student(request):
    """Step 2: the relation and the child (確認學生資訊)."""
    if verified_email(request) is None:
        return _expired(request)
    form = StudentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = domain.find_student(
                school=data["school"],
                school_level=data["school_level"],
                student_national_id=data["student_national_id"],
            )
        except domain.BindingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            _save(
                request,
                student_id=child.pk,
                relation=data["relation"],
                school_level=data["school_level"],
                statement=False,
            )
            return redirect("web:binding_statement")
    return render(
        request,
        "web/parents/binding_student.html",
        {"form": form, "step": 2},
        status=400 if form.errors else 200,
    )


def statement(request):
    """Step 3: read and accept the personal-data statement (個資使用聲明)."""
    if verified_email(request) is None:
        return _expired(request)
    child = _chosen_student(request)
    if child is None:
        return redirect("web:binding_student")
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["accept"]:
            _save(request, statement=True)
            return redirect("web:binding_parent")
        form.add_error("accept", _("請詳閱個資使用聲明並勾選同意後，才能繼續下一步"))
    return render(
        request,
        "web/parents/binding_statement.html",
        {"form": form, "step": 3, "child": child, "masked": masked_name(child.name)},
        status=400 if form.errors else 200,
    )


def parent(request):
    """Step 4: the parent's own data and signature (填寫家長資料、電子簽名), then send."""
    email = verified_email(request)
    if email is None:
        return _expired(request)
    child = _chosen_student(request)
    if child is None:
        return redirect("web:binding_student")
    state = _state(request)
    form = ParentForm(request.POST or None, initial={"email": email})
    if request.method == "POST" and form.is_valid():
        try:
            domain.submit_application(
                verified_email=email,
                student=child,
                relation=state["relation"],
                school_level=state["school_level"],
                statement_accepted=bool(state.get("statement")),
                **form.cleaned_data,
            )
        except domain.BindingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            _save(request, student_id=None, statement=False)
            messages.success(
                request,
                _(
                    "申請已送出。提醒您，送出資料不等於完成綁定，須待導師審核；結果將以電子郵件通知。"
                ),
            )
            return redirect("web:binding_status")
    return render(
        request,
        "web/parents/binding_parent.html",
        {
            "form": form,
            "step": 4,
            "child": child,
            "masked": masked_name(child.name),
            "relation": Relation(state["relation"]).label,
        },
        status=400 if form.errors else 200,
    )


def status(request):
    """The parent's applications (目前申請進度), with cancel and the printable form."""
    email = _applicant_email(request)
    if email is None:
        return _expired(request)
    applications = domain.applications_for(email)
    for application in applications:
        application.masked = masked_name(application.student.name)  # type: ignore[attr-defined]
    return render(
        request,
        "web/parents/binding_status.html",
        {"applications": applications, "email": email},
    )


@require_POST
def cancel(request, pk: int):
    """Cancel a pending application (取消申請)."""
    email = _applicant_email(request)
    if email is None:
        return redirect_to_login(request.get_full_path())
    binding = _application_from(email, pk)
    try:
        domain.cancel_binding(binding, email=email)
    except domain.BindingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已取消對 %(name)s 的綁定申請。") % {"name": masked_name(binding.student.name)},
        )
    return redirect("web:binding_status")


def _applicant_email(request) -> str | None:
    """The address this visitor proved: by a code in this session, or by their parent account."""
    email = verified_email(request)
    if email is None and request.user.is_authenticated and request.user.has_role(Role.PARENT):
        email = request.user.email
    return email


def _application_from(email: str, pk: int) -> ParentBinding:
    """Application ``pk`` if it was sent from ``email``; 404 otherwise (no probing of others')."""
    binding = (
        ParentBinding.objects.select_related("student", "student__school")
        .filter(pk=pk, email=domain.normalize_email(email))
        .first()
    )
    if binding is None:
        raise Http404
    return binding


def _chosen_student(request) -> Student | None:
    pk = _state(request).get("student_id")
    return Student.objects.select_related("school").filter(pk=pk).first() if pk else None


def _expired(request):
    messages.error(request, _("請先以電子郵件取得並輸入驗證碼（驗證後 1 小時內有效）。"))
    return redirect("web:binding_start")


def masked_name(name: str) -> str:
    """陳小明 → 陳○明: enough for the parent to recognise their child, not to learn a stranger's."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]
