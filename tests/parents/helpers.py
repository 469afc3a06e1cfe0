"""Building bindings for tests, free of surprising behaviour."""

from __future__ import annotations

from django.utils import timezone

from licheng.accounts.enums import BindingStatus, Relation, SchoolLevel
from licheng.accounts.models import ParentBinding
from licheng.lib import national_id

PARENT_NID = national_id.make("A", 1, "2345678")  # ends in …345678 + check digit


def make_binding(
    student,
    *,
    email: str = "mom@example.tw",
    parent=None,
    status: str = BindingStatus.PENDING,
    relation: str = Relation.MOTHER,
    parent_name: str = "陳媽媽",
) -> ParentBinding:
    return ParentBinding.objects.create(
        student=student,
        parent=parent,
        relation=relation,
        school_level=SchoolLevel.SENIOR_HIGH,
        parent_name=parent_name,
        parent_national_id=PARENT_NID,
        email=parent.email if parent is not None else email,
        phone="0912345678",
        signature=parent_name,
        statement_accepted_at=timezone.now(),
        status=status,
    )
