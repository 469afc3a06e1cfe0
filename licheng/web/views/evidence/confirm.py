"""Deleting a student's own item after a confirmation page (刪除確認): a GET shows the page (or
why it cannot be deleted), a POST deletes and goes back to the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from licheng.portfolio.domain import PortfolioError


def confirm_delete(
    request,
    item: Any,
    *,
    refusal: str,
    delete: Callable[[], None],
    deleted: str,
    back: str,
    template: str,
):
    """``refusal`` is why the item may not be deleted ("" when it may); ``delete`` the domain
    call; ``deleted`` the message after it; ``back`` the list's URL name."""
    if request.method == "POST" and not refusal:
        try:
            delete()
        except PortfolioError as exc:
            refusal = exc.message
        else:
            messages.success(request, deleted)
            return redirect(back)
    status = 400 if request.method == "POST" and refusal else 200
    return render(request, template, {"item": item, "refusal": refusal}, status=status)
