"""The student row lock behind the upload quotas (R11, R18, R34)."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from licheng.schools.domain.locks import lock_student


def test_lock_student_reads_only_the_students_row(student):
    """Joining the school (the model's ordering) would lock every upload of the school at once."""
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        lock_student(student)
    (statement,) = [q["sql"] for q in ctx.captured_queries if "schools_student" in q["sql"]]
    assert "schools_school" not in statement and "JOIN" not in statement.upper()
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in statement.upper()
