"""Creating accounts and granting roles (建立帳號、指派角色)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from licheng.audit.domain import record
from licheng.lib import national_id
from licheng.schools.models import Department, School, Student

from ..backends import login_name
from ..enums import Role
from ..models import RoleAssignment, User


class AccountError(ValueError):
    pass


@transaction.atomic
def create_account(
    *,
    username: str,
    full_name: str,
    password: str | None,
    email: str = "",
    roles: list[tuple[Role, School | None]] = (),  # type: ignore[assignment]
    must_change_password: bool = False,
    email_verified: bool = False,
    actor: Any = None,
) -> User:
    """Create a person's account with their roles (建立帳號)."""
    from django.utils import timezone

    if User.objects.filter(username=username).exists():
        raise AccountError(f"帳號 {username} 已存在")
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        must_change_password=must_change_password,
        email_verified_at=timezone.now() if email_verified else None,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    for role, school in roles:
        RoleAssignment.objects.create(user=user, role=role, school=school)
    record(
        "accounts.create",
        actor=actor,
        obj=user,
        school=next((s for _, s in roles if s is not None), None),
        after={"username": username, "roles": [str(r) for r, _ in roles]},
    )
    return user


@transaction.atomic
def grant_role(user: User, role: Role, *, school: School | None, actor: Any) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, school=school)
    if created:
        record("accounts.role.grant", actor=actor, obj=user, school=school, after={"role": role})
    user.__dict__.pop("role_assignments", None)
    return assignment


def first_password(nid: str) -> str:
    """R31: the first password is the national ID with its first letter upper-case."""
    return national_id.normalize(nid)


@transaction.atomic
def register_student(
    school: School,
    *,
    student_number: str,
    national_id_number: str,
    name: str,
    enrolment_date: dt.date,
    department: Department | None = None,
    email: str = "",
    actor: Any = None,
) -> Student:
    """Register a student (學籍登錄, R1) and create their account with the first password (R31)."""
    problem = national_id.problem(national_id_number)
    if problem:
        raise AccountError(problem)
    nid = national_id.normalize(national_id_number)
    user = create_account(
        username=login_name(student_number, school.code),
        full_name=name,
        password=first_password(nid),
        email=email,
        roles=[(Role.STUDENT, school)],
        must_change_password=True,
        actor=actor,
    )
    student = Student.objects.create(
        user=user,
        school=school,
        student_number=student_number,
        national_id=nid,
        name=name,
        department=department,
        enrolment_date=enrolment_date,
    )
    record(
        "schools.student.register",
        actor=actor,
        obj=student,
        school=school,
        after={"student_number": student_number, "name": name},
    )
    return student
