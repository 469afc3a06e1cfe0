"""R38 with exchange format 1.1: what a transfer used to lose now arrives. Every category's
fields of a performance, its end date and source (R19); an outcome's certifier and return
reason (R13); cadre posts (R2), attendance and rewards (R3). Old school → central repository →
new school, and on again; old 1.0 packages are still received."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from licheng.central.domain.transfers import receive_central_transfer
from licheng.central.models import CentralItem
from licheng.devtools.samples import pdf_bytes
from licheng.lib.exchange import PackageError, check_manifest
from licheng.portfolio.categories import FIELDS
from licheng.portfolio.models import LearningOutcome, Organizer, Performance
from licheng.schools.domain import basic_data
from licheng.schools.models import AttendanceRecord, CadreRecord, IncomingTransfer, RewardRecord
from licheng.selection.domain.transfer import transfer_manifest
from licheng.selection.domain.transfer_in import receive_transfer_package
from tests.central.packages import (
    file_entry,
    manifest,
    outcome,
    performance,
    student_entry,
    zip_bytes,
)

from .conftest import make_outcome, send_transfer, uploaded


def _details(category: str) -> dict:
    """A value for every field of the category, optional ones included."""
    values: dict = {}
    for field in FIELDS[category]:
        if field.kind == "number":
            values[field.name] = 12.5 if field.name == "hours" else 3
        elif field.kind == "choice":
            values[field.name] = field.choices[-1]
        else:
            values[field.name] = f"{field.label}：{category}"
    return values


@pytest.fixture
def full_record(student, chemistry, graded, teacher, school_admin, last_year):
    """School A's student with a performance of every category (every field, an end date,
    registered by the student, the school or an organizer), a certified and a returned outcome,
    cadre posts, two terms of attendance and rewards (two equal ones on one day)."""
    organizer = Organizer.objects.create(name="全國學生科展")
    sources = ["student", "school", "organizer"]
    for n, category in enumerate(FIELDS):
        source = sources[n % 3]
        Performance.objects.create(
            student=student,
            academic_year=last_year,
            category=category,
            title=f"{category} 表現",
            activity_date=dt.date(last_year + 1911, 9, 1 + n),
            end_date=dt.date(last_year + 1912, 1, 1 + n) if n % 2 == 0 else None,
            details=_details(category),
            description=f"{category} 的簡述",
            source=source,
            organizer=organizer if source == "organizer" else None,
            organizer_record_id=f"r{n}" if source == "organizer" else "",
            state="submitted",
        )
    make_outcome(
        student,
        chemistry,
        "滴定實驗",
        certified_by=teacher,
        document=uploaded(student, "a.pdf", pdf_bytes("a")),
    )
    returned = make_outcome(
        student,
        graded.course,
        "退回的成果",
        state="returned",
        document=uploaded(student, "b.pdf", pdf_bytes("b")),
    )
    LearningOutcome.objects.filter(pk=returned.pk).update(
        return_reason="other", return_note="檔案是另一門課的作業"
    )
    y = last_year
    basic_data.add_cadre(
        student, actor=school_admin, academic_year=y, semester=1, level="school",
        unit="學生會", position="會長",
    )  # fmt: skip
    basic_data.add_cadre(
        student, actor=school_admin, academic_year=y, semester=2, level="club",
        unit="吉他社", position="社長",
    )  # fmt: skip
    basic_data.set_attendance(
        student, actor=school_admin, academic_year=y, semester=1, school_days=90,
        personal_leave=2, sick_leave=3, official_leave=4, bereavement_leave=1, absence=5,
    )  # fmt: skip
    basic_data.set_attendance(
        student, actor=school_admin, academic_year=y, semester=2, school_days=88, absence=1
    )
    day = dt.date(y + 1911, 11, 3)
    for kind in ("commendation", "commendation", "minor_demerit"):
        basic_data.add_reward(
            student, actor=school_admin, kind=kind, count=2, reason="擔任志工", given_on=day
        )
    return student


@pytest.fixture
def sent(full_record, school_b, school_admin, login, django_capture_on_commit_callbacks):
    return send_transfer(
        login(school_admin), full_record, school_b, django_capture_on_commit_callbacks
    )


def _performances(student) -> dict:
    return {
        p.category: (p.title, p.activity_date, p.end_date, p.details, p.registered_by)
        for p in Performance.objects.filter(student=student)
    }


def _outcomes(student) -> dict:
    return {
        o.title: (o.state, o.certifier_name, o.return_reason, o.return_note)
        for o in LearningOutcome.objects.filter(student=student)
    }


def _school_records(student) -> tuple:
    cadres = sorted(
        (c.academic_year, c.semester, c.level, c.unit, c.position)
        for c in CadreRecord.objects.filter(student=student)
    )
    attendance = sorted(
        (a.academic_year, a.semester, a.school_days, a.personal_leave, a.sick_leave)
        + (a.official_leave, a.bereavement_leave, a.absence)
        for a in AttendanceRecord.objects.filter(student=student)
    )
    rewards = sorted(
        (r.academic_year, r.semester, r.kind, r.count, r.reason, r.given_on)
        for r in RewardRecord.objects.filter(student=student)
    )
    return cadres, attendance, rewards


def test_r38_every_field_survives_old_school_central_new_school(
    full_record, sent, school_b, other_school_admin, teacher
):
    """R38, R2, R3, R13, R19: every category's fields, end dates, sources, the certifier, the
    return reason and note, cadre posts, attendance and rewards arrive as they were."""
    old = full_record
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    new = report.student
    assert _performances(new) == _performances(old)
    assert {p.category for p in Performance.objects.filter(student=new)} == set(FIELDS)
    assert {p.source for p in Performance.objects.filter(student=new)} == {"transfer"}
    assert _outcomes(new) == _outcomes(old)
    assert _outcomes(new)["滴定實驗"][1] == teacher.full_name
    assert _school_records(new) == _school_records(old)
    assert len(_school_records(new)[2]) == 3  # the two equal rewards stay two
    assert report.school_records == 2 + 2 + 3
    assert report.transfer.summary["rewards"] == 3
    # Brought in, they are the previous school's: marked, and not this school's to delete.
    cadre = CadreRecord.objects.filter(student=new).first()
    assert cadre.transfer == report.transfer
    with pytest.raises(basic_data.BasicDataError, match="原學校"):
        basic_data.remove_cadre(cadre, actor=other_school_admin)


def test_r38_the_central_repository_keeps_every_field(sent, full_record):
    """R38: the central record holds the new fields, item by item and in the entry as sent."""
    items = {i.title: i for i in CentralItem.objects.filter(record=sent)}
    competition = items["competition 表現"]
    assert competition.details == _details("competition")
    assert (competition.source, competition.end_date) == ("school", None)
    assert items["certificate 表現"].source == "organizer"
    assert items["cadre 表現"].source == "student" and items["cadre 表現"].end_date is not None
    assert items["滴定實驗"].certified_by_name
    assert (items["退回的成果"].return_reason, items["退回的成果"].return_note) == (
        "other",
        "檔案是另一門課的作業",
    )
    entry = sent.entry
    assert [c["position"] for c in entry["cadres"]] == ["會長", "社長"]
    assert [a["absence"] for a in entry["attendance"]] == [5, 1]
    assert [r["kind"] for r in entry["rewards"]] == ["commendation"] * 2 + ["minor_demerit"]


def test_r38_a_second_transfer_carries_everything_on(sent, school_a, school_b, other_school_admin):
    """R38: leaving the new school, the school records and item fields travel on unchanged."""
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    again, _sources = transfer_manifest(report.student, school_a.code)
    entry = again["students"][0]
    for key in ("cadres", "attendance", "rewards"):
        assert entry[key] == sent.entry[key]

    def by_title(items):
        return {i["title"]: {k: v for k, v in i.items() if k != "id"} for i in items}

    assert by_title(entry["items"]) == by_title(sent.entry["items"])


def test_r38_receiving_again_adds_no_school_records(sent, school_b, other_school_admin):
    receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    counts = (CadreRecord.objects.count(), AttendanceRecord.objects.count())
    again = receive_central_transfer(sent, school=school_b, actor=other_school_admin)
    assert again.unchanged
    assert (CadreRecord.objects.count(), AttendanceRecord.objects.count()) == counts


def test_r3_the_new_schools_own_attendance_of_the_same_term_stays_apart(
    sent, school_b, other_school_admin, last_year
):
    """R3, R38: a term split between the schools keeps each school's attendance."""
    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    basic_data.set_attendance(
        report.student, actor=other_school_admin, academic_year=last_year, semester=2, absence=7
    )
    rows = AttendanceRecord.objects.filter(
        student=report.student, academic_year=last_year, semester=2
    )
    assert sorted((r.transfer_id is None, r.absence) for r in rows) == [(False, 1), (True, 7)]


