"""Basic data (基本資料, R1–R3): registration data, corrections, cadre posts, attendance, rewards.

Registration data is changed only by school staff, through ``update_student``; a student asks
for a change with ``request_correction`` and the staff resolve it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from licheng.audit.domain import changes, record
from licheng.lib import national_id

from ..enums import CadreLevel, CorrectionState, RewardKind, StudentStatus
from ..models import (
    CORRECTABLE_FIELDS,
    AttendanceRecord,
    CadreRecord,
    ClassEnrolment,
    CorrectionRequest,
    Department,
    RewardRecord,
    SchoolClass,
    Student,
)

STUDENT_FIELDS = ["name", "national_id", "department", "enrolment_date", "status"]
ATTENDANCE_FIELDS = [
    "school_days",
    "personal_leave",
    "sick_leave",
    "official_leave",
    "bereavement_leave",
    "absence",
]


class BasicDataError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_student(student: Student, values: dict[str, Any]) -> dict[str, Any]:
    clean = dict(values)
    if "name" in clean:
        clean["name"] = str(clean["name"]).strip()
        if not clean["name"]:
            raise BasicDataError("請填寫姓名", "name")
    if "national_id" in clean:
        clean["national_id"] = national_id.normalize(str(clean["national_id"]))
        problem = national_id.problem(clean["national_id"])
        if problem:
            raise BasicDataError(problem, "national_id")
        taken = Student.objects.filter(school=student.school, national_id=clean["national_id"])
        if taken.exclude(pk=student.pk).exists():
            raise BasicDataError("本校已有學生使用此身分證統一編號", "national_id")
    department = clean.get("department")
    if department is not None and department.school_id != student.school_id:
        raise BasicDataError("科別不屬於本校", "department")
    if "status" in clean and clean["status"] not in StudentStatus.values:
        raise BasicDataError("學籍狀態不正確", "status")
    if "enrolment_date" in clean and not isinstance(clean["enrolment_date"], dt.date):
        raise BasicDataError("入學日期不正確", "enrolment_date")
    return clean


@transaction.atomic
def update_student(student: Student, *, actor: Any, **values: Any) -> Student:
    """Staff change a student's registration data (R1); audited before → after."""
    unknown = set(values) - set(STUDENT_FIELDS)
    if unknown:
        raise BasicDataError("不明的欄位", sorted(unknown)[0])
    student = Student.objects.select_for_update().get(pk=student.pk)
    clean = _check_student(student, values)
    before, after = changes(student, STUDENT_FIELDS, clean)
    if not after:
        return student
    for name, value in after.items():
        setattr(student, name, value)
    student.save()
    if "name" in after:
        student.user.full_name = after["name"]
        student.user.save(update_fields=["full_name"])
    record("schools.student.update", actor=actor, obj=student, before=before, after=after)
    return student


def display_value(student: Student, field: str) -> str:
    value = getattr(student, field)
    if isinstance(value, Department):
        return value.code
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


@transaction.atomic
def request_correction(
    student: Student, *, actor: Any, field: str, requested_value: str, explanation: str = ""
) -> CorrectionRequest:
    """A student asks the school to correct one field of their registration data (R1)."""
    if field not in CORRECTABLE_FIELDS:
        raise BasicDataError("此欄位無法申請更正", "field")
    requested_value = requested_value.strip()
    if not requested_value:
        raise BasicDataError("請填寫正確的資料", "requested_value")
    if len(requested_value) > 100:
        raise BasicDataError("更正內容不可超過 100 字", "requested_value")
    if CorrectionRequest.objects.filter(
        student=student, field=field, state=CorrectionState.PENDING
    ).exists():
        raise BasicDataError("此欄位已有待處理的更正申請", "field")
    req = CorrectionRequest.objects.create(
        student=student,
        field=field,
        current_value=display_value(student, field),
        requested_value=requested_value,
        explanation=explanation.strip()[:200],
    )
    record(
        "schools.correction.request",
        actor=actor,
        obj=req,
        school=student.school,
        after={"field": field, "requested_value": requested_value},
    )
    return req


