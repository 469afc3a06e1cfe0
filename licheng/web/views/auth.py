"""Login, logout, first-login password change and e-mail verification (R31)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.domain.passwords import send_verification, verify_email
from licheng.accounts.tokens import TokenError

from ..forms import EmailForm, LoginForm, PasswordChangeForm, ResetPasswordForm


def login_view(request):
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="licheng.accounts.backends.AccountBackend")
        if form.user.preferred_language:
            request.session["_language"] = form.user.preferred_language
        return redirect(_safe_next(request) or "web:dashboard")
    return render(
        request, "web/auth/login.html", {"form": form}, status=400 if form.errors else 200
    )


def _safe_next(request) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account or an address has failed too often."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    form = LoginForm(request)
    return render(
        request,
        "web/auth/login.html",
        {
            "form": form,
            "locked_message": _(
                "登入失敗次數過多，此帳號或連線位址已暫時鎖定。請於 %(m)s 分鐘後再試，或使用「忘記密碼」。"
            )
            % {"m": minutes},
        },
        status=429,
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("您已登出。"))
    return redirect("web:login")


@login_required
def password_change(request):
    user = request.user
    first_login = user.must_change_password
    form = PasswordChangeForm(user, request.POST or None)
    if first_login:
        # At first login the person just typed the first password; asking again adds nothing.
        del form.fields["old_password"]
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError:
            pass
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密碼已變更。"))
            if user.needs_email_verification:
                return redirect("web:verify_email_start")
            return redirect("web:dashboard")
    status = 400 if form.errors else 200
    return render(
        request,
        "web/auth/password_change.html",
        {"form": form, "first_login": first_login},
        status=status,
    )


@login_required
def verify_email_start(request):
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    sent_to = None
    if request.method == "POST" and form.is_valid():
        sent_to = form.cleaned_data["email"]
        send_verification(request.user, email=sent_to)
    status = 400 if form.errors else 200
    return render(
        request, "web/auth/verify_email.html", {"form": form, "sent_to": sent_to}, status=status
    )


def verify_email_link(request, token: str):
    try:
        verify_email(token, user=request.user if request.user.is_authenticated else None)
    except TokenError as exc:
        return render(
            request, "web/auth/verify_email_failed.html", {"reason": str(exc)}, status=400
        )
    messages.success(request, _("電子郵件已驗證完成。"))
    return redirect("web:dashboard" if request.user.is_authenticated else "web:login")


class ResetView(PasswordResetView):
    template_name = "web/auth/password_reset.html"
    email_template_name = "web/auth/password_reset_email.txt"
    subject_template_name = "web/auth/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")


class ResetConfirmView(PasswordResetConfirmView):
    template_name = "web/auth/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("web:password_reset_complete")