# --- old and malformed packages ---------------------------------------------------------------


def _package(entry_extra=None, version="1.0", returned: bool = False) -> bytes:
    """A transfer package another platform wrote: outcomes (one returned) and a performance."""
    contents = {name: pdf_bytes(name) for name in ("o1", "o2")}
    items = [
        outcome("o1", contents["o1"]),
        outcome("o2", contents["o2"], state="returned" if returned else "submitted"),
        {**performance("p1"), "activity_date": "2024-11-02"},
    ]
    entry = student_entry(
        items=items,
        basic={"enrolment_date": "2024-08-01", "status": "enrolled"},
        **(entry_extra or {}),
    )
    m = manifest(
        school_code="999999",
        students=[entry],
        kind="transfer",
        transfer_to="520402",
        format_version=version,
    )
    return zip_bytes(m, {file_entry(c)["sha256"]: c for c in contents.values()})


def test_r38_an_old_format_package_is_still_received(school_b, other_school_admin):
    """A 1.0 package (no category fields, certifier, return reason or school records) is
    received as before; what it did not send is empty."""
    data = _package(returned=True)
    report = receive_transfer_package(
        io.BytesIO(data), school=school_b, student_number="C1", actor=other_school_admin
    )
    assert (report.outcomes, report.performances, report.school_records) == (2, 1, 0)
    p = Performance.objects.get()
    assert (p.details, p.end_date, p.prior_source, p.registered_by) == ({}, None, "", "")
    back = LearningOutcome.objects.get(transfer_item_id="o2")
    assert (back.state, back.return_reason, back.certifier_name) == ("returned", "", "")


