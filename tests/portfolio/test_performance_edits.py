"""The student edits and deletes their own diverse performances (R15–R19); replaced files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from licheng.audit.models import AuditEntry
from licheng.evidence.models import StoredFile
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.history import purge_replaced_files, purge_school_replaced_files
from licheng.portfolio.domain.performance_edits import delete_performance, revise_performance
from licheng.portfolio.domain.performances import (
    create_performance,
    import_organizer_result,
    own_count,
)
from licheng.portfolio.enums import PerformanceSource
from licheng.portfolio.models import Organizer, Performance, ReplacedFile
from licheng.schools.enums import WindowKind

from .conftest import open_window, pdf
from .test_performances import DETAILS, add


def revise(performance, actor, **kwargs):
    values = {
        "title": performance.title,
        "activity_date": performance.activity_date,
        "details": dict(performance.details),
        "description": performance.description,
        "link": performance.link,
    }
    values.update(kwargs)
    return revise_performance(performance, actor=actor, **values)


def select(performance, *, sent=False):
    from licheng.selection.models import AnnualSelection, SelectedItem

    selection = AnnualSelection.objects.create(
        student=performance.student,
        academic_year=performance.academic_year,
        submitted_at=timezone.now() if sent else None,
    )
    SelectedItem.objects.create(selection=selection, performance=performance)


def test_student_edits_fields_description_and_link(student, windows_open):
    """R15, R16: the student changes the category's fields, the description and the link."""
    item = add(student, "volunteer", details={"organization": "圖書館", "hours": "10"})
    revise(
        item,
        student.user,
        title="圖書館志工",
        details={"organization": "市立圖書館", "hours": "24"},
        description="我整理書架並學會分類法",
        link="https://example.org/proof",
    )
    item.refresh_from_db()
    assert (item.title, str(item.details["hours"]), item.link) == (
        "圖書館志工",
        "24",
        "https://example.org/proof",
    )
    entry = AuditEntry.objects.get(action="portfolio.performance.revise")
    assert str(entry.before["details"]["hours"]) == "10"
    assert str(entry.after["details"]["hours"]) == "24"


def test_bad_edit_is_refused_and_changes_nothing(student, windows_open):
    """R16, R17: a too-long description, a non-http link or a date before enrolment is named."""
    item = add(student)
    with pytest.raises(PortfolioError, match="100"):
        revise(item, student.user, description="字" * 101)
    with pytest.raises(PortfolioError) as exc:
        revise(item, student.user, link="javascript:alert(1)")
    assert exc.value.field == "link"
    with pytest.raises(PortfolioError, match="7 月 1 日"):
        revise(item, student.user, activity_date=student.earliest_activity_date - dt.timedelta(1))
    item.refresh_from_db()
    assert item.description == "我負責實驗設計" and item.link == ""


