"""Hints on a chosen file, before the form is saved (品質提示; DOMAIN §3: "far too many pages").

The page posts the chosen file as soon as it is picked; the endpoint counts a PDF's pages and
answers with the hints. It stores nothing, reads nothing it does not have to, and warns only.
"""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from licheng.devtools import samples
from licheng.evidence.models import StoredFile
from licheng.evidence.rules import DOCUMENT_MAX_BYTES
from licheng.lib.storagewalk import walk
from licheng.portfolio.hints import MAX_PDF_PAGES, chosen_file_hints
from licheng.web.views.evidence import file_hints as view

URL = "/uploads/hints/"


def chosen(name="報告.pdf", pages=1, pad_to=0):
    data = samples.pdf_bytes(pages=pages, pad_to=pad_to)
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_chosen_file_rules_pages_and_size():
    """The rules live in hints.py: too many pages warns; over the limit says it will be refused."""
    many = chosen_file_hints(size=1000, limit=DOCUMENT_MAX_BYTES, page_count=MAX_PDF_PAGES + 1)
    assert [h.code for h in many] == ["too_many_pages"]
    assert chosen_file_hints(size=1000, limit=DOCUMENT_MAX_BYTES, page_count=MAX_PDF_PAGES) == []
    big = chosen_file_hints(size=DOCUMENT_MAX_BYTES + 1, limit=DOCUMENT_MAX_BYTES, page_count=None)
    assert [h.code for h in big] == ["too_large"] and "4 MB" in big[0].message
    unknown = chosen_file_hints(size=10, limit=None, page_count=None)
    assert [h.code for h in unknown] == ["not_accepted"]


def test_many_page_pdf_is_flagged_before_saving_and_nothing_is_stored(student, login):
    """R10: a 12-page PDF gets the page hint at once; no row, no bytes are kept."""
    page = login(student.user).post(URL, {"document": chosen(pages=12)}).content.decode()
    assert 'data-hint="too_many_pages"' in page and "PDF 有 12 頁" in page
    assert 'role="status"' in page and "報告.pdf" in page
    assert not StoredFile.objects.exists()
    assert list(walk(default_storage)) == []


def test_every_chosen_file_gets_a_line(student, login):
    """R16: each of several proofs is checked and said so: a PDF's pages, an image's size within
    the rules, and a kind no upload takes warned at once."""
    client = login(student.user)
    image = SimpleUploadedFile("照片.png", samples.png_bytes(), content_type="image/png")
    page = client.post(URL, {"files": [chosen("短.pdf", pages=3), image]}).content.decode()
    assert "短.pdf：共 3 頁" in page and "data-hint" not in page
    assert "照片.png：" in page and "格式與大小符合規定" in page
    exe = SimpleUploadedFile("工具.exe", b"MZ" + b"\0" * 100)
    warned = client.post(URL, {"files": [image, exe]}).content.decode()
    assert 'data-hint="not_accepted"' in warned and "工具.exe：這種檔案無法上傳" in warned


def test_a_file_over_the_limit_is_not_opened(student, login, monkeypatch):
    """Above the upload limit the PDF is not parsed: the student hears it will be refused."""
    monkeypatch.setattr(view, "inspect_upload", lambda *args: pytest.fail("parsed"))
    big = chosen("大.pdf", pages=20, pad_to=DOCUMENT_MAX_BYTES + 1)
    page = login(student.user).post(URL, {"document": big}).content.decode()
    assert 'data-hint="too_large"' in page and "不會被接受" in page


def test_r10_a_file_the_upload_would_refuse_is_named_at_once(student, login):
    """R10: the upload's own checks run on the chosen file, so a text file renamed .pdf is said
    to be refused before the form is sent — not passed as "format and size fine" — and shown
    apart from the reviewers' advice."""
    fake = SimpleUploadedFile("fake.pdf", b"just some notes, not a PDF at all\n")
    page = login(student.user).post(URL, {"document": fake}).content.decode()
    assert 'data-hint="refused"' in page and "fake.pdf：上傳時不會被接受" in page
    assert "與副檔名 .pdf 不符" in page and "上傳前請先處理" in page
    assert "符合規定" not in page and "僅供參考" not in page
    assert not StoredFile.objects.exists()


def test_r10_the_media_slot_takes_only_audio_and_video(student, login):
    """R10: the outcome's media slot is checked by its own rules: a PDF there is said not to be
    taken, naming what the slot takes; an MP4 passes."""
    client = login(student.user)
    wrong = client.post(URL, {"media": chosen("報告.pdf")}).content.decode()
    assert 'data-hint="not_accepted"' in wrong and "此欄可上傳 MP3、MP4" in wrong
    video = SimpleUploadedFile("影片.mp4", samples.mp4_bytes(), content_type="video/mp4")
    fine = client.post(URL, {"media": video}).content.decode()
    assert "影片.mp4：" in fine and "符合規定" in fine and "data-hint" not in fine


