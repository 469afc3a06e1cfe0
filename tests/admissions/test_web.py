"""The admissions pages: committee forms, the student's flow, the reviewer's scope and period."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from licheng.admissions.enums import ApplicationState, ChannelKind, ItemKind
from licheng.admissions.models import Application, Department
from licheng.audit.models import AuditEntry

from .fixtures import (
    PDF_BYTES,
    channel,
    committee_member,
    department,
    score,
    seat,
    submitted_application,
)

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_committee_creates_a_year_with_default_channels(login):
    client = login(committee_member())
    response = client.post(reverse("web:adm_years"), {"year": 116, "name": ""})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "四技二專甄選入學" in page and "至少 1 件，最多 6 件" in page


def test_weights_form_names_each_broken_r30_clause(login):
    """R30: the page shows one message per broken clause and keeps the old weights."""
    dept = department(ChannelKind.TECH_SELECTION, code="T01")
    client = login(committee_member())
    data = {
        "part_unified_exam": "50",
        "part_project_review": "0",
        "part_portfolio_review": "30",
        "part_interview": "10",
        "subject_1_name": "國文",
        "subject_1_kind": "common",
        "subject_1_weight": "2",
        "subject_2_name": "專業一",
        "subject_2_kind": "professional",
        "subject_2_weight": "1",
    }
    response = client.post(reverse("web:adm_weights", kwargs={"pk": dept.pk}), data)
    page = response.content.decode()

    assert response.status_code == 400
    for message in [
        "統一入學測驗成績比例不可超過 40%（目前為 50%）",
        "書面資料審查（專題實作及實習成果審查＋學習歷程資料審查）合計須至少 40%（目前為 30%）",
        "「專題實作及實習成果審查」為必要項目，比例須大於 0%",
        "專業科目加權合計（1）須大於共同科目加權合計（2）",
    ]:
        assert message in page, message
    dept.refresh_from_db()
    assert dept.weights == {}


def test_rubric_is_edited_through_the_form(login):
    """R41: criteria × levels with descriptors, through form fields (not raw JSON)."""
    dept = department(code="R01")
    client = login(committee_member())
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    data |= {"form-0-name": "表達能力", "form-0-weight": "30"}
    data |= {f"form-0-level_{n}": f"描述{n}" for n in range(1, 6)}
    response = client.post(reverse("web:adm_rubric", kwargs={"pk": dept.pk}), data)
    assert response.status_code == 302
    criterion = dept.criteria.get()
    assert (criterion.name, criterion.weight, criterion.descriptors[4]) == ("表達能力", 30, "描述5")


def _xlsx(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "departments.xlsx"
    return out


def test_departments_import_from_xlsx(login):
    ch = channel(ChannelKind.TECH_SELECTION)
    client = login(committee_member())
    upload = _xlsx(
        [
            [
                "校系代碼",
                "學校",
                "系所名稱",
                "專題實作及實習成果上限",
                "必繳項目",
                "審查開始日期",
                "審查截止日期",
            ],
            [
                "D01",
                "國立臺北科技大學",
                "機械工程系",
                3,
                "學習歷程自述、自我推薦摘要表（表A）",
                "2026-04-20",
                "2026-05-05",
            ],
            ["D02", "國立臺灣科技大學", "電機工程系", None, "", None, None],
        ]
    )
    response = client.post(reverse("web:adm_import", kwargs={"pk": ch.pk}), {"file": upload})
    assert response.status_code == 302
    d01 = Department.objects.get(code="D01")
    assert d01.max_project_outcomes == 3
    assert d01.required_items == ["d2", "form_a"]
    assert d01.review_opens_on == dt.date(2026, 4, 20)


def test_import_with_a_bad_row_imports_nothing_and_names_the_row(login):
    ch = channel(ChannelKind.TECH_SELECTION)
    client = login(committee_member())
    upload = io.BytesIO(
        "校系代碼,學校,系所名稱,專題實作及實習成果上限\nE01,甲大學,甲系,3\nE02,乙大學,乙系,9\n".encode()
    )
    upload.name = "d.csv"
    response = client.post(reverse("web:adm_import", kwargs={"pk": ch.pk}), {"file": upload})
    assert response.status_code == 400
    assert "第 3 列：專題實作及實習成果上限 9 件高於管道上限 6 件；校系只能調降上限" in (
        response.content.decode()
    )
    assert not Department.objects.filter(code__in=["E01", "E02"]).exists()


def test_student_applies_through_the_pages(login, student):
    """R39: consent at registration, preview, submit; afterwards the frozen snapshot is shown."""
    dept = department(code="S01")
    client = login(student.user)
    refused = client.post(reverse("web:apply_register", kwargs={"pk": dept.channel_id}), {})
    assert "須勾選同意授權" in client.get(refused["Location"]).content.decode()

    client.post(reverse("web:apply_register", kwargs={"pk": dept.channel_id}), {"consent": "on"})
    registration = student.admission_registrations.get()
    response = client.post(
        reverse("web:apply_start", kwargs={"pk": registration.pk}),
        {f"r{registration.pk}-department": dept.pk},
    )
    app = Application.objects.get()
    edit = reverse("web:apply_edit", kwargs={"pk": app.pk})
    assert response["Location"] == edit
    response = client.post(
        edit,
        {
            "action": "documents",
            "d1_text": "學" * 801,
            "d2_reflection": "",
            "d2_motivation": "",
            "d2_plan": "",
        },
    )
    assert "多元表現綜整心得最多 800 字（目前 801 字）" in response.content.decode()
    pdf = io.BytesIO(PDF_BYTES)
    pdf.name = "portfolio.pdf"
    client.post(
        edit,
        {"action": "upload", "kind": ItemKind.SELF_PORTFOLIO, "title": "學習歷程", "file": pdf},
    )
    preview = client.get(reverse("web:apply_preview", kwargs={"pk": app.pk})).content.decode()
    assert "學習歷程" in preview and "考生自行上傳（未經認證）" in preview

    client.post(reverse("web:apply_submit", kwargs={"pk": app.pk}))

    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED
    assert client.get(edit)["Location"] == reverse("web:apply_preview", kwargs={"pk": app.pk})


def test_reviewer_is_refused_after_the_review_period(login, student):
    """R41: reviewer access ends with the review period."""
    today = timezone.localdate()
    dept = department(code="P01")
    app = submitted_application(student, dept)
    member = seat(dept)
    dept.review_closes_on = today - dt.timedelta(days=1)
    dept.review_opens_on = today - dt.timedelta(days=20)
    dept.save()
    client = login(member)
    assert client.get(reverse("web:review_application", kwargs={"pk": app.pk})).status_code == 403
    assert client.get(reverse("web:review_department", kwargs={"pk": dept.pk})).status_code == 403


def test_reviewer_of_another_department_sees_nothing(login, student):
    """R41: reviewers see only their department's applicants."""
    dept = department(code="Q01")
    app = submitted_application(student, dept)
    outsider = seat(department(code="Q02"))
    client = login(outsider)
    assert client.get(reverse("web:review_application", kwargs={"pk": app.pk})).status_code == 404


