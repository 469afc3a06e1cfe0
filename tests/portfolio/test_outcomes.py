"""Course learning outcomes: R9–R14, R37 (upload, quotas, window, certify, return, resubmit)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licheng.audit.models import AuditEntry
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import (
    certify_outcome,
    certify_outcomes,
    create_outcome,
    name_proxy_certifier,
    return_outcome,
    revise_outcome,
)
from licheng.portfolio.enums import OutcomeState, ReturnReason
from licheng.schools.domain.policy import update_policy
from licheng.schools.enums import WindowKind

from .conftest import enrol, make_course, mp4, open_window, pdf


def upload(student, course, **kwargs):
    values = {
        "title": "滴定實驗報告",
        "description": "我負責數據分析，學到誤差來源，下次會重做對照組。",
        "document": pdf(),
    }
    values.update(kwargs)
    return create_outcome(student, course=course, actor=student.user, **values)


def test_outcome_upload_is_submitted_with_files(student, course):
    """R9, R10: an outcome of one course, with a document and a media file."""
    outcome = upload(student, course, media=mp4())
    assert outcome.state == OutcomeState.SUBMITTED
    assert (outcome.document.kind, outcome.media.kind) == ("pdf", "mp4")
    assert (outcome.academic_year, outcome.semester) == (course.academic_year, course.semester)
    assert AuditEntry.objects.filter(
        action="portfolio.outcome.create", object_id=str(outcome.pk)
    ).exists()


def test_outcome_upload_locks_the_student_not_the_school(student, course):
    """R11, R34 are checked under the student's row lock; locking the school's row as well (a join
    for the model's ordering) made every upload of the school wait for the one before it."""
    with CaptureQueriesContext(connection) as ctx:
        upload(student, course)
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "schools_student"' in q["sql"]]
    assert reads and all('"schools_school"' not in sql for sql in reads)


def test_outcome_can_be_kept_as_draft(student, course):
    assert upload(student, course, submit=False).state == OutcomeState.DRAFT


def test_outcome_needs_a_course_the_student_takes(student, school_a, teacher, windows_open):
    """R9: only a credit-bearing course the student took that semester."""
    not_mine = make_course(school_a, teacher, code="T002")
    with pytest.raises(PortfolioError, match="只能選擇本學期修習且有學分的課程"):
        upload(student, not_mine)
    no_credit = enrol(student, make_course(school_a, teacher, code="T003", credits=0))
    with pytest.raises(PortfolioError, match="有學分"):
        upload(student, no_credit)


def test_outcome_needs_a_file(student, course):
    with pytest.raises(PortfolioError, match="至少一個"):
        upload(student, course, document=None)


def test_outcome_description_limit_counts_cjk_as_one(student, course):
    """R10: a description ≤ 100 characters, a Chinese character counting one."""
    assert upload(student, course, description="學" * 100).description == "學" * 100
    with pytest.raises(PortfolioError, match="簡述超過 100 字上限（目前 101 字）"):
        upload(student, course, description="學" * 101)


def test_outcome_file_refusal_is_reported_on_its_field(student, course):
    """R10: a refused file names the broken limit and is reported on the field."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(PortfolioError) as caught:
        upload(student, course, document=SimpleUploadedFile("a.pdf", b"MZ" + bytes(64)))
    assert caught.value.field == "document"
    assert "程式執行檔" in caught.value.message


def test_default_quota_is_6_per_semester(student, course):
    """R11: default 6 per semester, no per-course cap."""
    for _ in range(6):
        upload(student, course)
    with pytest.raises(PortfolioError, match="已達學校規定的每學期 6 件上限"):
        upload(student, course)


def test_per_course_quota_set_by_school(student, course, school_a, school_admin, teacher):
    """R11: the school may add a per-course cap."""
    update_policy(school_a, actor=school_admin, outcomes_per_semester=20, outcomes_per_course=2)
    upload(student, course)
    upload(student, course)
    with pytest.raises(PortfolioError, match="每門課 2 件上限"):
        upload(student, course)
    other = enrol(student, make_course(school_a, teacher, code="T009"))
    assert upload(student, other).pk


def test_upload_refused_before_the_window_opens(student, course, school_a):
    """R12: outside the window the student is told when it opens."""
    open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=3, closes=20)
    with pytest.raises(PortfolioError, match="課程學習成果上傳將於 .* 開放"):
        upload(student, course)


def test_upload_refused_after_the_window_closed(student, course, school_a):
    """R12: after the window closes nothing can be added (逾時將無法補件)."""
    open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=-20, closes=-1)
    with pytest.raises(PortfolioError, match="已於 .* 截止，逾時將無法補件"):
        upload(student, course)


def test_teacher_certifies(student, course, teacher):
    """R13: the course teacher certifies."""
    outcome = certify_outcome(upload(student, course), teacher=teacher)
    assert (outcome.state, outcome.certified_by) == (OutcomeState.CERTIFIED, teacher)


def test_bulk_certify_skips_items_no_longer_pending(student, course, teacher):
    """R37: certify many at once; already-certified ones are skipped, not failed."""
    items = [upload(student, course) for _ in range(3)]
    certify_outcome(items[0], teacher=teacher)
    done = certify_outcomes([o.pk for o in items], teacher=teacher)
    assert sorted(o.pk for o in done) == [items[1].pk, items[2].pk]


def test_other_teacher_cannot_certify(student, course, other_teacher):
    """R13: only the course's teacher (or the named proxy)."""
    with pytest.raises(PortfolioError, match="不是此課程的任課教師"):
        certify_outcome(upload(student, course), teacher=other_teacher)


def test_proxy_certifier_can_certify(student, course, school_a, school_admin):
    """R37: the school names a proxy certifier (代理人) for a course."""
    from licheng.accounts.enums import Role
    from tests.factories import staff

    proxy = staff(Role.TEACHER, school_a, full_name="代理老師")
    outcome = upload(student, course)
    with pytest.raises(PortfolioError):
        certify_outcome(outcome, teacher=proxy)
    name_proxy_certifier(course, teacher=proxy, actor=school_admin)
    assert certify_outcome(outcome, teacher=proxy).certified_by == proxy


def test_proxy_must_teach_at_the_school(course, other_teacher, school_admin):
    with pytest.raises(PortfolioError, match="代理人須為本校教師"):
        name_proxy_certifier(course, teacher=other_teacher, actor=school_admin)


@pytest.mark.parametrize("reason", [r for r in ReturnReason if r != ReturnReason.OTHER])
def test_return_with_an_allowed_reason(student, course, teacher, reason):
    """R13: a refusal carries one of the allowed reasons."""
    outcome = return_outcome(upload(student, course), teacher=teacher, reason=reason)
    assert (outcome.state, outcome.return_reason) == (OutcomeState.RETURNED, reason)


@pytest.mark.parametrize("reason", ["grade", "quality", "too_short", ""])
def test_return_for_grade_or_quality_is_impossible(student, course, teacher, reason):
    """R13: a teacher may not refuse because of grade or quality: no such reason exists."""
    with pytest.raises(PortfolioError, match="請選擇退回原因"):
        return_outcome(upload(student, course), teacher=teacher, reason=reason)


def test_return_reason_other_needs_an_explanation(student, course, teacher):
    """R13: "other" must be explained."""
    outcome = upload(student, course)
    with pytest.raises(PortfolioError, match="須說明"):
        return_outcome(outcome, teacher=teacher, reason=ReturnReason.OTHER)
    done = return_outcome(
        outcome, teacher=teacher, reason=ReturnReason.OTHER, note="檔案是別門課的"
    )
    assert done.return_note == "檔案是別門課的"


def test_returned_outcome_is_fixed_and_resubmitted_keeping_the_old_file(student, course, teacher):
    """R13: the student fixes a returned item and resubmits inside the window; the old file stays."""
    from django.core.files.storage import default_storage

    outcome = upload(student, course)
    old_file = outcome.document
    return_outcome(outcome, teacher=teacher, reason=ReturnReason.UNREADABLE)
    fixed = revise_outcome(
        outcome,
        title="滴定實驗報告（修正）",
        description=outcome.description,
        document=pdf("新.pdf"),
        actor=student.user,
    )
    assert fixed.state == OutcomeState.SUBMITTED and fixed.document != old_file
    assert default_storage.exists(old_file.storage_name)
    entry = AuditEntry.objects.get(action="portfolio.outcome.revise", object_id=str(outcome.pk))
    assert entry.before["document"] == str(old_file.pk)


def test_resubmit_refused_after_window_closed(student, course, teacher, school_a):
    """R12, R13: resubmission only inside the window."""
    outcome = upload(student, course)
    return_outcome(outcome, teacher=teacher, reason=ReturnReason.UNREADABLE)
    open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=-20, closes=-1)
    with pytest.raises(PortfolioError, match="逾時將無法補件"):
        revise_outcome(outcome, title="x", description="y", actor=student.user)


