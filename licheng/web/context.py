"""What every page needs: the menu for the person's roles."""

from __future__ import annotations

from .menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user)}
