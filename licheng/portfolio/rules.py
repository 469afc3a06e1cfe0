"""Portfolio rules that need no database: description length (R10, R16), links (R16), windows (R12)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.utils.translation import gettext as _

from licheng.lib.text import char_count
from licheng.schools.models import Window

from .models import DESCRIPTION_MAX_CHARS


def description_error(text: str, *, required: bool = True) -> str | None:
    """R10, R16: a description (簡述) of at most 100 characters, a CJK character counting one."""
    if required and not text.strip():
        return _("請填寫簡述")
    n = char_count(text)
    if n > DESCRIPTION_MAX_CHARS:
        return _("簡述超過 %(limit)s 字上限（目前 %(n)s 字）") % {
            "limit": DESCRIPTION_MAX_CHARS,
            "n": n,
        }
    return None


def link_error(link: str) -> str | None:
    """R16: an external link, http or https only (no javascript:, no file:)."""
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return _("連結須以 http:// 或 https:// 開頭")
    if len(link) > 500:
        return _("連結超過 500 字元上限")
    return None


def window_error(window: Window, day: dt.date) -> str | None:
    """R12: says when the window opens, or that it closed (逾時將無法補件)."""
    if day < window.opens_on:
        return _("%(what)s將於 %(opens)s 開放（至 %(closes)s 截止）") % {
            "what": window.get_kind_display(),
            "opens": window.opens_on.isoformat(),
            "closes": window.closes_on.isoformat(),
        }
    if day > window.closes_on:
        return _("%(what)s已於 %(closes)s 截止，逾時將無法補件") % {
            "what": window.get_kind_display(),
            "closes": window.closes_on.isoformat(),
        }
    return None