def test_draft_applications_are_not_shown_to_reviewers(login, student):
    """R39: nothing leaves before the student submits."""
    from licheng.admissions.domain import applications

    dept = department(code="Q03")
    member = seat(dept)
    registration = applications.register(student, dept.channel, consent=True, actor=None)
    draft = applications.start_application(registration, dept, actor=None)
    client = login(member)
    assert client.get(reverse("web:review_application", kwargs={"pk": draft.pk})).status_code == 404
    assert (
        "陳小明"
        not in client.get(reverse("web:review_department", kwargs={"pk": dept.pk})).content.decode()
    )


def test_scoring_page_saves_and_audits_the_open(login, student):
    dept = department(code="K01")
    app = submitted_application(student, dept)
    member = seat(dept)
    client = login(member)
    url = reverse("web:review_application", kwargs={"pk": app.pk})
    page = client.get(url).content.decode()
    assert "中央資料庫（已認證）" in page and "考生自行上傳（未經認證）" in page
    assert AuditEntry.objects.filter(action="admissions.package_opened", actor=member).count() == 1
    first, second = dept.criteria.all()
    client.post(url, {f"criterion_{first.pk}": 5, f"criterion_{second.pk}": 5, "comment": "佳"})
    assert app.reviews.get().total == Decimal("100.00")


