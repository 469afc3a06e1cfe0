"""Permission predicates (權限) on people, shared by pages and the API."""

from __future__ import annotations

from .enums import Role


def is_school_admin(user, school_id: int) -> bool:
    return user.is_authenticated and user.has_role(Role.SCHOOL_ADMIN, school_id)


def is_central_admin(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CENTRAL_ADMIN)


def staff_school_ids(user) -> set[int]:
    """Schools where the person holds any staff role."""
    return {a.school_id for a in user.role_assignments if a.school_id and a.role != Role.STUDENT}
