"""R29 documents, R39 consent, preview and frozen release, uploads marked not certified."""

from __future__ import annotations

import io

import pytest

from licheng.admissions.domain import AdmissionError, applications
from licheng.admissions.enums import ApplicationState, ItemKind, ItemOrigin, RequiredItem
from licheng.admissions.models import Registration
from licheng.audit.models import AuditEntry

from .fixtures import PDF_BYTES, PNG_BYTES, department, portfolio, submitted_application

pytestmark = pytest.mark.django_db


def _draft(student, dept, **kw):
    reg = applications.register(student, dept.channel, consent=True, actor=student.user)
    return applications.start_application(reg, dept, actor=student.user)


def test_registration_without_consent_is_refused(student):
    """R39: without consent nothing leaves the central repository — not even a registration."""
    dept = department()
    with pytest.raises(AdmissionError, match="須勾選同意授權"):
        applications.register(student, dept.channel, consent=False, actor=student.user)
    assert not Registration.objects.exists()


def test_registration_records_the_consent(student):
    """R39: consent is given when registering for a channel, and audited."""
    dept = department()
    reg = applications.register(student, dept.channel, consent=True, actor=student.user)
    assert reg.consented_at is not None
    assert "同意" in reg.consent_statement
    assert AuditEntry.objects.filter(action="admissions.registered").count() == 1


def test_d1_is_at_most_800_characters(student):
    """R29: D1 多元表現綜整心得 ≤ 800 characters (Chinese characters count one each)."""
    app = _draft(student, department())
    applications.save_documents(
        app, d1_text="學" * 800, d2_reflection="", d2_motivation="", d2_plan="", actor=None
    )
    with pytest.raises(AdmissionError) as exc:
        applications.save_documents(
            app, d1_text="學" * 801, d2_reflection="", d2_motivation="", d2_plan="", actor=None
        )
    assert str(exc.value) == "多元表現綜整心得最多 800 字（目前 801 字）"
    app.refresh_from_db()
    assert len(app.d1_text) == 800


def test_d1_has_at_most_three_images(student):
    """R29: D1 ≤ 3 images."""
    app = _draft(student, department())
    for i in range(3):
        applications.add_upload(
            app,
            ItemKind.D1_IMAGE,
            io.BytesIO(PNG_BYTES + bytes([i])),
            name=f"{i}.png",
            title="",
            actor=None,
        )
    with pytest.raises(AdmissionError, match="最多 3 個檔案"):
        applications.add_upload(
            app, ItemKind.D1_IMAGE, io.BytesIO(PNG_BYTES), name="4.png", title="", actor=None
        )


def test_d2_statement_keeps_its_three_parts(student):
    """R29: D2 學習歷程自述 in its parts: reflection, motivation, future plan."""
    app = _draft(student, department())
    applications.save_documents(
        app, d1_text="", d2_reflection="反思", d2_motivation="動機", d2_plan="計畫", actor=None
    )
    manifest = applications.build_manifest(app)
    assert manifest["d2"] == {"reflection": "反思", "motivation": "動機", "plan": "計畫"}


def test_r21_each_department_gets_its_own_version_of_the_statement(student):
    """R21: the learning-history statement is free text in several versions, one per department
    applied to; each department's package carries only its own version."""
    computer_science = department()
    reg = applications.register(student, computer_science.channel, consent=True, actor=student.user)
    cs = applications.start_application(reg, computer_science, actor=student.user)
    ee = applications.start_application(
        reg, department(code="001022", name="電機工程學系"), actor=student.user
    )
    applications.save_documents(
        cs, d1_text="", d2_reflection="寫程式", d2_motivation="資工", d2_plan="演算法", actor=None
    )
    applications.save_documents(
        ee, d1_text="", d2_reflection="做電路", d2_motivation="電機", d2_plan="半導體", actor=None
    )
    assert applications.build_manifest(cs)["d2"]["motivation"] == "資工"
    assert applications.build_manifest(ee)["d2"]["motivation"] == "電機"


def test_an_upload_that_is_not_a_pdf_is_refused(student):
    """R29: D3 forms are PDFs; a renamed executable is refused by its bytes, with a clear message."""
    app = _draft(student, department())
    with pytest.raises(AdmissionError, match="檔案內容是「程式執行檔」，與副檔名 .pdf 不符"):
        applications.add_upload(
            app,
            ItemKind.FORM_A,
            io.BytesIO(b"MZ\x90 not a pdf"),
            name="a.pdf",
            title="",
            actor=None,
        )
    assert not app.items.exists()