def test_r16_more_proofs_than_one_performance_takes_are_warned(student, login):
    """R16: choosing four proofs says at once that at most three are taken."""
    files = [chosen(f"證明{i}.pdf") for i in range(4)]
    page = login(student.user).post(URL, {"files": files}).content.decode()
    assert 'data-hint="too_many_files"' in page and "最多 3 個檔案，您選了 4 個" in page
    assert "未檢查：證明3.pdf" in page
    # The three checked files are listed as fine under their own heading, not under the refusal.
    refused, fine = page.split("上傳前請先處理")[1].split("檢查通過")
    assert "證明0.pdf" not in refused and "證明0.pdf" in fine


def test_a_body_larger_than_any_upload_is_refused_politely_unparsed(student, login, monkeypatch):
    """The endpoint is bounded: past the largest possible upload it reads nothing into files."""
    monkeypatch.setattr(view, "MAX_BODY", 1000)
    monkeypatch.setattr(view, "_hints_for_files", lambda request: pytest.fail("parsed"))
    response = login(student.user).post(URL, {"document": chosen(pages=12)})
    page = response.content.decode()
    assert response.status_code == 200 and "無法預先檢查" in page and "4 MB" in page


def test_only_a_logged_in_student_with_a_csrf_token(student, teacher, login):
    """Permission: teachers 404, anonymous to the login page, GET 405, no CSRF token 403."""
    assert login(teacher).post(URL, {"document": chosen()}).status_code == 404
    assert login(None).post(URL, {"document": chosen()}).status_code == 302
    assert login(student.user).get(URL).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student.user, backend="licheng.accounts.backends.AccountBackend")
    assert strict.post(URL, {"document": chosen()}).status_code == 403


@pytest.mark.parametrize(
    ("url", "slot"),
    [
        ("/outcomes/", "id_document-hints"),
        ("/outcomes/", "id_media-hints"),
        ("/performances/", "id_files-hints"),
    ],
)
def test_upload_forms_post_the_chosen_file_for_hints(student, login, course, url, slot):
    """The forms wire the file input to the endpoint (htmx, multipart, only that input)."""
    page = login(student.user).get(url).content.decode()
    start = page.index(f'id="{slot}"')
    tag = page[start : page.index(">", start)]
    assert f'hx-post="{URL}"' in tag and 'hx-encoding="multipart/form-data"' in tag
    assert 'aria-live="polite"' in tag and 'hx-trigger="change from:#' in tag


def test_the_hint_request_receives_and_checks_without_the_sha256(student, login, monkeypatch):
    """Deadline day brings every file here once before it is uploaded, and nothing is kept:
    the body is received and checked without computing its SHA-256 (the upload does that)."""
    from licheng.evidence.domain import validation

    monkeypatch.setattr(
        validation, "_hash_and_tail", lambda *a: pytest.fail("hashed a file only looked at")
    )
    received = []
    check = view._check
    monkeypatch.setattr(
        view, "_check", lambda upload, slot: received.append(upload) or check(upload, slot)
    )
    client = login(student.user)
    page = client.post(URL, {"document": chosen(pages=12)}).content.decode()
    assert 'data-hint="too_many_pages"' in page
    fake = SimpleUploadedFile("fake.pdf", b"just notes\n")
    assert 'data-hint="refused"' in client.post(URL, {"document": fake}).content.decode()
    assert [upload.sha256 for upload in received] == [None, None]  # not hashed on the way in


def test_a_chosen_document_is_looked_at_in_memory_and_a_larger_body_on_disk(
    student, login, monkeypatch, settings
):
    """Nothing is kept from a hint, so a body up to one document is held in memory: no staging
    file is created and deleted for every file picked. A larger one (media, several proofs) is
    staged as an upload is, and the staging file is gone once answered."""
    from pathlib import Path

    from licheng.evidence import uploads

    staged = []
    original = uploads.StagedUpload.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        staged.append(self.temporary_file_path())

    monkeypatch.setattr(uploads.StagedUpload, "__init__", spy)
    client = login(student.user)
    page = client.post(URL, {"document": chosen(pages=12)}).content.decode()
    assert 'data-hint="too_many_pages"' in page and staged == []
    big = chosen(pad_to=uploads.IN_MEMORY_MAX + 100_000)
    page = client.post(URL, {"document": big}).content.decode()
    assert 'data-hint="too_large"' in page and len(staged) == 1
    assert not Path(staged[0]).exists()
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


def test_the_hint_fragment_does_not_build_the_menu(student, login):
    """Every file picked on deadline day comes here: the fragment shows no menu, so the roles
    the menu is built from are not read (the page around it still has its menu)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from licheng.accounts.models import RoleAssignment

    client = login(student.user)
    roles_table = RoleAssignment._meta.db_table
    with CaptureQueriesContext(connection) as fragment:
        assert client.post(URL, {"document": chosen(pages=2)}).status_code == 200
    assert not [q for q in fragment.captured_queries if roles_table in q["sql"]]
    with CaptureQueriesContext(connection) as page:
        assert 'class="menu"' in client.get("/outcomes/").content.decode()
    assert [q for q in page.captured_queries if roles_table in q["sql"]]
