"""The student deletes their own course-outcome draft (刪除草稿): R11's place is freed, the
files are kept (舊版檔案), the deletion is audited; nothing else can be deleted, by no one else."""

from __future__ import annotations

import pytest
from django.test import Client

from licheng.audit.models import AuditEntry
from licheng.evidence.domain.orphans import unreferenced_files
from licheng.evidence.domain.verify import problems
from licheng.evidence.models import StoredFile
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.history import purge_school_replaced_files
from licheng.portfolio.domain.outcomes import (
    certify_outcome,
    create_outcome,
    delete_draft_outcome,
    return_outcome,
    revise_outcome,
)
from licheng.portfolio.enums import KeptItemKind, KeptReason, ReturnReason
from licheng.portfolio.models import LearningOutcome, ReplacedFile
from licheng.schools.domain.policy import update_policy
from licheng.schools.enums import WindowKind

from .conftest import enrol, make_course, mp4, open_window, pdf


def draft(student, course, **kwargs):
    values = {
        "title": "滴定實驗報告",
        "description": "我負責數據分析，學到誤差來源，下次會重做對照組。",
        "document": pdf(),
        "submit": False,
    }
    values.update(kwargs)
    return create_outcome(student, course=course, actor=student.user, **values)


def test_r11_deleting_a_draft_frees_its_place(student, course, school_admin, teacher):
    """R11: a draft takes a place of the semester; deleted, the place is free again."""
    update_policy(student.school, actor=school_admin, outcomes_per_semester=1)
    wrong_course = enrol(student, make_course(student.school, teacher, code="T009", name="物理"))
    mistake = draft(student, wrong_course)
    with pytest.raises(PortfolioError, match="已達學校規定的每學期 1 件上限"):
        draft(student, course)
    delete_draft_outcome(mistake, actor=student.user)
    assert not LearningOutcome.objects.filter(pk=mistake.pk).exists()
    assert draft(student, course).course == course


def test_r11_deleting_a_draft_is_audited_with_its_files(student, course):
    """R35: who deleted what, with every file's id, size and SHA-256."""
    outcome = draft(student, course, media=mp4())
    files = {str(f.pk): f for f in outcome.files}
    delete_draft_outcome(outcome, actor=student.user)
    entry = AuditEntry.objects.get(action="portfolio.outcome.delete")
    assert (entry.actor, entry.object_id, entry.school) == (
        student.user,
        str(outcome.pk),
        student.school,
    )
    assert entry.before["title"] == "滴定實驗報告" and entry.before["course"] == course.code
    assert {f["id"]: (f["sha256"], f["size"]) for f in entry.before["files"]} == {
        pk: (f.sha256, f.size) for pk, f in files.items()
    }


def test_r10_a_deleted_drafts_files_are_kept_as_history(student, course):
    """R10, docs/evidence.md: as for a deleted performance, the files stay stored (舊版檔案),
    kept with the item's title; a file it had replaced earlier stays kept too."""
    outcome = draft(student, course, document=pdf("一版.pdf"))
    revise_outcome(
        outcome,
        title="二版",
        description=outcome.description,
        document=pdf("二版.pdf"),
        submit=False,
        actor=student.user,
    )
    pk = outcome.pk
    delete_draft_outcome(outcome, actor=student.user)
    kept = {r.stored_file.original_name: r for r in ReplacedFile.objects.all()}
    assert sorted(kept) == ["一版.pdf", "二版.pdf"]
    assert (kept["二版.pdf"].reason, kept["一版.pdf"].reason) == (
        KeptReason.ITEM_DELETED,
        KeptReason.REPLACED,
    )
    for row in kept.values():
        assert (row.student, row.item_kind, row.item_pk) == (student, KeptItemKind.OUTCOME, pk)
        assert row.outcome is None and row.item_deleted
    assert kept["二版.pdf"].item_title == "二版"
    assert StoredFile.objects.count() == 2
    assert list(unreferenced_files()) == []
    assert list(problems()) == []


