"""Review packages: one PDF per applicant (cover, contents, items with their pages) and the zip."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from licheng.admissions.domain import applications, packages
from licheng.admissions.enums import ItemKind

from .fixtures import PDF_BYTES, department, portfolio, submitted_application

pytestmark = pytest.mark.django_db


def _text(page) -> str:
    # pypdf reads fpdf2's two-byte ToUnicode map with a NUL before each character; poppler
    # (pdftotext) does not. The characters are right; drop the NULs.
    return page.extract_text().replace("\x00", "")


def _png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return out.getvalue()


def test_package_has_cover_contents_and_the_items_own_pages(student):
    dept = department()
    reg = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(reg, dept, actor=None)
    applications.pick_items(app, ["o0"], actor=None, available=portfolio())
    applications.save_documents(
        app,
        d1_text="擔任資訊社社長",
        d2_reflection="反思",
        d2_motivation="動機",
        d2_plan="計畫",
        actor=None,
    )
    applications.add_upload(
        app, ItemKind.D1_IMAGE, io.BytesIO(_png()), name="a.png", title="", actor=None
    )
    applications.add_upload(
        app, ItemKind.FORM_A, io.BytesIO(PDF_BYTES), name="a.pdf", title="表A", actor=None
    )
    app = applications.submit(app, actor=None)

    reader = PdfReader(io.BytesIO(packages.package_pdf(app)))

    cover = _text(reader.pages[0])
    assert "學習歷程審查資料" in cover and "陳小明" in cover and "資訊工程學系" in cover
    assert "目錄" in _text(reader.pages[1])
    text = "".join(_text(p) for p in reader.pages)
    assert "考生自行上傳（未經認證）" in text and "學習歷程中央資料庫（已認證）" in text
    # cover, contents, D1, D2, the outcome, form A's metadata page, form A's own page
    assert len(reader.pages) == 7
    assert [o.title for o in reader.outline][:2] == ["多元表現綜整心得（D1）", "學習歷程自述（D2）"]


def test_hidden_names_stay_hidden_in_the_package(student):
    app = submitted_application(student, department(hide_names=True))
    text = "".join(_text(p) for p in PdfReader(io.BytesIO(packages.package_pdf(app))).pages)
    assert "陳小明" not in text
    assert f"考生 {app.pk:06d}" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils' pdftoppm")
def test_chinese_renders_to_a_page_that_is_not_blank(student, tmp_path):
    """The embedded CJK font draws Traditional Chinese: the rendered cover has ink on it."""
    app = submitted_application(student, department())
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(packages.package_pdf(app))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 500, dark
    assert "學習歷程審查資料" in _text(PdfReader(pdf).pages[0])


def test_rare_character_outside_big5_falls_back_to_the_full_font(student):
    student.name = "陳𡘙明"  # an extension-B character not in Big5
    student.save()
    app = submitted_application(student, department())
    cover = _text(PdfReader(io.BytesIO(packages.package_pdf(app))).pages[0])
    assert "陳𡘙明" in cover


def test_department_zip_holds_one_pdf_per_applicant(student, other_student):
    dept = department()
    apps = [submitted_application(student, dept), submitted_application(other_student, dept)]

    data = b"".join(packages.stream_zip(apps))

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == [packages.package_filename(a) for a in apps]
        assert archive.read(names[0]).startswith(b"%PDF")


def test_audio_and_video_are_listed_with_a_link(db):
    """Media cannot go on paper: the package lists it with a link to play it."""
    manifest = {
        "year": 115,
        "channel": {"kind": "university_application", "label": "大學個人申請入學"},
        "department": {"code": "1", "university": "國立臺灣大學", "name": "音樂學系"},
        "applicant": {"name": "王小美", "school": "甲高中"},
        "has_central_portfolio": True,
        "d1": {"text": ""},
        "d2": {"reflection": "", "motivation": "", "plan": ""},
        "items": [
            {
                "kind": ItemKind.PERFORMANCE,
                "kind_label": "多元表現",
                "origin": "central",
                "certified": True,
                "title": "鋼琴獨奏",
                "description": "",
                "detail": "",
                "link": "",
                "file": {
                    "path": "x",
                    "name": "recital.mp4",
                    "content_type": "video/mp4",
                    "size": 1,
                    "sha256": "0" * 64,
                },
            }
        ],
        "submitted_at": "2026-03-01T10:00:00+08:00",
    }
    url = "https://licheng.example.tw/review/applications/1/files/0/"
    reader = PdfReader(io.BytesIO(packages.build_package(manifest, "王小美", lambda i: url)))
    text = "".join(_text(p) for p in reader.pages)
    assert "影音檔案，請於審查系統播放：recital.mp4" in text
    links = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert url in links


def test_the_smallest_font_that_has_every_character_is_used():
    """Common text uses the 常用字 font, rarer Big5 characters the whole-Big5 font, and text
    outside Big5 the full collection: every character is drawn, most PDFs with the fastest font."""
    from licheng.lib import cjk_font

    assert cjk_font.tier_for("學習歷程審查資料") == "big5-common"
    assert cjk_font.tier_for("林瑄") == "big5"  # 瑄 is a 次常用字
    assert cjk_font.tier_for("陳𡘙明") is None
