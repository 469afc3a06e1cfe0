"""R38: a transferring student's records and items arrive at the new school with nothing lost,
through the exchange format (from the central repository or as an uploaded package), and the
central record stays whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from licheng.central.domain.transfers import receive_central_transfer
from licheng.central.models import CentralFile
from licheng.curriculum.models import CourseEnrolment, PriorCourseRecord
from licheng.devtools import samples
from licheng.evidence.models import StoredFile
from licheng.lib.exchange import PackageError
from licheng.portfolio.domain.admission import upload_admission
from licheng.portfolio.domain.performances import own_count
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.domain.policy import policy_of
from licheng.schools.models import IncomingTransfer, Student
from licheng.selection.domain.transfer import transfer_manifest
from licheng.selection.domain.transfer_in import receive_transfer_package
from tests.central.records import receive_on_page

from .conftest import foreign_package, make_outcome, send_transfer, uploaded


@pytest.fixture
def whole_record(student, graded, chemistry, teacher, last_year):
    """School A's student with course records in two years, outcomes in every state (document
    and media files) and performances of their own and registered by the school."""
    CourseEnrolment.objects.create(
        course=chemistry, student=student, original_grade=Decimal("91.5")
    )
    report = uploaded(student, "單擺報告.pdf", samples.pdf_bytes("pendulum"))
    make_outcome(
        student,
        chemistry,
        "滴定實驗",
        certified_by=teacher,
        document=report,
        media=uploaded(student, "口頭報告.mp3", samples.mp3_bytes(1.0)),
    )
    make_outcome(
        student,
        chemistry,
        "待認證的成果",
        state="submitted",
        document=uploaded(student, "圖.png", samples.png_bytes()),
    )
    make_outcome(
        student,
        graded.course,
        "草稿",
        state="draft",
        document=uploaded(student, "相片.jpg", samples.jpg_bytes()),
    )
    make_outcome(
        student,
        graded.course,
        "退回的成果",
        state="returned",
        document=uploaded(student, "b.pdf", samples.pdf_bytes("b")),
    )
    own = Performance.objects.create(
        student=student,
        academic_year=last_year,
        category="volunteer",
        title="圖書館志工",
        activity_date=dt.date(last_year + 1911, 10, 1),
        description="整理書架 24 小時",
        link="https://example.tw/volunteer",
        state="submitted",
    )
    own.files.set([uploaded(student, "時數證明.pdf", samples.pdf_bytes("hours")), report])
    Performance.objects.create(
        student=student,
        academic_year=last_year,
        category="cadre",
        title="班長",
        activity_date=dt.date(last_year + 1911, 9, 1),
        state="draft",
        source="school",
    )
    return student


@pytest.fixture
def sent(whole_record, school_b, school_admin, login, django_capture_on_commit_callbacks):
    """School A has transferred the student to school B: the central record it holds."""
    return send_transfer(
        login(school_admin), whole_record, school_b, django_capture_on_commit_callbacks
    )


def _sha_of_storage(stored: StoredFile) -> str:
    with default_storage.open(stored.storage_name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_r38_round_trip_old_school_central_new_school_loses_nothing(
    whole_record, sent, school_b, other_school_admin, login, django_capture_on_commit_callbacks
):
    """R38: course records, outcomes in every state and performances with their files arrive."""
    old = whole_record
    entry_before = dict(sent.entry)
    central_files = CentralFile.objects.count()
    page = receive_on_page(
        login(other_school_admin),
        django_capture_on_commit_callbacks,
        f"/school/transfers/{sent.pk}/register/",
        {"student_number": "B0001"},
    )
    assert "2 筆修課紀錄、4 件課程學習成果、2 件多元表現、6 個檔案" in page
    new = Student.objects.get(school=school_b)
    assert (new.student_number, new.national_id, new.name) == ("B0001", old.national_id, old.name)
    assert new.user.must_change_password  # R31: the first password, changed at first login

    courses = {
        r.code: (r.academic_year, r.semester, r.credits, r.original_grade, r.makeup_grade)
        for r in PriorCourseRecord.objects.filter(student=new)
    }
    assert courses == {
        e.course.code: (
            e.course.academic_year,
            e.course.semester,
            e.course.credits,
            e.original_grade,
            e.makeup_grade,
        )
        for e in CourseEnrolment.objects.filter(student=old)
    }

    def outcomes_of(student):
        return {
            (o.title, o.state, o.academic_year, o.semester, o.course_code): sorted(
                f.sha256 for f in o.files
            )
            for o in LearningOutcome.objects.filter(student=student)
        }

    assert outcomes_of(new) == outcomes_of(old)
    certified = LearningOutcome.objects.get(student=new, state="certified")
    original = LearningOutcome.objects.get(student=old, state="certified")
    assert timezone.localdate(certified.certified_at) == timezone.localdate(original.certified_at)
    assert certified.transfer.from_school_name == old.school.name
    assert (certified.course, certified.certified_by) == (None, None)
    assert certified.media is not None and certified.media.kind == "mp3"

    def performances_of(student):
        return {
            (p.title, p.state, p.category, p.activity_date, p.link): sorted(
                f.sha256 for f in p.files.all()
            )
            for p in Performance.objects.filter(student=student)
        }

    assert performances_of(new) == performances_of(old)
    assert set(Performance.objects.filter(student=new).values_list("source", flat=True)) == {
        "transfer"
    }
    copies = StoredFile.objects.filter(owner=new)
    assert copies.count() == 6  # the report used twice is kept once
    assert all(_sha_of_storage(f) == f.sha256 for f in copies)
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert out.getvalue().startswith("OK:")
    # The central record stays whole: only read.
    sent.refresh_from_db()
    assert sent.entry == entry_before and sent.is_current
    assert CentralFile.objects.count() == central_files


def test_r38_receiving_the_same_record_again_changes_nothing(sent, school_b, other_school_admin):
    """R38: idempotent: a second receipt of the same record creates and audits nothing."""
    from licheng.audit.models import AuditEntry

    first = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    counts = (
        StoredFile.objects.count(),
        LearningOutcome.objects.count(),
        Performance.objects.count(),
        PriorCourseRecord.objects.count(),
        AuditEntry.objects.count(),
    )
    again = receive_central_transfer(sent, school=school_b, actor=other_school_admin)
    assert not first.unchanged and again.unchanged
    assert again.transfer == first.transfer
    assert (
        StoredFile.objects.count(),
        LearningOutcome.objects.count(),
        Performance.objects.count(),
        PriorCourseRecord.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_r38_the_downloaded_package_uploaded_again_is_the_same_record(
    sent, school_b, other_school_admin, login, django_capture_on_commit_callbacks
):
    """R38: the package downloaded from the central repository, imported through the upload
    form (as another platform would), brings the same; then the central path changes nothing."""
    client = login(other_school_admin)
    download = client.get(f"/school/transfers/{sent.pk}/package.zip")
    upload = SimpleUploadedFile("transfer.zip", b"".join(download.streaming_content))
    capture = django_capture_on_commit_callbacks
    page = receive_on_page(
        client, capture, "/school/transfers/upload/", {"package": upload, "student_number": "B0002"}
    )
    assert "4 件課程學習成果" in page
    again = receive_on_page(client, capture, f"/school/transfers/{sent.pk}/register/")
    assert "先前已匯入，這次沒有變更" in again
    assert "已轉入" in again


def test_r38_an_uploaded_package_from_another_vendor_is_received(school_b, other_school_admin):
    report = receive_transfer_package(
        io.BytesIO(foreign_package(school_b.code)),
        school=school_b,
        student_number="B0003",
        actor=other_school_admin,
    )
    assert (report.outcomes, report.performances, report.files) == (1, 1, 2)
    outcome = LearningOutcome.objects.get()
    assert outcome.transfer.from_school_code == "999999"
    assert outcome.document.original_name == "專題報告.pdf"
    assert outcome.course_name == "專題實作"


def test_r38_a_category_sent_by_its_zh_hant_label_is_read_whatever_language_is_active(
    school_b, other_school_admin
):
    """R38: another platform may name a performance's category by its zh-Hant label; it is read
    as that category even when whoever receives the package reads the English pages."""
    from django.utils import translation

    from licheng.portfolio.models import Performance

    with translation.override("en"):
        report = receive_transfer_package(
            io.BytesIO(foreign_package(school_b.code, category="志工服務")),
            school=school_b,
            student_number="B0003",
            actor=other_school_admin,
        )
    assert report.performances == 1
    assert Performance.objects.get().category == "volunteer"


def test_r38_a_corrupted_file_refuses_the_whole_package_and_leaves_nothing(
    school_b, other_school_admin, settings
):
    """R38: a file whose bytes do not match the manifest's SHA-256: refused, nothing created."""
    with pytest.raises(PackageError, match="SHA-256"):
        receive_transfer_package(
            io.BytesIO(foreign_package(school_b.code, corrupt=True)),
            school=school_b,
            student_number="B0003",
            actor=other_school_admin,
        )
    assert not Student.objects.filter(school=school_b).exists()
    assert not IncomingTransfer.objects.exists()
    assert not LearningOutcome.objects.exists() and not StoredFile.objects.exists()
    stored = [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []  # the first file, already copied, was removed again


def test_r38_a_corrupted_upload_is_refused_on_the_page(
    school_b, other_school_admin, login, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("t.zip", foreign_package(school_b.code, corrupt=True))
    page = receive_on_page(
        login(other_school_admin),
        django_capture_on_commit_callbacks,
        "/school/transfers/upload/",
        {"package": upload, "student_number": "B0003"},
    )
    assert "無法轉入，沒有匯入任何資料" in page and "SHA-256" in page


def test_r38_a_school_cannot_take_a_student_transferring_elsewhere(
    sent, school_a, school_admin, other_school_admin, login
):
    """Access: the record goes to school B; school A (or a package naming B) cannot import it."""
    client = login(school_admin)
    assert client.post(f"/school/transfers/{sent.pk}/register/").status_code == 404
    with pytest.raises(PackageError, match="不是貴校"):
        receive_central_transfer(sent, school=school_a, student_number="A9", actor=school_admin)
    with pytest.raises(PackageError, match="不是貴校"):
        receive_transfer_package(
            io.BytesIO(foreign_package("520402")),
            school=school_a,
            student_number="A9",
            actor=school_admin,
        )
    assert not IncomingTransfer.objects.exists()


def test_r38_a_number_is_needed_unless_the_school_registered_the_student(
    sent, school_b, other_school_admin
):
    with pytest.raises(PackageError, match="請輸入本校的學號"):
        receive_central_transfer(sent, school=school_b, actor=other_school_admin)
    from licheng.accounts.domain.accounts import register_student

    register_student(
        school_b,
        student_number="B0009",
        national_id_number=sent.student.national_id,
        name=sent.student.name,
        enrolment_date=dt.date(2024, 8, 1),
        actor=other_school_admin,
    )
    report = receive_central_transfer(sent, school=school_b, actor=other_school_admin)
    assert not report.registered and report.student.student_number == "B0009"
    assert report.outcomes == 4


def test_r38_the_student_sees_their_items_at_the_new_school(
    sent, school_b, other_school_admin, login
):
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    client = login(report.student.user)
    report.student.user.__class__.objects.filter(pk=report.student.user_id).update(
        must_change_password=False, email_verified_at=timezone.now()
    )
    outcomes = client.get("/outcomes/").content.decode()
    assert "滴定實驗" in outcomes and "退回的成果" in outcomes and "轉學帶入" in outcomes
    performances = client.get("/performances/").content.decode()
    assert "圖書館志工" in performances and "轉學帶入" in performances
    records = client.get("/my/records/").content.decode()
    assert "轉學前修課紀錄" in records and "化學" in records
    certified = LearningOutcome.objects.get(student=report.student, state="certified")
    detail = client.get(f"/outcomes/{certified.pk}/").content.decode()
    assert "於原學校" in detail and "送出認證" not in detail  # nobody here certifies it
    file_page = client.get(f"/files/{certified.document_id}/")
    assert file_page.status_code == 200
    school_view = login(other_school_admin).get(f"/school/students/{report.student.pk}/")
    assert "轉學前修課紀錄" in school_view.content.decode()  # the school's view of the student


def test_r38_transferred_items_use_no_place_in_the_new_schools_quotas(
    sent, school_b, other_school_admin
):
    """R11, R18: items uploaded at the previous school count toward none of this school's quotas."""
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    policy = policy_of(school_b)
    policy.outcomes_per_semester = 1
    policy.save()
    from licheng.curriculum.models import Course

    course = Course.objects.create(
        school=school_b,
        academic_year=sent.entry["items"][0]["academic_year"],
        semester=1,
        code="B-PHY",
        name="物理",
        credits=2,
        category="national_required",
    )
    # the 2 transferred outcomes of that term do not count
    assert upload_admission(report.student, course).term_count == 0
    assert own_count(report.student, sent.entry["items"][0]["academic_year"]) == 0


def test_r38_a_second_transfer_carries_the_prior_records_on(
    sent, school_b, school_a, other_school_admin
):
    """R38: leaving the new school, the prior course records and items travel on."""
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    manifest_out, sources = transfer_manifest(report.student, school_a.code)
    entry = manifest_out["students"][0]
    assert {c["code"] for c in entry["courses"]} == {c["code"] for c in sent.entry["courses"]}
    assert sorted((i["title"], i["state"]) for i in entry["items"]) == sorted(
        (i["title"], i["state"]) for i in sent.entry["items"]
    )
    assert set(sources) == {f["sha256"] for i in sent.entry["items"] for f in i["files"]}


def test_r38_the_portfolio_zip_lists_the_prior_records(sent, school_b, other_school_admin):
    """R40 with R38: the student's zip names the previous school's course records and items."""
    from licheng.selection.domain.export import write_portfolio_zip

    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    out = io.BytesIO()
    write_portfolio_zip(report.student, out, actor=report.student.user)
    index = zipfile.ZipFile(out).read("index.html").decode()
    assert "轉學前修課紀錄" in index and sent.school.name in index