def test_r10_a_deleted_drafts_files_go_only_by_the_schools_purge(
    student, course, school_admin, django_capture_on_commit_callbacks
):
    outcome = draft(student, course)
    delete_draft_outcome(outcome, actor=student.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_school_replaced_files(student.school, actor=school_admin) == 1
    assert StoredFile.objects.count() == 0
    entry = AuditEntry.objects.get(action="portfolio.outcome.purge_files")
    assert entry.before["item"]["title"] == "滴定實驗報告"


@pytest.mark.parametrize("state", ["submitted", "certified", "returned"])
def test_r13_only_drafts_are_deleted(student, course, teacher, state):
    """R13: a submitted outcome is the teacher's to act on, a certified one may be selected
    (R14), a returned one is fixed and resubmitted: none of them is deleted."""
    outcome = draft(student, course, submit=True)
    if state == "certified":
        certify_outcome(outcome, teacher=teacher)
    elif state == "returned":
        return_outcome(outcome, teacher=teacher, reason=ReturnReason.NOT_OWN_WORK)
    expected = "請修正後重新送出" if state == "returned" else "只有草稿可以刪除"
    with pytest.raises(PortfolioError, match=expected):
        delete_draft_outcome(outcome, actor=student.user)
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()
    assert not AuditEntry.objects.filter(action="portfolio.outcome.delete").exists()


def test_only_the_owner_deletes_a_draft(student, course, other_student, teacher, school_admin):
    """Another student, the course teacher, the school's administrator: refused."""
    outcome = draft(student, course)
    for who in (other_student.user, teacher, school_admin):
        with pytest.raises(PortfolioError, match="只能刪除自己的"):
            delete_draft_outcome(outcome, actor=who)
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()


def test_r12_no_draft_is_deleted_once_the_window_closed(student, course, school_a):
    outcome = draft(student, course)
    open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=-20, closes=-1)
    with pytest.raises(PortfolioError):
        delete_draft_outcome(outcome, actor=student.user)
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()


# The pages


def test_r11_draft_page_confirms_then_deletes(student, course, login):
    """R11: the draft's page offers deletion; a confirmation page asks first (a GET deletes
    nothing); the POST deletes, goes back to the list with a message, and frees the place."""
    outcome = draft(student, course)
    client = login(student.user)
    page = client.get(f"/outcomes/{outcome.pk}/").content.decode()
    assert f'href="/outcomes/{outcome.pk}/delete/"' in page
    confirm = client.get(f"/outcomes/{outcome.pk}/delete/")
    assert (
        confirm.status_code == 200 and "確定要刪除草稿「滴定實驗報告」" in confirm.content.decode()
    )
    assert "仍保存為舊版檔案" in confirm.content.decode()
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()
    response = client.post(f"/outcomes/{outcome.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/outcomes/"
    listed = client.get("/outcomes/").content.decode()
    assert "已刪除草稿「滴定實驗報告」" in listed
    assert not LearningOutcome.objects.filter(pk=outcome.pk).exists()
    assert AuditEntry.objects.filter(action="portfolio.outcome.delete").exists()


def test_submitted_outcome_page_offers_no_delete_and_the_post_is_refused(student, course, login):
    """R13: only a draft shows the button; a POST anyway names the reason and deletes nothing."""
    outcome = draft(student, course, submit=True)
    client = login(student.user)
    assert "/delete/" not in client.get(f"/outcomes/{outcome.pk}/").content.decode()
    response = client.post(f"/outcomes/{outcome.pk}/delete/")
    assert response.status_code == 400 and "只有草稿可以刪除" in response.content.decode()
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.parametrize(
    "who", ["other_student", "teacher", "other_teacher", "parent", "school_admin"]
)
def test_nobody_else_reaches_the_delete_page(student, course, cast, login, who):
    outcome = draft(student, course)
    client = login(cast[who])
    assert client.get(f"/outcomes/{outcome.pk}/delete/").status_code == 404
    assert client.post(f"/outcomes/{outcome.pk}/delete/").status_code == 404
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()


def test_delete_needs_the_csrf_token(student, course):
    outcome = draft(student, course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user, backend="licheng.accounts.backends.AccountBackend")
    assert client.post(f"/outcomes/{outcome.pk}/delete/").status_code == 403
    assert LearningOutcome.objects.filter(pk=outcome.pk).exists()