def test_uploads_are_marked_not_certified(student):
    """R39: self-uploaded documents are marked as not certified; central items as certified."""
    app = _draft(student, department())
    applications.pick_items(app, ["o0"], actor=None, available=portfolio())
    applications.add_upload(
        app, ItemKind.FORM_B, io.BytesIO(PDF_BYTES), name="b.pdf", title="表B", actor=None
    )
    manifest = applications.build_manifest(app)
    by_kind = {i["kind"]: i for i in manifest["items"]}
    assert by_kind[ItemKind.OUTCOME]["certified"] is True
    assert by_kind[ItemKind.FORM_B]["certified"] is False
    assert by_kind[ItemKind.FORM_B]["origin"] == ItemOrigin.UPLOADED


def test_applicant_without_central_portfolio_must_upload_pdfs(student):
    """R39: applicants without a central portfolio upload PDFs, released as not certified."""
    app = _draft(student, department())
    with pytest.raises(AdmissionError, match="請上傳學習歷程資料 PDF"):
        applications.submit(app, actor=None)

    applications.add_upload(
        app,
        ItemKind.SELF_PORTFOLIO,
        io.BytesIO(PDF_BYTES),
        name="p.pdf",
        title="學習歷程",
        actor=None,
    )
    app = applications.submit(app, actor=None)

    assert [i["certified"] for i in app.snapshot["items"]] == [False]


def test_preview_is_exactly_what_is_released(student):
    """R39: the preview shows exactly what the department will receive."""
    app = _draft(student, department())
    applications.pick_items(app, ["o0", "m1"], actor=None, available=portfolio())
    applications.save_documents(
        app, d1_text="心得", d2_reflection="a", d2_motivation="b", d2_plan="c", actor=None
    )
    preview = applications.build_manifest(app)

    app = applications.submit(app, actor=None)

    released = dict(app.snapshot)
    released.pop("submitted_at")
    assert released == preview


def test_released_package_is_frozen(student):
    """R39: the released package is a frozen snapshot; nothing can be changed afterwards."""
    app = submitted_application(student, department())
    assert app.state == ApplicationState.SUBMITTED
    with pytest.raises(AdmissionError, match="不可再修改"):
        applications.pick_items(app, ["o1"], actor=None, available=portfolio())
    with pytest.raises(AdmissionError, match="不可再修改"):
        applications.save_documents(
            app, d1_text="改", d2_reflection="", d2_motivation="", d2_plan="", actor=None
        )
    app.refresh_from_db()
    assert app.snapshot["d1"]["text"] == "我參加了科展並擔任組長。"


def test_required_items_must_be_present(student):
    """R28: a department marks items required; submitting without them is refused, each named."""
    dept = department(required_items=[RequiredItem.FORM_B, RequiredItem.D2])
    app = _draft(student, dept)
    applications.pick_items(app, ["o0"], actor=None, available=portfolio())
    with pytest.raises(AdmissionError) as exc:
        applications.submit(app, actor=None)
    assert exc.value.messages == [
        "缺少必繳項目「學習歷程自述」",
        "缺少必繳項目「課程學習成果工作內容與貢獻度表（表B）」",
    ]


def test_application_must_be_in_the_registered_channel(student):
    from licheng.admissions.enums import ChannelKind

    uni = department()
    tech = department(ChannelKind.TECH_SELECTION, code="777")
    reg = applications.register(student, uni.channel, consent=True, actor=None)
    with pytest.raises(AdmissionError, match="不屬於您報名的管道"):
        applications.start_application(reg, tech, actor=None)


def test_uploads_are_stored_files_counted_against_the_quota(student):
    """R34: admission uploads are evidence StoredFiles owned by the student (quota applies)."""
    from licheng.evidence.domain.files import used_bytes

    app = _draft(student, department())
    item = applications.add_upload(
        app, ItemKind.FORM_A, io.BytesIO(PDF_BYTES), name="a.pdf", title="", actor=student.user
    )
    assert item.stored_file.owner == student
    assert item.stored_file.sha256 == item.sha256
    assert used_bytes(student) == len(PDF_BYTES)