def test_replaced_proof_file_is_kept_until_the_school_purges(
    student, windows_open, school_admin, django_capture_on_commit_callbacks
):
    """R16: replacing a proof keeps the old file as ReplacedFile; only a school admin purges it."""
    item = add(student, files=[pdf("舊.pdf")])
    old = item.files.get()
    revise(item, student.user, replace_file_ids={old.pk}, add_files=[pdf("新.pdf")])
    assert [f.original_name for f in item.files.all()] == ["新.pdf"]
    assert ReplacedFile.objects.get(performance=item).stored_file == old
    with pytest.raises(PortfolioError, match="只有學校行政人員"):
        purge_replaced_files(item, actor=student.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_replaced_files(item, actor=school_admin) == 1
    assert not StoredFile.objects.filter(pk=old.pk).exists()
    entry = AuditEntry.objects.get(action="portfolio.performance.purge_files")
    assert entry.before["files"][0]["sha256"] == old.sha256


def test_adding_files_keeps_the_limit_of_three(student, windows_open):
    """R16: at most three proof files in all, old ones included."""
    item = add(student, files=[pdf("a.pdf"), pdf("b.pdf")])
    revise(item, student.user, add_files=[pdf("c.pdf")])
    with pytest.raises(PortfolioError, match="最多 3 個"):
        revise(item, student.user, add_files=[pdf("d.pdf")])
    assert item.files.count() == 3


def test_delete_frees_the_quota_place(student, windows_open):
    """R18: a deleted own upload no longer counts toward the year's quota; audited."""
    item = add(student, files=[pdf()])
    year = item.academic_year
    assert own_count(student, year) == 1
    delete_performance(item, actor=student.user)
    assert own_count(student, year) == 0
    entry = AuditEntry.objects.get(action="portfolio.performance.delete")
    assert entry.before["title"] == "全國科展" and entry.before["files"][0]["sha256"]


def test_selected_performance_cannot_be_deleted(student, windows_open):
    """R19 area: a performance ticked for the central repository cannot be deleted; says why."""
    item = add(student)
    select(item)
    with pytest.raises(PortfolioError, match="已勾選提交至中央資料庫"):
        delete_performance(item, actor=student.user)
    assert Performance.objects.filter(pk=item.pk).exists()
    revise(item, student.user, title="仍可修改")  # ticked but not yet sent: still editable


def test_sent_performance_is_frozen(student, windows_open):
    """A performance the school sent to the central repository can be neither edited nor deleted."""
    item = add(student)
    select(item, sent=True)
    with pytest.raises(PortfolioError, match="已由學校提交至中央資料庫"):
        revise(item, student.user, title="改名")
    with pytest.raises(PortfolioError, match="已由學校提交至中央資料庫"):
        delete_performance(item, actor=student.user)


def test_school_and_organizer_items_are_not_the_students(student, school_admin, windows_open):
    """R19: items registered by the school or imported by an organizer: no edit, no delete."""
    school_item = create_performance(
        student,
        category="competition",
        title="校內科展",
        activity_date=timezone.localdate(),
        details=DETAILS["competition"],
        source=PerformanceSource.SCHOOL,
        actor=school_admin,
    )
    imported, _ = import_organizer_result(
        Organizer.objects.create(name="科展中心"),
        record_id="R1",
        student=student,
        category="certificate",
        title="英檢",
        activity_date=timezone.localdate(),
        details=DETAILS["certificate"],
    )
    for item, who in ((school_item, "學校登錄"), (imported, "主辦機構匯入")):
        with pytest.raises(PortfolioError, match=who):
            revise(item, student.user, title="改名")
        with pytest.raises(PortfolioError, match=who):
            delete_performance(item, actor=student.user)
    assert Performance.objects.count() == 2


def test_only_the_owner_and_only_while_the_window_is_open(student, other_student, school_a):
    """R18: the performance upload window bounds editing as it bounds uploading."""
    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD)
    item = add(student)
    with pytest.raises(PortfolioError, match="只能修改自己的"):
        revise(item, other_student.user, title="別人的")
    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD, opens=-20, closes=-1)
    with pytest.raises(PortfolioError):
        delete_performance(item, actor=student.user)
    assert Performance.objects.filter(pk=item.pk).exists()


def test_school_purge_covers_outcomes_and_performances(
    student, windows_open, school_admin, other_school_admin
):
    """Purging the school's replaced files: only that school's administrators."""
    item = add(student, files=[pdf("舊.pdf")])
    revise(item, student.user, replace_file_ids={item.files.get().pk}, add_files=[pdf()])
    with pytest.raises(PortfolioError):
        purge_school_replaced_files(student.school, actor=other_school_admin)
    assert purge_school_replaced_files(student.school, actor=school_admin) == 1
    with pytest.raises(PortfolioError, match="只有學校行政人員"):
        purge_school_replaced_files(student.school, actor=other_school_admin)
    assert not ReplacedFile.objects.exists()


def test_a_tick_landing_after_the_check_is_still_refused(student, windows_open, monkeypatch):
    """The PROTECT foreign key backs the check: a late tick gives the message, not a 500."""
    from licheng.portfolio.domain import performance_edits

    item = add(student)
    select(item)
    monkeypatch.setattr(performance_edits, "selection_error", lambda performance: "")
    with pytest.raises(PortfolioError, match="已勾選提交至中央資料庫"):
        delete_performance(item, actor=student.user)
    assert Performance.objects.filter(pk=item.pk).exists()
