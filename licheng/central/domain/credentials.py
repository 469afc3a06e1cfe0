"""Schools' keys for the central intake (學校上傳金鑰): issued by the central administrator."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.schools.models import School

from ..models import SchoolCredential

PREFIX_LENGTH = 8


def _hash(key: str) -> str:
    # A key is 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_credential(school: School, *, actor: Any) -> tuple[SchoolCredential, str]:
    """Issue a new key (核發金鑰) for ``school``; the key itself is shown once and never stored."""
    key = f"lc_{secrets.token_urlsafe(32)}"
    credential = SchoolCredential.objects.create(
        school=school,
        prefix=key[3 : 3 + PREFIX_LENGTH],
        key_hash=_hash(key),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record("central.credential.issue", actor=actor, obj=credential, school=school)
    return credential, key


@transaction.atomic
def revoke_credential(credential: SchoolCredential, *, actor: Any) -> None:
    """Revoke a key (停用金鑰): packages signed with it are refused from now on."""
    credential.revoked_at = timezone.now()
    credential.save(update_fields=["revoked_at"])
    record("central.credential.revoke", actor=actor, obj=credential, school=credential.school)


def school_for_key(key: str) -> School | None:
    """The school a presented key belongs to, or None for an unknown or revoked key."""
    if not key.startswith("lc_") or len(key) < 3 + PREFIX_LENGTH:
        return None
    credential = (
        SchoolCredential.objects.select_related("school")
        .filter(prefix=key[3 : 3 + PREFIX_LENGTH], revoked_at=None)
        .first()
    )
    if credential is None or not hmac.compare_digest(credential.key_hash, _hash(key)):
        return None
    return credential.school
