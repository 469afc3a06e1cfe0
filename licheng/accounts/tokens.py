"""Signed, expiring e-mail verification links (電子郵件驗證)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "licheng.accounts.email-verification"


def make_token(user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email.lower()}, salt=SALT, compress=True)


class TokenError(ValueError):
    pass


def read_token(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenError("驗證連結已過期，請重新寄送驗證信") from exc
    except signing.BadSignature as exc:
        raise TokenError("驗證連結無效，請確認您點選的是信中完整的連結") from exc
    return int(data["u"]), str(data["e"])
