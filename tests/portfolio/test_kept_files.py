"""Files an item no longer uses are kept (舊版檔案) until the school purges them (R16, R10, R7).

Issue 5, "evidence that cannot be lost": replacing a file or deleting an item keeps its files,
listed for the school administrator with what they belonged to; only the audited purge removes
them, and after every operation each StoredFile is referred to by an item or kept as history.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from licheng.accounts.enums import Role
from licheng.admissions.domain import applications
from licheng.admissions.enums import ItemKind
from licheng.audit.domain import record
from licheng.audit.models import AuditEntry
from licheng.curriculum.domain import counselling
from licheng.devtools import samples
from licheng.evidence.domain.orphans import unreferenced_files
from licheng.evidence.domain.verify import problems
from licheng.evidence.models import StoredFile
from licheng.lib.storagewalk import walk
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.history import purge_school_replaced_files
from licheng.portfolio.domain.organizers import create_organizer
from licheng.portfolio.domain.outcomes import create_outcome, revise_outcome
from licheng.portfolio.domain.performance_edits import delete_performance
from licheng.portfolio.domain.performances import import_organizer_result
from licheng.portfolio.enums import KeptItemKind, KeptReason
from licheng.portfolio.models import ReplacedFile
from tests.admissions.fixtures import PDF_BYTES, department
from tests.factories import staff

from .conftest import mp4, pdf
from .test_performance_edits import revise
from .test_performances import DETAILS, add


def assert_nothing_unreferenced() -> None:
    """Every stored file is used by an item or kept as history; none is left to nobody."""
    assert list(unreferenced_files().values_list("original_name", flat=True)) == []


def test_deleting_a_performance_keeps_its_files_as_history(student, windows_open):
    """R16: a deleted performance's proofs stay stored, kept with the item's title and student."""
    item = add(student, title="校內科展", files=[pdf("舊.pdf")])
    revise(item, student.user, replace_file_ids={item.files.get().pk}, add_files=[pdf("新.pdf")])
    pk = item.pk
    delete_performance(item, actor=student.user)

    kept = {r.stored_file.original_name: r for r in ReplacedFile.objects.all()}
    assert sorted(kept) == ["新.pdf", "舊.pdf"]
    deleted, replaced = kept["新.pdf"], kept["舊.pdf"]
    assert (deleted.reason, replaced.reason) == (KeptReason.ITEM_DELETED, KeptReason.REPLACED)
    for row in kept.values():
        assert (row.student, row.item_kind, row.item_pk, row.item_title) == (
            student,
            KeptItemKind.PERFORMANCE,
            pk,
            "校內科展",
        )
        assert row.performance is None and row.item_deleted
    assert deleted.replaced_by == student.user
    assert_nothing_unreferenced()
    assert list(problems()) == []


def test_school_purges_a_deleted_items_files_audited_and_verified(
    student, windows_open, school_admin, other_school_admin, django_capture_on_commit_callbacks
):
    """R16: only the school's administrator purges; rows and bytes go, SHA-256 in the audit."""
    item = add(student, title="志工服務", files=[pdf("證明.pdf")])
    stored = item.files.get()
    delete_performance(item, actor=student.user)
    with pytest.raises(PortfolioError, match="只有學校行政人員"):
        purge_school_replaced_files(student.school, actor=other_school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_school_replaced_files(student.school, actor=school_admin) == 1

    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not ReplacedFile.objects.exists()
    assert not default_storage.exists(stored.storage_name)
    entry = AuditEntry.objects.get(action="portfolio.performance.purge_files")
    assert (entry.object_type, entry.object_id) == ("schools.Student", str(student.pk))
    assert entry.before["item"] == {"kind": "performance", "id": item.pk, "title": "志工服務"}
    assert entry.before["files"] == [
        {"id": str(stored.pk), "sha256": stored.sha256, "size": stored.size}
    ]
    call_command("verify_evidence")  # nothing missing: the row went with the bytes
    call_command("evidence_orphans")


def test_purge_never_removes_a_file_an_item_still_uses(
    student, windows_open, school_admin, django_capture_on_commit_callbacks
):
    """A history row wrongly naming a file still in use: the row goes, the file stays."""
    item = add(student, files=[pdf("在用.pdf")])
    in_use = item.files.get()
    ReplacedFile.objects.create(
        stored_file=in_use,
        student=student,
        item_kind=KeptItemKind.PERFORMANCE,
        item_pk=item.pk,
        item_title=item.title,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_school_replaced_files(student.school, actor=school_admin) == 0
    assert list(item.files.all()) == [in_use]
    assert default_storage.exists(in_use.storage_name)


@pytest.fixture
def counsellor(school_a, homeroom_class, school_admin):
    user = staff(Role.COUNSELOR, school_a, full_name="諮詢老師")
    counselling.assign_counsellor(homeroom_class, actor=school_admin, counsellor=user)
    return user


def test_every_stored_file_is_referenced_or_kept_after_each_operation(
    student, course, teacher, counsellor, central_admin
):
    """Outcomes (R10), performances (R16), counselling (R7), organizer imports (R19) and
    admission uploads: after each operation no StoredFile is left referred to by nothing."""
    outcome = create_outcome(
        student,
        course=course,
        title="報告",
        description="我負責數據分析，學到誤差來源。",
        document=pdf(),
        submit=False,
        actor=student.user,
    )
    assert_nothing_unreferenced()
    revise_outcome(
        outcome,
        title="報告二版",
        description=outcome.description,
        document=pdf("二版.pdf"),
        media=mp4(),
        actor=student.user,
    )
    assert ReplacedFile.objects.filter(outcome=outcome).count() == 1
    assert_nothing_unreferenced()

    item = add(student, files=[pdf("一.pdf"), pdf("二.pdf")])
    assert_nothing_unreferenced()
    revise(item, student.user, replace_file_ids={item.files.first().pk}, add_files=[pdf()])
    assert_nothing_unreferenced()
    delete_performance(item, actor=student.user)
    assert_nothing_unreferenced()

    counselling.write_record(
        student,
        counsellor=counsellor,
        held_on=dt.date.today(),
        description="討論選修方向",
        upload=SimpleUploadedFile("紀錄.pdf", samples.pdf_bytes("counselling")),
    )
    assert_nothing_unreferenced()

    organizer = create_organizer(name="全國科展主辦單位", actor=central_admin)
    import_organizer_result(
        organizer,
        record_id="R-1",
        student=student,
        category="competition",
        title="全國科展",
        activity_date=dt.date.today(),
        details=DETAILS["competition"],
        files=[pdf("獎狀.pdf")],
    )
    assert_nothing_unreferenced()

    registration = applications.register(
        student, department().channel, consent=True, actor=student.user
    )
    application = applications.start_application(
        registration, department(code="001013"), actor=student.user
    )
    upload = applications.add_upload(
        application,
        ItemKind.FORM_A,
        io.BytesIO(PDF_BYTES),
        name="formA.pdf",
        title="表A",
        actor=student.user,
    )
    assert_nothing_unreferenced()
    applications.remove_item(upload, actor=student.user)
    kept = ReplacedFile.objects.get(item_kind=KeptItemKind.APPLICATION_UPLOAD)
    assert (kept.stored_file_id, kept.reason, kept.item_title) == (
        upload.stored_file_id,
        KeptReason.ITEM_DELETED,
        "表A",
    )
    assert_nothing_unreferenced()
    assert list(problems()) == []


def test_migration_takes_back_files_earlier_deletions_left_behind(student, windows_open):
    """Before kept files, a deleted performance left its files to nobody and dropped the rows
    of files it had replaced; the migration finds both again through the audit log."""
    migration = importlib.import_module(
        "licheng.portfolio.migrations.0005_keep_deleted_items_files"
    )
    item = add(student, title="舊制刪除", files=[pdf("舊.pdf")])
    old = item.files.get()
    revise(item, student.user, replace_file_ids={old.pk}, add_files=[pdf("新.pdf")])
    current = item.files.get()
    # What the code before this change did: audit the current files, delete the item, and
    # lose the replaced file's row with it (on_delete=CASCADE).
    record(
        "portfolio.performance.delete",
        actor=student.user,
        obj=item,
        school=student.school,
        before={
            "title": item.title,
            "files": [{"id": str(current.pk), "sha256": current.sha256, "size": current.size}],
        },
    )
    ReplacedFile.objects.all().delete()
    item.delete()
    assert sorted(unreferenced_files().values_list("original_name", flat=True)) == [
        "新.pdf",
        "舊.pdf",
    ]

    migration.adopt_files_of_deleted_performances(apps, None)
    migration.adopt_files_of_deleted_performances(apps, None)  # running twice adds nothing

    kept = {r.stored_file.original_name: r for r in ReplacedFile.objects.all()}
    assert {name: r.reason for name, r in kept.items()} == {
        "新.pdf": KeptReason.ITEM_DELETED,
        "舊.pdf": KeptReason.REPLACED,
    }
    assert {r.item_title for r in kept.values()} == {"舊制刪除"}
    revised = AuditEntry.objects.get(action="portfolio.performance.revise")
    assert kept["舊.pdf"].replaced_at == revised.at
    assert_nothing_unreferenced()


def test_a_refused_upload_leaves_no_bytes_of_the_files_before_it(student, course, windows_open):
    """R10, R16: when the second file is refused the first one's row rolls back, and its bytes
    go too: nothing is left on storage that no row records."""
    too_big = SimpleUploadedFile("大.mp4", b"\x00" * (10 * 1024 * 1024 + 1))
    with pytest.raises(PortfolioError, match="10 MB"):
        add(student, files=[pdf("一.pdf"), pdf("二.pdf"), too_big])
    with pytest.raises(PortfolioError, match="10 MB"):
        create_outcome(
            student,
            course=course,
            title="報告",
            description="我負責數據分析，學到誤差來源。",
            document=pdf(),
            media=too_big,
            actor=student.user,
        )
    assert not StoredFile.objects.exists()
    assert list(walk(default_storage)) == []


def test_files_stored_by_a_function_that_succeeds_stay(student, windows_open):
    """The clean-up is only for failures: an enclosing rollback is the caller's to handle."""
    item = add(student, files=[pdf("一.pdf")])
    assert [default_storage.exists(f.storage_name) for f in item.files.all()] == [True]