def _requested(req: CorrectionRequest) -> Any:
    """The requested text as the field's value; raises BasicDataError when it cannot be."""
    text = req.requested_value
    if req.field == "enrolment_date":
        from licheng.lib.roc import parse_roc_date

        try:
            return parse_roc_date(text)
        except ValueError:
            raise BasicDataError("申請的入學日期格式不正確，請改為不予更正並說明") from None
    if req.field == "department":
        # Students know their department by name; registrars by code. Either will do.
        dept = (
            Department.objects.filter(school=req.student.school)
            .filter(Q(code=text.upper()) | Q(name=text))
            .first()
        )
        if dept is None:
            raise BasicDataError("申請的科別（代碼或名稱）不存在，請改為不予更正並說明")
        return dept
    return text


@transaction.atomic
def accept_correction(req: CorrectionRequest, *, actor: Any) -> CorrectionRequest:
    """Staff accept a correction request: the data is corrected (audited) and the request closed."""
    req = CorrectionRequest.objects.select_for_update().select_related("student").get(pk=req.pk)
    if req.state != CorrectionState.PENDING:
        raise BasicDataError("此申請已處理")
    update_student(req.student, actor=actor, **{req.field: _requested(req)})
    req.state = CorrectionState.ACCEPTED
    req.resolved_at = timezone.now()
    req.resolved_by = actor
    req.save()
    record(
        "schools.correction.accept",
        actor=actor,
        obj=req,
        school=req.student.school,
        before={"state": CorrectionState.PENDING},
        after={"state": CorrectionState.ACCEPTED},
    )
    return req


@transaction.atomic
def refuse_correction(req: CorrectionRequest, *, actor: Any, reason: str) -> CorrectionRequest:
    """Staff refuse a correction request, giving the student the reason."""
    reason = reason.strip()
    if not reason:
        raise BasicDataError("不予更正時須說明理由", "reason")
    req = CorrectionRequest.objects.select_for_update().select_related("student").get(pk=req.pk)
    if req.state != CorrectionState.PENDING:
        raise BasicDataError("此申請已處理")
    req.state = CorrectionState.REFUSED
    req.refusal_reason = reason[:200]
    req.resolved_at = timezone.now()
    req.resolved_by = actor
    req.save()
    record(
        "schools.correction.refuse",
        actor=actor,
        obj=req,
        school=req.student.school,
        before={"state": CorrectionState.PENDING},
        after={"state": CorrectionState.REFUSED, "reason": req.refusal_reason},
    )
    return req


def _term_ok(academic_year: Any, semester: Any) -> None:
    if semester not in (1, 2):
        raise BasicDataError("學期須為 1 或 2", "semester")
    if not isinstance(academic_year, int) or not 1 <= academic_year <= 999:
        raise BasicDataError("學年度不正確", "academic_year")


@transaction.atomic
def add_cadre(
    student: Student,
    *,
    actor: Any,
    academic_year: int,
    semester: int,
    level: str,
    unit: str,
    position: str,
) -> CadreRecord:
    """Register a cadre post (幹部經歷, R2)."""
    _term_ok(academic_year, semester)
    if level not in CadreLevel.values:
        raise BasicDataError("幹部層級須為校級、班級或社團", "level")
    unit, position = unit.strip(), position.strip()
    if not unit or not position:
        raise BasicDataError("請填寫單位與職稱", "position" if unit else "unit")
    rec, created = CadreRecord.objects.get_or_create(
        student=student,
        transfer=None,  # a post held at the previous school (R38) is another record
        academic_year=academic_year,
        semester=semester,
        level=level,
        unit=unit[:50],
        position=position[:50],
    )
    if created:
        record(
            "schools.cadre.create",
            actor=actor,
            obj=rec,
            school=student.school,
            after={"term": rec.term.code, "level": level, "unit": unit, "position": position},
        )
    return rec


def _not_transferred(rec: CadreRecord | RewardRecord) -> None:
    if rec.transfer_id is not None:
        raise BasicDataError("轉學帶入的紀錄屬於原學校，不能刪除")  # R38: nothing lost


@transaction.atomic
def remove_cadre(rec: CadreRecord, *, actor: Any) -> None:
    _not_transferred(rec)
    record(
        "schools.cadre.delete",
        actor=actor,
        obj=rec,
        school=rec.student.school,
        before={
            "term": rec.term.code,
            "level": rec.level,
            "unit": rec.unit,
            "position": rec.position,
        },
    )
    rec.delete()