def test_r38_an_unknown_cadre_level_refuses_the_package_and_stores_nothing(
    school_b, other_school_admin
):
    cadre = {"academic_year": 113, "semester": 1, "level": "縣級", "unit": "x", "position": "y"}
    data = _package({"cadres": [cadre]}, version="1.1")
    with pytest.raises(PackageError, match="層級 縣級 不明"):
        receive_transfer_package(
            io.BytesIO(data),
            school=school_b,
            student_number="C1",
            actor=other_school_admin,
        )
    assert not IncomingTransfer.objects.exists() and not Performance.objects.exists()


def test_r3_attendance_and_rewards_travel_only_in_a_transfer_package():
    """R3: they stay on school platforms; the schema refuses them in an annual package."""
    reward = {
        "academic_year": 113,
        "semester": 1,
        "kind": "commendation",
        "count": 1,
        "reason": "r",
        "given_on": "2024-10-01",
    }
    m = manifest(students=[student_entry(rewards=[reward])], format_version="1.1")
    with pytest.raises(PackageError, match="rewards"):
        check_manifest(m)
    check_manifest(
        manifest(
            kind="transfer",
            transfer_to="520402",
            students=[student_entry(rewards=[reward])],
            format_version="1.1",
        )
    )


def test_a_newer_minor_version_is_refused_and_older_ones_are_read():
    check_manifest(manifest(format_version="1.0"))
    check_manifest(manifest(format_version="1.1"))
    with pytest.raises(PackageError, match="不支援的格式版本 1.2"):
        check_manifest(manifest(format_version="1.2"))


def test_r38_pages_name_the_previous_school_and_its_teacher(
    sent, school_b, other_school_admin, teacher, login
):
    """R38: the school records brought in are labelled with the previous school and have no
    delete button; a transferred certified outcome names its teacher; the R40 index lists the
    category fields."""
    import zipfile

    from django.utils import timezone

    from licheng.selection.domain.export import write_portfolio_zip

    report = receive_central_transfer(
        sent, school=school_b, student_number="B0001", actor=other_school_admin
    )
    new = report.student
    label = f'<span class="badge">原學校：{sent.school.name}</span>'
    html = login(other_school_admin).get(f"/school/students/{new.pk}/").content.decode()
    assert f"會長 {label}" in html and "擔任志工 " + label in html
    assert "刪除 會長" not in html and "刪除 擔任志工" not in html
    new.user.__class__.objects.filter(pk=new.user_id).update(
        must_change_password=False, email_verified_at=timezone.now()
    )
    client = login(new.user)
    assert f"社長 {label}" in client.get("/my/records/").content.decode()
    certified = LearningOutcome.objects.get(student=new, state="certified")
    assert teacher.full_name in client.get(f"/outcomes/{certified.pk}/").content.decode()
    out = io.BytesIO()
    write_portfolio_zip(new, out, actor=new.user)
    index = zipfile.ZipFile(out).read("index.html").decode()
    assert "服務單位：服務單位：volunteer" in index and f"認證教師：{teacher.full_name}" in index
