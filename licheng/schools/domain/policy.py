"""A school's policy (學校設定): quotas (R11, R18, R34) and password length (R31)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from licheng.audit.domain import changes, record

from ..models import School, SchoolPolicy

POLICY_FIELDS = [
    "outcomes_per_semester",
    "outcomes_per_course",
    "performances_per_year",
    "storage_quota_mb",
    "password_min_length",
    "reminder_days",
]
# R31: the real system's floor; a school can ask for more, never less.
PASSWORD_MIN_LENGTH_FLOOR = 6
PASSWORD_MAX_LENGTH = 64


class PolicyError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def policy_of(school: School) -> SchoolPolicy:
    policy, _ = SchoolPolicy.objects.get_or_create(school=school)
    return policy


@transaction.atomic
def update_policy(school: School, *, actor: Any, **values: Any) -> SchoolPolicy:
    """Change the school's settings; every change is audited with before → after."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise PolicyError(sorted(unknown)[0], "不明的設定欄位")
    length = values.get("password_min_length")
    if length is not None and not PASSWORD_MIN_LENGTH_FLOOR <= length <= PASSWORD_MAX_LENGTH:
        raise PolicyError(
            "password_min_length",
            f"密碼最短長度須介於 {PASSWORD_MIN_LENGTH_FLOOR} 到 {PASSWORD_MAX_LENGTH} 之間",
        )
    if values.get("outcomes_per_semester") == 0:
        raise PolicyError("outcomes_per_semester", "每學期上傳上限至少為 1")
    policy = SchoolPolicy.objects.select_for_update().get(pk=policy_of(school).pk)
    before, after = changes(policy, POLICY_FIELDS, values)
    if not after:
        return policy
    for name, value in after.items():
        setattr(policy, name, value)
    policy.save()
    record(
        "schools.policy.update", actor=actor, obj=policy, school=school, before=before, after=after
    )
    return policy