def test_certified_outcome_cannot_be_changed(student, course, teacher):
    outcome = certify_outcome(upload(student, course), teacher=teacher)
    with pytest.raises(PortfolioError, match="不能修改"):
        revise_outcome(outcome, title="x", description="y", actor=student.user)


def test_only_certified_outcomes_are_selectable(student, course, teacher):
    """R14: only certified outcomes can be selected for the central repository."""
    from licheng.portfolio.queries import selectable_outcomes

    certified = certify_outcome(upload(student, course), teacher=teacher)
    upload(student, course)
    assert list(selectable_outcomes(student, course.academic_year)) == [certified]


def test_replaced_files_are_kept_until_purged_by_the_school(
    student, course, teacher, school_admin, django_capture_on_commit_callbacks
):
    """Storage: a replaced file stays until an explicit, audited purge by the school."""
    from django.core.files.storage import default_storage

    from licheng.evidence.models import StoredFile
    from licheng.portfolio.domain.history import purge_replaced_files

    outcome = upload(student, course)
    old = outcome.document
    return_outcome(outcome, teacher=teacher, reason=ReturnReason.UNREADABLE)
    revise_outcome(
        outcome,
        title="新版",
        description=outcome.description,
        document=pdf("新.pdf"),
        actor=student.user,
    )
    assert StoredFile.objects.filter(pk=old.pk).exists()
    with pytest.raises(PortfolioError, match="只有學校行政人員"):
        purge_replaced_files(outcome, actor=student.user)
    outcome.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_replaced_files(outcome, actor=school_admin) == 1
    assert not StoredFile.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.storage_name)
    assert default_storage.exists(outcome.document.storage_name)
    entry = AuditEntry.objects.get(action="portfolio.outcome.purge_files")
    assert entry.before["files"][0]["sha256"] == old.sha256
