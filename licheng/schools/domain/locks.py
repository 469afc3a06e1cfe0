"""Row locks that serialize a student's own writes (R11, R18, R34 quotas)."""

from __future__ import annotations

from ..models import Student


def lock_student(student: Student) -> None:
    """Take the student's row lock until the caller's transaction ends; only that row.

    ``Student``'s default ordering goes through the school, so a plain ``.first()`` joins the
    school's table and its ``FOR UPDATE`` locked the school's row too: every upload of the whole
    school then queued behind the one holding it, file fsync included. Unordered, by primary key,
    no columns but the key: one row locked, nothing to build.
    """
    list(Student.objects.select_for_update().filter(pk=student.pk).order_by().values_list("pk"))