def test_hidden_names_are_hidden_from_reviewers(login, student):
    dept = department(code="H01", hide_names=True)
    app = submitted_application(student, dept)
    client = login(seat(dept))
    page = client.get(reverse("web:review_application", kwargs={"pk": app.pk})).content.decode()
    assert "陳小明" not in page and f"考生 {app.pk:06d}" in page


def test_chair_exports_the_ranking_as_csv_and_xlsx(login, student, other_student):
    dept = department(code="X01", threshold=Decimal(5))
    chair = seat(dept, chair=True)
    first = submitted_application(student, dept)
    second = submitted_application(other_student, dept)
    score(first, chair, (5, 5))
    score(second, chair, (3, 3))
    client = login(chair)

    csv_text = client.get(
        reverse("web:review_export", kwargs={"pk": dept.pk, "fmt": "csv"})
    ).content.decode("utf-8-sig")
    xlsx = client.get(reverse("web:review_export", kwargs={"pk": dept.pk, "fmt": "xlsx"})).content

    lines = csv_text.splitlines()
    assert lines[1].startswith("1,陳小明") and lines[2].startswith("2,林小華")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [sheet.cell(2, 2).value, sheet.cell(3, 2).value] == ["陳小明", "林小華"]


def test_only_the_chair_sees_the_ranking(login, student):
    dept = department(code="X02")
    member = seat(dept)
    client = login(member)
    assert client.get(reverse("web:review_ranking", kwargs={"pk": dept.pk})).status_code == 404


def test_dashboard_panels_for_committee_reviewer_and_applicant(login, student):
    dept = department(code="DB1", threshold=Decimal(5))
    chair = seat(dept, chair=True)
    app = submitted_application(student, dept)
    score(app, chair, (5, 5))
    score(app, seat(dept), (1, 1))

    assert "招生設定" in login(committee_member()).get("/").content.decode()
    chair_page = login(chair).get("/").content.decode()
    assert "1 位須差分檢核" in chair_page and str(dept) in chair_page
    student_page = login(student.user).get("/").content.decode()
    assert "已確認送出" in student_page


def _first_file(app) -> tuple[int, dict]:
    return next((i, item["file"]) for i, item in enumerate(app.snapshot["items"]) if item["file"])


@pytest.mark.parametrize("viewer", ["student", "reviewer"])
def test_application_files_answer_byte_ranges_with_the_file_headers(login, student, viewer):
    """An application's file, for the student and for the department's reviewers: the whole
    file (its SHA-256 as sent), one byte range for a PDF viewer that asks, 416 past the end, and
    the same protective headers as every stored file."""
    import hashlib

    dept = department(code="F01")
    app = submitted_application(student, dept)
    index, info = _first_file(app)
    if viewer == "reviewer":
        client, name = login(seat(dept)), "web:review_file"
    else:
        client, name = login(student.user), "web:apply_file"
    url = reverse(name, kwargs={"pk": app.pk, "index": index})

    whole = client.get(url)
    body = b"".join(whole.streaming_content)
    assert whole.status_code == 200 and hashlib.sha256(body).hexdigest() == info["sha256"]
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(body)}"
    assert b"".join(part.streaming_content) == body[10:20]
    assert client.get(url, HTTP_RANGE=f"bytes={len(body)}-").status_code == 416
    for response in (whole, part):
        assert response["Accept-Ranges"] == "bytes"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert "default-src 'none'" in response["Content-Security-Policy"]


def test_an_application_file_lost_from_storage_is_named_and_reported(login, student, caplog):
    """Storage lost the bytes: the reviewer gets the plain missing-file page naming the file's
    number (not a 500), and the log a CRITICAL line for the restore."""
    from django.core.files.storage import default_storage

    from licheng.evidence.models import StoredFile

    dept = department(code="F02")
    app = submitted_application(student, dept)
    index, info = _first_file(app)
    stored = StoredFile.objects.get(storage_name=info["path"])
    default_storage.delete(info["path"])
    client = login(seat(dept))
    with caplog.at_level("CRITICAL", logger="licheng.evidence"):
        response = client.get(reverse("web:review_file", kwargs={"pk": app.pk, "index": index}))
    assert response.status_code == 404
    assert (
        "檔案無法讀取" in response.content.decode() and str(stored.pk) in response.content.decode()
    )
    assert any(
        str(stored.pk) in r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"
    )


