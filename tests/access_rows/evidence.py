"""Evidence area: files, outcomes, certification, performances, proxies, organizer keys.

A file is readable by its owner, the course teacher while certifying, the school's
administrators and the student's bound parent (approved binding, R33); no one else.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licheng.devtools import samples
from tests.access import EVERYONE, Row

STUDENTS = frozenset({"student", "other_student"})


def outcome_of(cast):
    """One submitted outcome of the cast's student in a course the cast's teacher teaches."""
    if "_outcome" not in cast:
        from licheng.curriculum.models import Course, CourseEnrolment
        from licheng.evidence import rules
        from licheng.evidence.domain.files import store_upload
        from licheng.lib.roc import Term
        from licheng.portfolio.models import LearningOutcome

        student = cast["student"].student
        term = Term.current()
        course = Course.objects.create(
            school=student.school,
            academic_year=term.academic_year,
            semester=term.semester,
            code="ACC01",
            name="物理",
            credits=2,
            category="national_required",
        )
        course.teachers.add(cast["teacher"])
        CourseEnrolment.objects.create(course=course, student=student)
        document = store_upload(
            SimpleUploadedFile("a.pdf", samples.pdf_bytes()),
            rules.DOCUMENT,
            owner=student,
            uploaded_by=cast["student"],
        )
        from licheng.accounts.enums import BindingStatus
        from licheng.accounts.models import ParentBinding
        from tests.parents.helpers import make_binding

        if not ParentBinding.objects.filter(student=student, parent=cast["parent"]).exists():
            make_binding(student, parent=cast["parent"], status=BindingStatus.APPROVED)
        cast["_outcome"] = LearningOutcome.objects.create(
            student=student,
            course=course,
            academic_year=term.academic_year,
            semester=term.semester,
            title="報告",
            description="我學到了",
            document=document,
            state="submitted",
            submitted_at=timezone.now(),
        )
    return cast["_outcome"]


def performance_of(cast):
    """One diverse performance the cast's student uploaded themselves."""
    if "_performance" not in cast:
        from licheng.lib.roc import Term
        from licheng.portfolio.models import Performance

        student = cast["student"].student
        cast["_performance"] = Performance.objects.create(
            student=student,
            academic_year=Term.current().academic_year,
            category="other",
            title="自主學習",
            activity_date=timezone.localdate(),
        )
    return cast["_performance"]


ROWS = [
    Row(
        "web:evidence_file",
        frozenset({"student", "teacher", "school_admin", "parent"}),
        kwargs=lambda cast: {"pk": outcome_of(cast).document_id},
    ),
    Row("web:outcomes", STUDENTS),
    Row("web:outcome", frozenset({"student"}), kwargs=lambda cast: {"pk": outcome_of(cast).pk}),
    # The cast's outcome is submitted: its owner reaches the page, which says why it stays (R13).
    Row(
        "web:outcome_delete",
        frozenset({"student"}),
        kwargs=lambda cast: {"pk": outcome_of(cast).pk},
    ),
    Row(
        "web:outcome_delete",
        frozenset({"student"}),
        kwargs=lambda cast: {"pk": outcome_of(cast).pk},
        method="post",
        ok=frozenset({400}),
    ),
    Row("web:evidence_hints", STUDENTS, method="post"),
    Row("web:evidence_file_hints", STUDENTS, method="post"),
    Row("web:performances", STUDENTS),
    Row(
        "web:performance_edit",
        frozenset({"student"}),
        kwargs=lambda cast: {"pk": performance_of(cast).pk},
    ),
    Row(
        "web:performance_delete",
        frozenset({"student"}),
        kwargs=lambda cast: {"pk": performance_of(cast).pk},
    ),
    Row("web:certification", frozenset({"teacher", "other_teacher"})),
    Row(
        "web:certification_course",
        frozenset({"teacher"}),
        kwargs=lambda cast: {"course_pk": outcome_of(cast).course_id},
    ),
    Row(
        "web:certification_course",
        frozenset({"teacher"}),
        kwargs=lambda cast: {"course_pk": outcome_of(cast).course_id},
        method="post",
        ok=frozenset({302}),
    ),
    Row(
        "web:outcome_return",
        frozenset({"teacher"}),
        kwargs=lambda cast: {"pk": outcome_of(cast).pk},
    ),
    Row("web:proxy_certifiers", frozenset({"school_admin"})),
    Row("web:replaced_files", frozenset({"school_admin"})),
    # The first POST only asks for confirmation; nothing is purged without it.
    Row("web:replaced_files", frozenset({"school_admin"}), method="post"),
    Row("web:organizer_keys", frozenset({"central_admin"})),
    # No one in the cast holds an organizer key: a session is not enough, everyone gets 401
    # (tests/portfolio/test_organizer_api.py covers the keys).
    Row(
        "api:import_results",
        EVERYONE,
        method="post",
        ok=frozenset({401}),
        note="organizer API key only",
    ),
]
