"""R38: a transferring student's record moves to the new school through the exchange format and
the central record stays whole."""

from __future__ import annotations

import pytest

from licheng.central.models import CentralRecord, CentralStudent
from licheng.lib.exchange import PackageError

from .packages import manifest, outcome, student_entry


def _transfer(to: str, items=None):
    m = manifest(kind="transfer", transfer_to=to, students=[student_entry(items=items or [])])
    m["students"][0]["courses"] = [
        {
            "academic_year": 112,
            "semester": 2,
            "code": "112310301H11A0101",
            "name": "國文",
            "credits": 4,
            "category": "部定必修",
            "original_grade": "88.00",
        }
    ]
    return m


def test_r38_transfer_moves_the_student_and_keeps_the_record_whole(ingest, school_b):
    """R38: after the transfer the central student belongs to the new school; nothing is lost."""
    ingest(manifest())  # an annual record sent by school A earlier
    uncertified = outcome("o7", certified_on=None)  # a transfer carries every item (R38)
    receipt = ingest(_transfer(school_b.code, items=[outcome("o1"), uncertified])).receipt
    assert receipt["package_kind"] == "transfer"
    person = CentralStudent.objects.get()
    assert person.school == school_b
    kinds = sorted(CentralRecord.objects.filter(student=person).values_list("kind", flat=True))
    assert kinds == ["annual", "transfer"]
    transfer = CentralRecord.objects.get(kind="transfer")
    assert transfer.courses[0]["name"] == "國文"
    assert sorted(i.local_id for i in transfer.items.all()) == ["o1", "o7"]


def test_transfer_to_an_unknown_school_is_refused(ingest):
    with pytest.raises(PackageError, match="轉入學校代碼 999999 不存在"):
        ingest(_transfer("999999"))


def test_transfer_to_the_same_school_is_refused(ingest, school_a):
    with pytest.raises(PackageError, match="不可與轉出學校相同"):
        ingest(_transfer(school_a.code))


def test_r38_the_transfer_record_re_exports_as_the_same_package(ingest, school_b, central_admin):
    """R38: the receiving school gets the record in the exchange format, files included."""
    import io

    from licheng.central.domain.export import write_record_package
    from licheng.lib.exchange import read_package

    sent = _transfer(school_b.code, items=[outcome("o1")])
    ingest(sent)
    out = io.BytesIO()
    write_record_package(CentralRecord.objects.get(), out, actor=central_admin)
    package = read_package(io.BytesIO(out.getvalue()))
    assert package.manifest["students"] == sent["students"]
    assert package.manifest["transfer_to"] == school_b.code
    assert len(package.files) == 1


def test_r38_new_school_downloads_and_registers_the_incoming_student(
    school_a, other_student, school_admin, login, django_capture_on_commit_callbacks
):
    """R38: the receiving school downloads the package, or receives the student from it here."""
    import io
    import zipfile

    from licheng.schools.models import Student

    from .records import make_transfer, receive_on_page

    record = make_transfer(other_student, school_a)
    client = login(school_admin)
    assert other_student.name in client.get("/school/transfers/").content.decode()
    download = client.get(f"/school/transfers/{record.pk}/package.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "manifest.json" in archive.namelist()
    url = f"/school/transfers/{record.pk}/register/"
    receive_on_page(client, django_capture_on_commit_callbacks, url, {"student_number": "T0001"})
    moved = Student.objects.get(school=school_a, national_id=other_student.national_id)
    assert (moved.student_number, moved.name) == ("T0001", other_student.name)
    again = receive_on_page(
        client, django_capture_on_commit_callbacks, url, {"student_number": "T0002"}
    )
    assert "先前已匯入，這次沒有變更" in again  # R38: idempotent


def test_another_school_cannot_take_the_incoming_record(school_a, school_b, student, login):
    from licheng.accounts.enums import Role
    from tests.factories import staff

    from .records import make_transfer

    record = make_transfer(student, school_b)  # school A's student moving to school B
    outsider = staff(Role.SCHOOL_ADMIN, school_a)  # the sending school is not the receiver
    assert login(outsider).get(f"/school/transfers/{record.pk}/package.zip").status_code == 404
