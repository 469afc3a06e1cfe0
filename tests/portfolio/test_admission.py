"""The one-query read an outcome upload is checked against (R9, R11, R12, R34) agrees with the ORM."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from licheng.curriculum.models import CourseEnrolment
from licheng.evidence.models import StoredFile
from licheng.portfolio.domain.admission import upload_admission
from licheng.portfolio.enums import OutcomeState
from licheng.portfolio.models import LearningOutcome
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import SchoolPolicy, Window

from .conftest import enrol, make_course, open_window
from .test_outcomes import upload


def _by_the_orm(student, course):
    """The same facts, one ORM query each (what create_outcome asked before admission.py)."""
    mine = LearningOutcome.objects.filter(
        student=student,
        academic_year=course.academic_year,
        semester=course.semester,
        transfer__isnull=True,
    )
    window = window_for(
        student.school, WindowKind.OUTCOME_UPLOAD, course.academic_year, course.semester
    )
    policy = policy_of(student.school)
    return {
        "enrolled": CourseEnrolment.objects.filter(course=course, student=student).exists(),
        "window": (window.opens_on, window.closes_on),
        "policy": (
            policy.outcomes_per_semester,
            policy.outcomes_per_course,
            policy.storage_quota_mb,
        ),
        "term_count": mine.count(),
        "course_count": mine.filter(course=course).count(),
        "used_bytes": StoredFile.objects.filter(owner=student).aggregate(s=Sum("size"))["s"] or 0,
    }


def _by_admission(student, course):
    admission = upload_admission(student, course)
    policy = admission.policy
    return {
        "enrolled": admission.enrolled,
        "window": (admission.window.opens_on, admission.window.closes_on),
        "policy": (
            policy.outcomes_per_semester,
            policy.outcomes_per_course,
            policy.storage_quota_mb,
        ),
        "term_count": admission.term_count,
        "course_count": admission.course_count,
        "used_bytes": admission.used_bytes,
    }


@pytest.mark.parametrize("enrolled", [True, False])
@pytest.mark.parametrize("window_saved", [True, False])
@pytest.mark.parametrize("policy_saved", [True, False])
def test_r9_r11_r12_r34_admission_reads_what_the_orm_reads(
    student, school_a, teacher, enrolled, window_saved, policy_saved
):
    """R9, R11, R12, R34: enrolment, window (the school's or the default), policy (the school's
    or DOMAIN's defaults), outcomes this term and in this course, bytes used — as the ORM sees them."""
    course = make_course(school_a, teacher)
    other = enrol(student, make_course(school_a, teacher, code="T002", name="物理"))
    open_window(school_a, WindowKind.OUTCOME_UPLOAD)  # to upload the items counted below
    upload(student, other)
    upload(student, other, submit=False)
    if enrolled:
        upload(student, enrol(student, course))
    if window_saved:
        open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=-3, closes=4)
    else:
        Window.objects.filter(school=school_a, kind=WindowKind.OUTCOME_UPLOAD).delete()
    SchoolPolicy.objects.filter(school=school_a).delete()
    if policy_saved:
        SchoolPolicy.objects.create(
            school=school_a, outcomes_per_semester=9, outcomes_per_course=4, storage_quota_mb=123
        )

    # Admission first: with no policy row it falls back to (and saves) DOMAIN's defaults.
    read = _by_admission(student, course)
    expected = _by_the_orm(student, course)
    assert read == expected
    assert expected["term_count"] == (3 if enrolled else 2)
    assert expected["course_count"] == (1 if enrolled else 0)
    assert expected["used_bytes"] > 0


def test_r9_admission_reads_the_course_by_its_id(student, course):
    """R9: given the id a form sent, the admission reads the course itself (the same row the ORM
    reads); an id of no course reads as no course, not enrolled, and the upload refuses it."""
    from licheng.portfolio.domain import PortfolioError

    by_id = upload_admission(student, course.pk)
    assert by_id.course is not None
    assert [getattr(by_id.course, f.attname) for f in course._meta.concrete_fields] == [
        getattr(course, f.attname) for f in course._meta.concrete_fields
    ]
    assert _by_admission(student, course.pk) == _by_the_orm(student, course)

    missing = upload_admission(student, 999_999)
    assert missing.course is None and not missing.enrolled
    with pytest.raises(PortfolioError) as caught:
        upload(student, 999_999)
    assert caught.value.field == "course"
    assert LearningOutcome.objects.count() == 0


def test_r11_admission_counts_what_committed_before_it(student, course):
    """R11: read after the lock, the counts include the upload just made."""
    before = upload_admission(student, course)
    upload(student, course)
    after = upload_admission(student, course)
    assert after.term_count == before.term_count + 1
    assert after.course_count == before.course_count + 1
    assert after.used_bytes > before.used_bytes


def test_outcome_upload_checks_everything_in_two_statements(student, course):
    """Deadline day: the student's lock and one read, then the rows it writes (file, outcome and
    their two audit entries, in one INSERT) — the five single checks no longer run one query
    each."""
    upload(student, course)  # the policy row exists from here on, as at any school in use
    with CaptureQueriesContext(connection) as ctx:
        outcome = upload(student, course)
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2, reads  # the lock, the admission
    assert len(statements) == 5, statements  # + file, outcome, both audit entries
    assert outcome.state == OutcomeState.SUBMITTED


def test_r34_an_outcomes_second_file_counts_the_first_against_the_quota(
    student, course, school_admin
):
    """R34: the bytes used are read once per upload; the media file is checked against them plus
    the document stored a moment before, so two files that fit one by one cannot pass together."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.devtools import samples
    from licheng.evidence.rules import MB
    from licheng.portfolio.domain import PortfolioError
    from licheng.schools.domain.policy import update_policy

    update_policy(student.school, actor=school_admin, storage_quota_mb=1)
    upload(student, course, document=SimpleUploadedFile("a.pdf", samples.pdf_bytes(pad_to=400_000)))
    used = upload_admission(student, course).used_bytes
    media = samples.mp4_bytes()
    document = samples.pdf_bytes(pad_to=MB - used - len(media) // 2)
    assert used + len(document) <= MB < used + len(document) + len(media)  # each fits alone

    with pytest.raises(PortfolioError) as caught:
        upload(
            student,
            course,
            document=SimpleUploadedFile("b.pdf", document),
            media=SimpleUploadedFile("c.mp4", media),
        )
    assert caught.value.field == "media"
    assert caught.value.message.startswith("儲存空間不足")
    assert upload_admission(student, course).used_bytes == used  # nothing of it kept
