"""Organizers (主辦機構) and their API keys, managed by the central administrator (R19)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record

from ..models import Organizer, OrganizerKey
from . import PortfolioError

KEY_PREFIX = "lck_"


def hash_key(raw: str) -> str:
    # Keys are 256-bit random strings, so a plain SHA-256 (no salt, no stretching) is enough and
    # lets each API call find its key with one indexed lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_organizer(*, name: str, contact_email: str = "", actor: Any) -> Organizer:
    """Register an organizer (新增主辦機構)."""
    name = name.strip()
    if not name:
        raise PortfolioError(_("請填寫機構名稱"), "name")
    if Organizer.objects.filter(name=name).exists():
        raise PortfolioError(_("已有同名的主辦機構"), "name")
    organizer = Organizer.objects.create(name=name, contact_email=contact_email)
    record("portfolio.organizer.create", actor=actor, obj=organizer, after={"name": name})
    return organizer


@transaction.atomic
def issue_key(organizer: Organizer, *, label: str = "", actor: Any) -> tuple[OrganizerKey, str]:
    """Issue a new API key (核發金鑰); the raw key is returned once and never stored."""
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = OrganizerKey.objects.create(
        organizer=organizer,
        prefix=prefix,
        key_hash=hash_key(raw),
        label=label[:100],
        created_by=actor,
    )
    record(
        "portfolio.organizer_key.issue",
        actor=actor,
        obj=key,
        after={"organizer": organizer.pk, "prefix": prefix},
    )
    return key, raw


@transaction.atomic
def revoke_key(key: OrganizerKey, *, actor: Any) -> OrganizerKey:
    """Revoke a key (撤銷金鑰): calls with it are refused from now on."""
    key = OrganizerKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record("portfolio.organizer_key.revoke", actor=actor, obj=key, after={"prefix": key.prefix})
    return key


def authenticate_key(raw: str) -> OrganizerKey | None:
    """The active key matching ``raw``, or None."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = (
        OrganizerKey.objects.select_related("organizer")
        .filter(key_hash=hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if key is not None:
        OrganizerKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
