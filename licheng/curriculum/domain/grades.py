"""Course records and grades (修課紀錄與成績, R5–R6).

A grade is never silently overwritten: every change is written to the audit log with the grade
before and after, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from licheng.audit.domain import record
from licheng.audit.models import AuditEntry
from licheng.schools.enums import StudentStatus
from licheng.schools.models import Student

from ..enums import GradeKind
from ..models import Course, CourseEnrolment

GRADE_FIELDS = [k.value for k in GradeKind]
MIN_GRADE, MAX_GRADE = Decimal(0), Decimal(100)


class GradeError(ValueError):
    """A grade that cannot be stored; the message names the student and the column."""


def parse_grade(text: Any) -> Decimal | None:
    """``"87.5"`` → ``Decimal("87.50")``; blank → ``None``; anything else raises ``GradeError``."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        raw = str(text)
    else:
        raw = str(text).strip()
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise GradeError(f"成績「{raw[:20]}」不是數字") from None
    if not value.is_finite() or not MIN_GRADE <= value <= MAX_GRADE:
        raise GradeError(f"成績 {raw[:20]} 超出 0–100 的範圍")
    if value != value.quantize(Decimal("0.01")):
        raise GradeError(f"成績 {raw[:20]} 最多到小數第二位")
    return value.quantize(Decimal("0.01"))


def _cents(value: Decimal | None) -> Decimal | None:
    """Grades are kept to two decimals; comparing and auditing in that form avoids false changes."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


@transaction.atomic
def enrol(course: Course, *, actor: Any, students: Iterable[Student]) -> int:
    """Enrol students of the course's school in it (選課); returns how many were new."""
    wanted = [s for s in students if s.school_id == course.school_id]
    have = set(
        CourseEnrolment.objects.filter(course=course, student__in=wanted).values_list(
            "student_id", flat=True
        )
    )
    new = [CourseEnrolment(course=course, student=s) for s in wanted if s.pk not in have]
    CourseEnrolment.objects.bulk_create(new)
    if new:
        record(
            "curriculum.enrolment.create",
            actor=actor,
            obj=course,
            after={"students": [e.student.student_number for e in new]},
        )
    return len(new)


def grade_audit(enrolment: CourseEnrolment, before: dict, after: dict, actor: Any) -> AuditEntry:
    """An unsaved audit entry for a grade change, for callers writing many at once."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=str(actor)[:200] if actor else "",
        action="curriculum.grade.update",
        object_type=CourseEnrolment._meta.label,
        object_id=str(enrolment.pk),
        object_repr=f"{enrolment.student_id} · {enrolment.course_id}",
        school_id=enrolment.course.school_id,
        before={k: None if v is None else str(v) for k, v in before.items()},
        after={k: None if v is None else str(v) for k, v in after.items()},
    )


@transaction.atomic
def set_grades(
    course: Course, *, actor: Any, grades: Mapping[int, Mapping[str, Decimal | None]]
) -> int:
    """Store the grades of a course's students (``{enrolment id: {field: grade}}``).

    Only values that differ are written; each changed record gets one audit entry with the
    grades before → after. Returns the number of records changed.
    """
    enrolments = {
        e.pk: e
        for e in CourseEnrolment.objects.select_for_update()
        .filter(course=course, pk__in=list(grades))
        .select_related("student")
    }
    unknown = set(grades) - set(enrolments)
    if unknown:
        raise GradeError("有學生不在此課程的修課名單中")
    changed = 0
    for pk, values in grades.items():
        enrolment = enrolments[pk]
        if enrolment.student.status != StudentStatus.ENROLLED and any(
            getattr(enrolment, f) != v for f, v in values.items()
        ):
            # Records of students who left stay as they were; the registrar corrects them.
            raise GradeError(f"{enrolment.student.name} 目前不是在學狀態，成績無法修改")
        before = {f: getattr(enrolment, f) for f in GRADE_FIELDS if f in values}
        after = {f: _cents(values[f]) for f in before}
        diff = [f for f in before if before[f] != after[f]]
        if not diff:
            continue
        for f in diff:
            setattr(enrolment, f, after[f])
        enrolment.save(update_fields=diff)
        record(
            "curriculum.grade.update",
            actor=actor,
            obj=enrolment,
            school=course.school,
            before={f: before[f] for f in diff},
            after={f: after[f] for f in diff},
        )
        changed += 1
    return changed
