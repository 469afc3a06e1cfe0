"""Pages: the student's performance edit/delete pages; the school's replaced-files page."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from licheng.audit.models import AuditEntry
from licheng.evidence.models import StoredFile
from licheng.portfolio.models import Performance, ReplacedFile

from .conftest import pdf
from .test_performance_edits import select
from .test_performances import add


def test_edit_page_replaces_a_file_and_keeps_the_old(student, windows_open, login):
    """R16: the edit page saves fields and swaps a proof file; the old one is kept."""
    item = add(
        student,
        "volunteer",
        details={"organization": "圖書館", "hours": "3"},
        files=[pdf("舊.pdf")],
    )
    old = item.files.get()
    client = login(student.user)
    page = client.get(f"/performances/{item.pk}/").content.decode()
    assert "舊.pdf" in page and 'value="圖書館"' in page
    response = client.post(
        f"/performances/{item.pk}/",
        {
            "title": "圖書館志工",
            "activity_date": item.activity_date.isoformat(),
            "detail_volunteer_organization": "市立圖書館",
            "detail_volunteer_hours": "5",
            "description": "我學會了圖書分類",
            "link": "",
            "replace": [str(old.pk)],
            "files": [pdf("新.pdf")],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "圖書館志工"
    assert [f.original_name for f in item.files.all()] == ["新.pdf"]
    assert ReplacedFile.objects.filter(performance=item, stored_file=old).exists()


def test_edit_page_names_the_broken_rule(student, windows_open, login):
    """R17: a date before enrolment is refused on the page, in zh-Hant, nothing stored."""
    item = add(student)
    response = login(student.user).post(
        f"/performances/{item.pk}/",
        {
            "title": "改",
            "activity_date": "2001-01-01",
            "detail_competition_organizer": "教育部",
            "detail_competition_level": "全國",
            "detail_competition_award": "佳作",
        },
    )
    assert response.status_code == 400
    assert "7 月 1 日" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "全國科展"


def test_delete_page_confirms_then_deletes(student, windows_open, login):
    """R18: the delete page asks first; the POST deletes and frees the quota place."""
    item = add(student)
    client = login(student.user)
    assert "確定要刪除" in client.get(f"/performances/{item.pk}/delete/").content.decode()
    assert client.post(f"/performances/{item.pk}/delete/").status_code == 302
    assert not Performance.objects.filter(pk=item.pk).exists()


def test_delete_page_says_why_a_selected_item_stays(student, windows_open, login):
    """A ticked performance is not deleted; the page names the reason."""
    item = add(student)
    select(item)
    response = login(student.user).post(f"/performances/{item.pk}/delete/")
    assert response.status_code == 400
    assert "已勾選提交至中央資料庫" in response.content.decode()
    assert Performance.objects.filter(pk=item.pk).exists()


def test_a_locked_items_page_does_not_offer_to_edit(student, windows_open, login):
    """R19: a performance the school registered is not the student's to change: its page is
    titled with the item, not 修改, and says why; their own offers the form with live hints."""
    from licheng.portfolio.enums import PerformanceSource

    item = add(student)
    page = login(student.user).get(f"/performances/{item.pk}/").content.decode()
    assert "<h1>修改多元表現：全國科展</h1>" in page and 'id="hints"' in page
    Performance.objects.filter(pk=item.pk).update(source=PerformanceSource.SCHOOL)
    page = login(student.user).get(f"/performances/{item.pk}/").content.decode()
    assert "<h1>多元表現：全國科展</h1>" in page and "目前不能修改" in page
    assert 'id="hints"' not in page


def test_students_cannot_reach_another_students_item(student, other_student, windows_open, login):
    item = add(student)
    client = login(other_student.user)
    assert client.get(f"/performances/{item.pk}/").status_code == 404
    assert client.post(f"/performances/{item.pk}/delete/").status_code == 404


def test_replaced_files_page_lists_sizes_and_purges_after_confirmation(
    student, windows_open, school_admin, login, django_capture_on_commit_callbacks
):
    """Storage: the school admin sees replaced files with sizes; purge needs a confirmation."""
    item = add(student, files=[pdf("舊.pdf")])
    old = item.files.get()
    client = login(student.user)
    client.post(
        f"/performances/{item.pk}/",
        {
            "title": item.title,
            "activity_date": item.activity_date.isoformat(),
            "detail_competition_organizer": "教育部",
            "detail_competition_level": "全國",
            "detail_competition_award": "佳作",
            "detail_competition_team": "團體",
            "description": item.description,
            "replace": [str(old.pk)],
            "files": [pdf("新.pdf")],
        },
    )
    admin = login(school_admin)
    page = admin.get("/school/replaced-files/").content.decode()
    assert "舊.pdf" in page and "共 1 個" in page
    confirm = admin.post("/school/replaced-files/", {"step": "confirm"}).content.decode()
    assert "無法復原" in confirm
    # Without ticking the confirmation box nothing goes.
    admin.post("/school/replaced-files/", {"step": "purge"})
    assert StoredFile.objects.filter(pk=old.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/school/replaced-files/", {"step": "purge", "confirm": "yes"})
    assert response.status_code == 302
    assert not StoredFile.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(action="portfolio.performance.purge_files").exists()


def test_deleted_performances_files_are_listed_for_the_school(
    student, other_school_admin, windows_open, school_admin, login
):
    """R16: after the student deletes an item, the school's page lists its files with the
    student, what they belonged to, the size and when; another school's admin sees none."""
    item = add(student, title="淨灘志工", files=[pdf("淨灘證明.pdf")])
    stored = item.files.get()
    client = login(student.user)
    assert "仍保存為舊版檔案" in client.get(f"/performances/{item.pk}/delete/").content.decode()
    assert client.post(f"/performances/{item.pk}/delete/").status_code == 302
    kept = ReplacedFile.objects.get(stored_file=stored)

    page = login(school_admin).get("/school/replaced-files/").content.decode()
    row = page[page.index("<tbody>") :]
    assert student.user.full_name in row and "多元表現：淨灘志工" in row and "項目已刪除" in row
    assert filesizeformat(stored.size) in row
    assert timezone.localtime(kept.replaced_at).strftime("%Y-%m-%d %H:%M") in row
    assert "共 1 個" in page
    other = login(other_school_admin).get("/school/replaced-files/").content.decode()
    assert "淨灘證明.pdf" not in other


