"""Template filters for text that follows the reader's language (閱讀語言).

Loaded on every template (``builtins`` in settings.TEMPLATES).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from licheng.lib.i18n import brackets

register = template.Library()


@register.filter
def in_brackets(value) -> str:
    """``value`` in brackets after what precedes it: 「（value）」 in Chinese, " (value)" in
    English. Nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html(brackets(), value)