@transaction.atomic
def set_attendance(
    student: Student, *, actor: Any, academic_year: int, semester: int, **counts: int
) -> AttendanceRecord:
    """Record a term's attendance (出缺勤, R3); audited before → after."""
    _term_ok(academic_year, semester)
    for name, value in counts.items():
        if name not in ATTENDANCE_FIELDS:
            raise BasicDataError("不明的欄位", name)
        if not isinstance(value, int) or not 0 <= value <= 999:
            raise BasicDataError("節數須為 0 到 999 的整數", name)
    rec, _created = AttendanceRecord.objects.select_for_update().get_or_create(
        student=student, academic_year=academic_year, semester=semester, transfer=None
    )
    before, after = changes(rec, ATTENDANCE_FIELDS, counts)
    if after:
        for name, value in after.items():
            setattr(rec, name, value)
        rec.save()
        record(
            "schools.attendance.update",
            actor=actor,
            obj=rec,
            school=student.school,
            before=before,
            after=after,
        )
    return rec


@transaction.atomic
def add_reward(
    student: Student, *, actor: Any, kind: str, count: int, reason: str, given_on: dt.date
) -> RewardRecord:
    """Record a reward or punishment (獎懲, R3)."""
    from licheng.lib.roc import Term

    if kind not in RewardKind.values:
        raise BasicDataError("請選擇獎懲類別", "kind")
    if not isinstance(count, int) or not 1 <= count <= 99:
        raise BasicDataError("次數須為 1 到 99", "count")
    reason = reason.strip()
    if not reason:
        raise BasicDataError("請填寫事由", "reason")
    term = Term.of(given_on)
    rec = RewardRecord.objects.create(
        student=student,
        academic_year=term.academic_year,
        semester=term.semester,
        kind=kind,
        count=count,
        reason=reason[:100],
        given_on=given_on,
    )
    record(
        "schools.reward.create",
        actor=actor,
        obj=rec,
        school=student.school,
        after={"kind": kind, "count": count, "reason": rec.reason, "given_on": given_on},
    )
    return rec


@transaction.atomic
def remove_reward(rec: RewardRecord, *, actor: Any) -> None:
    """Withdraw a reward or punishment entered by mistake (audited with what it was)."""
    _not_transferred(rec)
    record(
        "schools.reward.delete",
        actor=actor,
        obj=rec,
        school=rec.student.school,
        before={
            "kind": rec.kind,
            "count": rec.count,
            "reason": rec.reason,
            "given_on": rec.given_on,
        },
    )
    rec.delete()


@transaction.atomic
def place_student(
    student: Student, *, actor: Any, school_class: SchoolClass, seat: int
) -> ClassEnrolment:
    """Put a student in a class and seat for that class's year (編班, R1), audited.

    A seat held by another student is refused: nobody is pushed out of their seat.
    """
    if school_class.school_id != student.school_id:
        raise BasicDataError("班級不屬於本校", "school_class")
    if not isinstance(seat, int) or not 1 <= seat <= 99:
        raise BasicDataError("座號須為 1 到 99", "seat")
    holder = (
        ClassEnrolment.objects.filter(school_class=school_class, seat_number=seat)
        .exclude(student=student)
        .select_related("student")
        .first()
    )
    if holder is not None:
        raise BasicDataError(
            f"{school_class.name} 的 {seat} 號已分配給 {holder.student.name}（{holder.student.student_number}）",
            "seat",
        )
    current = (
        ClassEnrolment.objects.select_for_update()
        .filter(student=student, school_class__academic_year=school_class.academic_year)
        .select_related("school_class")
        .first()
    )
    if current and current.school_class_id == school_class.pk and current.seat_number == seat:
        return current
    before = {"class": current.school_class.name, "seat": current.seat_number} if current else {}
    if current:
        current.delete()
    placement = ClassEnrolment.objects.create(
        student=student, school_class=school_class, seat_number=seat
    )
    record(
        "schools.placement.update",
        actor=actor,
        obj=placement,
        school=student.school,
        before=before,
        after={"class": school_class.name, "seat": seat},
    )
    return placement
