"""Diverse performances (多元表現): upload by the student, registration by the school (R15–R20)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.evidence import rules as file_rules
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.evidence.domain.validation import EvidenceRejected
from licheng.lib.roc import Term
from licheng.schools.domain.locks import lock_student
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import Student

from ..categories import clean_details
from ..enums import PerformanceCategory, PerformanceSource, PerformanceState
from ..models import Organizer, Performance
from ..rules import description_error, link_error, window_error
from . import PortfolioError

MAX_FILES = 3


def activity_date_error(
    student: Student, day: dt.date | None, *, today: dt.date | None = None
) -> str | None:
    """R17: the activity happened while in high school, on or after 1 July of the enrolment year.

    R20: an earlier year's activity is fine; only the date floor and "not in the future" apply.
    """
    if day is None:
        return _("請填寫活動日期")
    earliest = student.earliest_activity_date
    if day < earliest:
        return _("活動日期須在入學年度 7 月 1 日（%(earliest)s）之後") % {
            "earliest": earliest.isoformat()
        }
    if day > (today or timezone.localdate()):
        return _("活動日期不可晚於今天")
    return None


def own_count(student: Student, academic_year: int) -> int:
    """Performances counted toward the student's yearly quota: their own uploads only (R19)."""
    return Performance.objects.filter(
        student=student, academic_year=academic_year, source=PerformanceSource.STUDENT
    ).count()


def check_quota(student: Student, academic_year: int) -> None:
    """R18: the school's per-year limit (default unlimited); R19: imports do not count."""
    limit = policy_of(student.school).performances_per_year
    if limit is not None and own_count(student, academic_year) >= limit:
        raise PortfolioError(
            _("本學年已上傳 %(limit)s 件多元表現，已達學校規定的上限") % {"limit": limit}
        )


def performance_errors(
    student: Student,
    *,
    category: str,
    title: str,
    activity_date: dt.date | None,
    details: dict,
    description: str,
    link: str,
) -> tuple[dict, dict[str, str]]:
    """Check every field at once (R15 category fields, R16 description and link, R17 date).

    Returns (cleaned details, problems by form field: ``title``, ``activity_date``,
    ``detail_<field>``, ``description``, ``link``), so a form can show them all in one answer
    rather than one per submit. Reads only; stores nothing.
    """
    errors: dict[str, str] = {}
    if category not in PerformanceCategory.values:
        errors["category"] = _("請選擇多元表現類別")
    if not title.strip():
        errors["title"] = _("請填寫名稱")
    elif len(title.strip()) > 100:
        errors["title"] = _("名稱超過 100 字上限")
    date_message = activity_date_error(student, activity_date)
    if date_message:
        errors["activity_date"] = date_message
    cleaned, detail_errors = clean_details(category, details)
    errors.update({f"detail_{name}": message for name, message in detail_errors.items()})
    for field, error in (
        ("description", description_error(description, required=False)),
        ("link", link_error(link)),
    ):
        if error:
            errors[field] = error
    return cleaned, errors


def _validate(
    student: Student, *, activity_date: dt.date | None, **fields: Any
) -> tuple[dict, dt.date]:
    """R15–R17: the cleaned details and date, or one PortfolioError naming every problem
    (``fields`` as ``performance_errors`` takes them)."""
    cleaned, errors = performance_errors(student, activity_date=activity_date, **fields)
    if errors:
        raise PortfolioError.collected(errors)
    return cleaned, cast(dt.date, activity_date)  # not None: a missing date is one of the errors


def _store_files(
    uploads: list[UploadedFile], student: Student, actor: Any, *, owner: Student | None
) -> list:
    if len(uploads) > MAX_FILES:
        raise PortfolioError(_("證明文件最多 %(n)s 個") % {"n": MAX_FILES}, "files")
    stored = []
    for upload in uploads:
        try:
            stored.append(store_upload(upload, file_rules.PROOF, owner=owner, uploaded_by=actor))
        except EvidenceRejected as exc:
            raise PortfolioError(f"{upload.name}：{exc.message}", "files") from None
    return stored


@bytes_follow_rows
@transaction.atomic
def create_performance(
    student: Student,
    *,
    category: str,
    title: str,
    activity_date: dt.date | None,
    details: dict[str, Any],
    description: str = "",
    link: str = "",
    files: list[UploadedFile] | None = None,
    source: PerformanceSource = PerformanceSource.STUDENT,
    actor: Any,
) -> Performance:
    """Upload a diverse performance (上傳多元表現) for the current academic year.

    The student's own uploads need the school's window open and a place in the quota (R18);
    the school's registrations (R19) need neither.
    """
    cleaned, day = _validate(
        student,
        category=category,
        title=title,
        activity_date=activity_date,
        details=details,
        description=description,
        link=link,
    )
    year = Term.current().academic_year
    if source == PerformanceSource.STUDENT:
        message = window_error(
            window_for(student.school, WindowKind.PERFORMANCE_UPLOAD, year), timezone.localdate()
        )
        if message:
            raise PortfolioError(message)
        lock_student(student)
        check_quota(student, year)
    performance = Performance.objects.create(
        student=student,
        academic_year=year,
        category=category,
        title=title.strip(),
        activity_date=day,
        details=cleaned,
        description=description.strip(),
        link=link,
        state=PerformanceState.SUBMITTED,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    performance.files.set(_store_files(files or [], student, actor, owner=student))
    record(
        "portfolio.performance.create",
        actor=actor,
        obj=performance,
        school=student.school,
        after={
            "category": category,
            "source": source,
            "files": [f.pk for f in performance.files.all()],
        },
    )
    return performance


@bytes_follow_rows
@transaction.atomic
def import_organizer_result(
    organizer: Organizer,
    *,
    record_id: str,
    student: Student,
    category: str,
    title: str,
    activity_date: dt.date | None,
    details: dict[str, Any],
    description: str = "",
    link: str = "",
    files: list[UploadedFile] | None = None,
    key_label: str = "",
) -> tuple[Performance, bool]:
    """Import one result from an external organizer (主辦機構匯入, R19); (performance, created).

    Idempotent by the organizer's own record id: a repeated row returns the existing item.
    Imported items are marked as organizer-verified and do not count toward the student's quota.
    """
    if not record_id.strip():
        raise PortfolioError(_("缺少主辦機構紀錄編號"), "record_id")
    existing = Performance.objects.filter(
        organizer=organizer, organizer_record_id=record_id
    ).first()
    if existing is not None:
        return existing, False
    cleaned, day = _validate(
        student,
        category=category,
        title=title,
        activity_date=activity_date,
        details=details,
        description=description,
        link=link,
    )
    performance = Performance.objects.create(
        student=student,
        academic_year=Term.current().academic_year,
        category=category,
        title=title.strip(),
        activity_date=day,
        details=cleaned,
        description=description.strip(),
        link=link,
        state=PerformanceState.SUBMITTED,
        source=PerformanceSource.ORGANIZER,
        organizer=organizer,
        organizer_record_id=record_id,
    )
    # Files an organizer sends count against no one's storage quota (owner=None).
    performance.files.set(_store_files(files or [], student, None, owner=None))
    record(
        "portfolio.performance.import",
        obj=performance,
        school=student.school,
        actor_label=organizer.audit_label(key_label),
        after={"organizer": organizer.pk, "record_id": record_id, "category": category},
    )
    return performance, True
