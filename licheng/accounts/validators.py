"""Password policy (密碼規則, R31).

The real system's rule — at least one digit, one lower-case and one upper-case letter, 6–30
characters — is a floor. The default is stronger and follows NIST 800-63B where it can: 8–64
characters, not the person's national ID or student number, not a common password. The minimum
length is a school setting that cannot go below the floor.
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

DEFAULT_MIN_LENGTH = 8
FLOOR_MIN_LENGTH = 6
MAX_LENGTH = 64


def min_length_for(user) -> int:
    """The school's minimum for this person; the default for people of no school."""
    school = None
    if user is not None and getattr(user, "pk", None):
        from licheng.schools.models import SchoolPolicy

        assignment = next((a for a in user.role_assignments if a.school_id), None)
        if assignment is not None:
            policy = SchoolPolicy.objects.filter(school_id=assignment.school_id).first()
            if policy is not None:
                return max(FLOOR_MIN_LENGTH, policy.password_min_length)
            school = assignment.school_id
    del school
    return DEFAULT_MIN_LENGTH


def personal_words(user) -> list[str]:
    """National ID and student number of a student account, its account name otherwise."""
    words = []
    if user is None:
        return words
    student = getattr(user, "student", None) if getattr(user, "pk", None) else None
    if student is not None:
        words += [student.national_id, student.student_number]
    username = getattr(user, "username", "") or ""
    words.append(username.split(":")[-1])
    return [w for w in words if w]


def policy_problems(password: str, user=None) -> list[str]:
    """Every clause of the policy the password breaks, in plain words."""
    problems = []
    minimum = min_length_for(user)
    if len(password) < minimum:
        problems.append(f"密碼至少需 {minimum} 個字元（目前 {len(password)} 個）")
    if len(password) > MAX_LENGTH:
        problems.append(f"密碼最多 {MAX_LENGTH} 個字元（目前 {len(password)} 個）")
    if not re.search(r"\d", password):
        problems.append("密碼需包含至少 1 個數字")
    if not re.search(r"[a-z]", password):
        problems.append("密碼需包含至少 1 個小寫英文字母")
    if not re.search(r"[A-Z]", password):
        problems.append("密碼需包含至少 1 個大寫英文字母")
    lowered = password.lower()
    for word in personal_words(user):
        if len(word) >= 4 and word.lower() in lowered:
            problems.append("密碼不可包含身分證統一編號、學號或帳號")
            break
    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        problems.append("這是常見密碼，容易被猜中，請換一個")
    return problems


class PortfolioPasswordValidator:
    """Django password validator applying ``policy_problems``."""

    def validate(self, password: str, user=None) -> None:
        problems = policy_problems(password, user)
        if problems:
            raise ValidationError([ValidationError(p, code="password_policy") for p in problems])

    def get_help_text(self) -> str:
        return (
            f"密碼需 {DEFAULT_MIN_LENGTH}–{MAX_LENGTH} 個字元（依學校設定），包含數字、小寫及大寫英文字母，"
            "且不可包含身分證統一編號、學號或常見密碼。"
        )
