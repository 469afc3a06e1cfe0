"""What every page needs: the menu for the person's roles."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    # Built when a template reads it: the menu asks the database for the person's roles, and
    # the htmx fragments (a hint while the student types, a chosen file's hint, on deadline day
    # one per file picked) never show it.
    return {"menu": SimpleLazyObject(lambda: menu_for(user))}
