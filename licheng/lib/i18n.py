"""Texts that are kept (notifications, review-package details) are written in the platform's
source language, zh-Hant, whatever language the person whose action wrote them reads: a teacher
using the English pages still sends the student a Chinese notification."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


def source_language() -> translation.override:
    """``with source_language():`` — labels and messages evaluated inside are zh-Hant."""
    return translation.override(settings.LANGUAGE_CODE)


def in_source_language(value: object) -> str:
    """A (lazy) label as zh-Hant text."""
    with source_language():
        return str(value)


def brackets() -> str:
    """Brackets after a name, as the reader writes them, with ``{}`` for the value: 「（{}）」 in
    Chinese, " ({})" in English."""
    return pgettext("brackets after a name", "（{}）")


def in_brackets(value: object) -> str:
    """``value`` in the reader's brackets (``brackets``), as plain text."""
    return brackets().format(value)
