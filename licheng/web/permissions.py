"""Permission-checked fetch helpers: views never fetch tenant data raw."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from licheng.accounts.enums import Role
from licheng.schools.models import School


def require_role(user, *roles: Role) -> None:
    if not user.is_authenticated or not user.has_any_role(roles):
        raise PermissionDenied


def admin_school_for(user, school_code: str | None = None) -> School:
    """The school a school administrator manages (the one named, or their only one)."""
    ids = user.school_ids_for(Role.SCHOOL_ADMIN) if user.is_authenticated else set()
    if not ids:
        raise PermissionDenied
    if school_code:
        return get_object_or_404(School, code=school_code, pk__in=ids)
    return School.objects.filter(pk__in=ids).order_by("code").first()  # type: ignore[return-value]