def test_list_shows_each_performances_category_fields(student, windows_open, login):
    """R15: the student's list names what the category asks for (organization, hours…)."""
    add(student, "volunteer", details={"organization": "市立圖書館", "hours": "12"})
    page = login(student.user).get("/performances/").content.decode()
    assert "市立圖書館" in page and "12" in page
    assert "服務單位：市立圖書館" in page


def test_r16_school_purges_only_the_kept_files_it_ticks(
    student,
    windows_open,
    school_admin,
    other_school_admin,
    login,
    django_capture_on_commit_callbacks,
):
    """R16: the administrator ticks one kept file: the confirmation counts only it, only it
    goes (audited), the other stays kept; another school's admin cannot purge it by id."""
    first = add(student, title="淨灘志工", files=[pdf("淨灘證明.pdf")])
    second = add(student, title="社區服務", files=[pdf("社區證明.pdf")])
    client = login(student.user)
    for item in (first, second):
        assert client.post(f"/performances/{item.pk}/delete/").status_code == 302
    doomed = ReplacedFile.objects.get(item_title="淨灘志工")
    kept = ReplacedFile.objects.get(item_title="社區服務")

    admin = login(school_admin)
    assert (
        "請先勾選"
        in admin.post(
            "/school/replaced-files/", {"step": "confirm", "scope": "selected"}, follow=True
        ).content.decode()
    )
    ticked = {"step": "confirm", "scope": "selected", "file": [str(doomed.pk)]}
    confirm = admin.post("/school/replaced-files/", ticked).content.decode()
    assert "即將永久刪除 1 個舊版檔案" in confirm and f'name="file" value="{doomed.pk}"' in confirm
    outsider = login(other_school_admin)
    outsider.post(
        "/school/replaced-files/",
        {**ticked, "step": "purge", "confirm": "yes"},
    )
    assert ReplacedFile.objects.count() == 2  # another school's id names nothing of theirs
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/school/replaced-files/", {**ticked, "step": "purge", "confirm": "yes"}
        )
    assert response.status_code == 302
    assert list(ReplacedFile.objects.all()) == [kept]
    assert not StoredFile.objects.filter(pk=doomed.stored_file_id).exists()
    assert StoredFile.objects.filter(pk=kept.stored_file_id).exists()
    entry = AuditEntry.objects.get(action="portfolio.performance.purge_files")
    assert entry.before["item"]["title"] == "淨灘志工"