def test_an_admission_year_reads_in_the_readers_language_unless_named(login):
    """A year the committee did not name is 「115學年度」 in Chinese and "Academic year 115" in
    English; a name the committee chose is shown as written."""
    from django.utils import translation

    from licheng.admissions.domain.setup import create_year

    member = committee_member()
    plain = create_year(117, actor=member)
    named = create_year(118, actor=member, name="118 特別招生")
    assert plain.name == ""
    with translation.override("zh-hant"):
        assert str(plain) == "117學年度"
    with translation.override("en"):
        assert str(plain) == "Academic year 117" and str(named) == "118 特別招生"
    client = login(member)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:adm_years")).content.decode()
    assert "Academic year 117" in page and "117學年度" not in page


def test_migration_forgets_only_the_default_year_names():
    """The migration empties the names that were filled in by default, and keeps chosen ones."""
    import importlib

    from django.apps import apps

    from licheng.admissions.models import AdmissionYear

    migration = importlib.import_module(
        "licheng.admissions.migrations.0004_year_named_only_when_chosen"
    )
    AdmissionYear.objects.create(year=119, name="119學年度")
    AdmissionYear.objects.create(year=120, name="120 特別招生")
    migration.forget_default_names(apps, None)
    assert dict(AdmissionYear.objects.values_list("year", "name")) == {119: "", 120: "120 特別招生"}


def test_admission_errors_read_in_the_readers_language(login, student):
    """A refusal from the admissions domain is written in the language of the person who
    asked: English for someone reading in English, Chinese otherwise."""
    from django.utils import translation

    from licheng.admissions.domain import AdmissionError, review

    dept = department(code="E01")
    app = submitted_application(student, dept)
    member = seat(dept)
    first, second = dept.criteria.all()
    for language, expected in [
        ("zh-hant", f"請為「{second.name}」選擇等級"),
        ("en", f"Please choose a level for “{second.name}”"),
    ]:
        with translation.override(language), pytest.raises(AdmissionError) as refused:
            review.score_application(app, reviewer=member, levels={first.pk: 3}, comment="")
        assert refused.value.messages == [expected]

    client = login(committee_member())
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("web:adm_years"), {"year": 121, "name": ""})
    page = client.post(reverse("web:adm_years"), {"year": 121, "name": ""}).content.decode()
    assert "Academic year 121 already exists" in page and "已經建立" not in page


def test_committee_forms_label_their_fields_in_the_readers_language(login):
    """The channel and department forms take their labels from the reader's language, not
    from the models' zh-Hant field names."""
    from django.utils.html import strip_tags

    dept = department(code="L01")
    client = login(committee_member())
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    for url in (
        reverse("web:adm_channel", kwargs={"pk": dept.channel_id}),
        reverse("web:adm_department", kwargs={"pk": dept.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        labels = re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), re.S)
        texts = [strip_tags(label).strip() for label in labels]
        assert texts and not [t for t in texts if CJK.search(t)], (url, texts)


def test_admission_choices_read_in_the_readers_language_and_kept_texts_stay_chinese(login, student):
    """Channel, item and weight names follow the reader's language on the pages; what is kept
    stays zh-Hant whoever wrote it: the snapshot departments receive, an upload's default
    title, and the required items a department spreadsheet names."""
    from django.utils import translation

    from licheng.admissions.domain.importing import import_departments

    dept = department(code="K09")
    committee = login(committee_member())
    committee.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = committee.get(reverse("web:adm_year", kwargs={"year": dept.channel.year.year}))
    text = page.content.decode()
    assert "University personal application" in text and "大學個人申請入學" not in text

    with translation.override("en"):
        app = submitted_application(student, dept)
    kinds = {item["kind_label"] for item in app.snapshot["items"]}
    assert "課程學習成果" in kinds and "Course learning outcomes" not in kinds
    assert app.snapshot["channel"]["label"] == "大學個人申請入學"

    rows = io.StringIO("校系代碼,學校,系所名稱,必繳項目\nK11,國立大學,化學系,學習歷程自述\n")
    with translation.override("en"):
        result = import_departments(
            dept.channel, io.BytesIO(rows.getvalue().encode()), "d.csv", actor=None
        )
    assert not result.errors
    assert Department.objects.get(code="K11").required_items == ["d2"]
