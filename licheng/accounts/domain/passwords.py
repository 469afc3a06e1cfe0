"""Changing a password and verifying an e-mail address at first login (R31)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from licheng.audit.domain import record

from ..models import User
from ..tokens import TokenError, make_token, read_token


@transaction.atomic
def change_password(user: User, *, new_password: str, actor: User | None = None) -> None:
    """Set a new password (變更密碼) under the policy; clears the first-login flag."""
    validate_password(new_password, user)  # raises ValidationError listing every broken clause
    if user.check_password(new_password):
        raise ValidationError("新密碼不可與目前密碼相同", code="password_same")
    user.set_password(new_password)
    was_forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(
        "accounts.password.change",
        actor=actor or user,
        obj=user,
        school=_school_of(user),
        after={"first_login": was_forced},
    )


def _school_of(user: User):
    assignment = next((a for a in user.role_assignments if a.school_id), None)
    return assignment.school if assignment else None


def send_verification(user: User, *, email: str) -> str:
    """E-mail a signed, expiring verification link (寄送驗證信); returns the link."""
    token = make_token(user.pk, email)
    link = settings.SITE_URL.rstrip("/") + reverse("web:verify_email", args=[token])
    hours = settings.EMAIL_VERIFICATION_MAX_AGE // 3600
    body = (
        f"{user.full_name} 您好：\n\n"
        f"請點選以下連結，完成歷程平臺的電子郵件驗證（{hours} 小時內有效）：\n{link}\n\n"
        "若您沒有申請，請忽略這封信。\n"
    )
    transaction.on_commit(
        lambda: send_mail("【歷程平臺】電子郵件驗證", body, None, [email], fail_silently=False)
    )
    record("accounts.email.verification_sent", actor=user, obj=user, school=_school_of(user))
    return link


@transaction.atomic
def verify_email(token: str, *, user: User | None = None) -> User:
    """Mark the address in a verification link as verified (完成電子郵件驗證)."""
    user_id, email = read_token(token)
    if user is not None and user.pk != user_id:
        raise TokenError("這封驗證信不是寄給目前登入的帳號")
    account = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if account is None:
        raise TokenError("驗證連結無效，請確認您點選的是信中完整的連結")
    before = {"email": account.email, "verified": account.email_verified_at is not None}
    account.email = email
    account.email_verified_at = timezone.now()
    account.save(update_fields=["email", "email_verified_at"])
    record(
        "accounts.email.verify",
        actor=account,
        obj=account,
        school=_school_of(account),
        before=before,
        after={"email": email, "verified": True},
    )
    return account
