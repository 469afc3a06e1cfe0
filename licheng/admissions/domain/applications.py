"""The student's side (考生): register with consent, build each application, preview, submit.

R27 (items per department), R28 (caps), R29 (documents D1–D3), R39 (consent, preview, snapshot).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from licheng.audit.domain import record
from licheng.central.domain.archive import (
    SealedError,
    ensure_releasable,
    note_admission_application,
)
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.lib.i18n import in_source_language
from licheng.lib.text import char_count
from licheng.portfolio.domain.history import keep_files
from licheng.portfolio.enums import KeptItemKind, KeptReason
from licheng.schools.models import Student

from .. import files
from ..enums import ApplicationState, ChannelKind, ItemKind, ItemOrigin, RequiredItem
from ..models import Application, ApplicationItem, Channel, Department, Registration
from ..sources import PortfolioItem, central_student_for, portfolio_items
from . import AdmissionError
from .caps import cap_errors, caps_for, minimum_errors

# R29
D1_MAX_CHARS = 800
D1_MAX_IMAGES = 3
# A statement part is free text; a bound keeps a package readable (and the PDF small).
D2_PART_MAX_CHARS = 3000
MAX_OTHER_DOCUMENTS = 5
MAX_SELF_PORTFOLIO_FILES = 20
CONSENT_STATEMENT = (
    "本人同意學習歷程中央資料庫將本人勾選之學習歷程資料，連同本人於招生報名平臺上傳之資料，"
    "提供予本人申請之校系作為審查之用。未經本人同意，資料不會釋出。"
)
PACKAGE_FORMAT = "licheng.admission-package/1"

UPLOAD_RULES: dict[str, tuple[tuple[str, ...], int]] = {
    ItemKind.D1_IMAGE: (("image/png", "image/jpeg"), files.MAX_DOCUMENT_BYTES),
    ItemKind.FORM_A: (("application/pdf",), files.MAX_DOCUMENT_BYTES),
    ItemKind.FORM_B: (("application/pdf",), files.MAX_DOCUMENT_BYTES),
    ItemKind.OTHER_DOCUMENT: (
        ("application/pdf", "image/png", "image/jpeg"),
        files.MAX_DOCUMENT_BYTES,
    ),
    ItemKind.SELF_PORTFOLIO: (("application/pdf",), files.MAX_PORTFOLIO_PDF_BYTES),
}
UPLOAD_LIMITS = {
    ItemKind.D1_IMAGE: D1_MAX_IMAGES,
    ItemKind.FORM_A: 1,
    ItemKind.FORM_B: 1,
    ItemKind.OTHER_DOCUMENT: MAX_OTHER_DOCUMENTS,
    ItemKind.SELF_PORTFOLIO: MAX_SELF_PORTFOLIO_FILES,
}


def _check_registration_open(channel: Channel) -> None:
    today = timezone.localdate()
    opens, closes = channel.registration_opens_on, channel.registration_closes_on
    if (opens and today < opens) or (closes and today > closes):
        raise AdmissionError(
            gettext("%(channel)s不在報名期間內") % {"channel": channel.get_kind_display()}
        )


@transaction.atomic
def register(student: Student, channel: Channel, *, consent: bool, actor: Any) -> Registration:
    """Register for a channel (報名). R39: only with consent to release; without it, nothing."""
    if not consent:
        raise AdmissionError(
            gettext("須勾選同意授權，中央資料庫才能將學習歷程資料提供給申請校系"),
            field="consent",
        )
    _check_registration_open(channel)
    central = central_student_for(student)
    registration, created = Registration.objects.get_or_create(
        student=student,
        channel=channel,
        defaults={
            "consented_at": timezone.now(),
            "consent_statement": CONSENT_STATEMENT,
            "has_central_portfolio": bool(portfolio_items(student)),
        },
    )
    if created and central is not None:
        # R26: the central repository's five-year archive clock starts at the first application.
        note_admission_application(central, on=timezone.localdate(), actor=actor)
    if created:
        record(
            "admissions.registered",
            actor=actor,
            obj=registration,
            school=student.school,
            after={"channel": str(channel), "consent": registration.consented_at.isoformat()},
        )
    return registration


@transaction.atomic
def start_application(
    registration: Registration, department: Department, *, actor: Any
) -> Application:
    """Apply to one department of the registered channel (選填校系)."""
    if department.channel_id != registration.channel_id:
        raise AdmissionError(gettext("此校系不屬於您報名的管道"), field="department")
    application, created = Application.objects.get_or_create(
        registration=registration, department=department
    )
    if created:
        record(
            "admissions.application_started",
            actor=actor,
            obj=application,
            school=registration.student.school,
            after={"department": str(department)},
        )
    return application


def _editable(application: Application) -> None:
    if application.is_submitted:
        raise AdmissionError(gettext("已確認送出的申請資料不可再修改"))
    _check_registration_open(application.department.channel)


@transaction.atomic
def pick_items(
    application: Application,
    refs: Iterable[str],
    *,
    actor: Any,
    available: list[PortfolioItem] | None = None,
) -> list[ApplicationItem]:
    """Pick the central-record items this department receives (R27), under its caps (R28).

    Replaces the earlier pick; each department's pick is its own, so departments can differ.
    """
    _editable(application)
    student = application.registration.student
    by_ref = {p.ref: p for p in (available if available is not None else portfolio_items(student))}
    wanted = list(dict.fromkeys(refs))
    unknown = [r for r in wanted if r not in by_ref]
    if unknown:
        raise AdmissionError(gettext("所選項目不在您的中央資料庫紀錄中"), field="items")
    chosen = [by_ref[r] for r in wanted]
    errors = cap_errors(caps_for(application.department), [p.kind for p in chosen])
    if errors:
        raise AdmissionError(errors[0], field="items", messages=errors)
    before = sorted(
        application.items.filter(origin=ItemOrigin.CENTRAL).values_list("source_ref", flat=True)
    )
    application.items.filter(origin=ItemOrigin.CENTRAL).delete()
    items = [
        ApplicationItem.objects.create(
            application=application,
            kind=p.kind,
            origin=ItemOrigin.CENTRAL,
            source_ref=p.ref,
            title=p.title,
            description=p.description,
            detail=p.detail,
            file_path=p.file_path,
            file_name=p.file_name,
            content_type=p.content_type,
            size=p.size,
            sha256=p.sha256,
            link=p.link,
            central_item_id=p.central_item_id,
            order=i,
        )
        for i, p in enumerate(chosen)
    ]
    record(
        "admissions.items_picked",
        actor=actor,
        obj=application,
        school=student.school,
        before={"items": before},
        after={"items": wanted},
    )
    return items


def document_errors(*, d1_text: str, d2_parts: dict[str, str]) -> dict[str, str]:
    """R29: D1 ≤ 800 characters; D2 parts bounded. Field → message."""
    errors = {}
    if char_count(d1_text) > D1_MAX_CHARS:
        errors["d1_text"] = gettext("多元表現綜整心得最多 %(limit)s 字（目前 %(count)s 字）") % {
            "limit": D1_MAX_CHARS,
            "count": char_count(d1_text),
        }
    for name, text in d2_parts.items():
        if char_count(text) > D2_PART_MAX_CHARS:
            errors[name] = gettext("最多 %(limit)s 字（目前 %(count)s 字）") % {
                "limit": D2_PART_MAX_CHARS,
                "count": char_count(text),
            }
    return errors


@transaction.atomic
def save_documents(
    application: Application,
    *,
    d1_text: str,
    d2_reflection: str,
    d2_motivation: str,
    d2_plan: str,
    actor: Any,
) -> Application:
    """Save D1 (多元表現綜整心得) and D2 (學習歷程自述: reflection, motivation, plan)."""
    _editable(application)
    values = {
        "d1_text": d1_text.strip(),
        "d2_reflection": d2_reflection.strip(),
        "d2_motivation": d2_motivation.strip(),
        "d2_plan": d2_plan.strip(),
    }
    errors = document_errors(
        d1_text=values["d1_text"], d2_parts={k: v for k, v in values.items() if k != "d1_text"}
    )
    if errors:
        field, message = next(iter(errors.items()))
        raise AdmissionError(message, field=field, messages=list(errors.values()))
    changed = [k for k, v in values.items() if getattr(application, k) != v]
    for k, v in values.items():
        setattr(application, k, v)
    application.save(update_fields=list(values))
    if changed:
        record(
            "admissions.documents_saved",
            actor=actor,
            obj=application,
            school=application.registration.student.school,
            after={"fields": changed},
        )
    return application


@bytes_follow_rows
@transaction.atomic
def add_upload(
    application: Application,
    kind: ItemKind,
    upload: IO[bytes],
    *,
    name: str,
    title: str,
    actor: Any,
) -> ApplicationItem:
    """Upload a D1 image, a D3 form or document, or (without a central portfolio) a portfolio PDF.

    Everything uploaded here is shown to reviewers as not certified (R39).
    """
    _editable(application)
    if kind not in UPLOAD_RULES:
        raise AdmissionError(gettext("此類別不能上傳檔案"), field="kind")
    limit = UPLOAD_LIMITS[kind]
    if application.items.filter(kind=kind).count() >= limit:
        raise AdmissionError(
            gettext("「%(kind)s」最多 %(limit)s 個檔案")
            % {"kind": ItemKind(kind).label, "limit": limit},
            field="file",
        )
    allowed, max_bytes = UPLOAD_RULES[kind]
    try:
        stored = files.store(
            upload,
            name=name,
            allowed=allowed,
            max_bytes=max_bytes,
            owner=application.registration.student,
            uploaded_by=actor,
        )
    except files.FileRejected as exc:
        raise AdmissionError(str(exc), field="file") from None
    item = ApplicationItem.objects.create(
        application=application,
        kind=kind,
        origin=ItemOrigin.UPLOADED,
        title=(title.strip() or in_source_language(ItemKind(kind).label))[:120],
        file_path=stored.path,
        file_name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        stored_file=stored.stored_file,
        order=100 + application.items.count(),
    )
    record(
        "admissions.file_uploaded",
        actor=actor,
        obj=application,
        school=application.registration.student.school,
        after={"kind": kind, "name": stored.name, "sha256": stored.sha256},
    )
    return item


@transaction.atomic
def remove_item(item: ApplicationItem, *, actor: Any) -> None:
    """Take an item off a draft application; an uploaded file is kept (舊版檔案), not dropped."""
    application = item.application
    _editable(application)
    if item.stored_file is not None:
        keep_files(
            [item.stored_file],
            student=application.registration.student,
            kind=KeptItemKind.APPLICATION_UPLOAD,
            item_pk=item.pk,
            title=item.title,
            reason=KeptReason.ITEM_DELETED,
            actor=actor,
        )
    record(
        "admissions.item_removed",
        actor=actor,
        obj=application,
        school=application.registration.student.school,
        before={"kind": item.kind, "title": item.title, "sha256": item.sha256},
    )
    item.delete()


def _item_entry(item: ApplicationItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "kind_label": in_source_language(ItemKind(item.kind).label),  # kept: the snapshot
        "origin": item.origin,
        "certified": item.certified,
        "title": item.title,
        "description": item.description,
        "detail": item.detail,
        "link": item.link,
        "file": {
            "path": item.file_path,
            "name": item.file_name,
            "content_type": item.content_type,
            "size": item.size,
            "sha256": item.sha256,
        }
        if item.file_path
        else None,
    }


def build_manifest(application: Application) -> dict[str, Any]:
    """Exactly what the department receives: the preview shows it, submitting freezes it (R39)."""
    registration = application.registration
    student = registration.student
    department = application.department
    channel = department.channel
    return {
        "format": PACKAGE_FORMAT,
        "year": channel.year.year,
        "channel": {
            "kind": channel.kind,
            "label": in_source_language(ChannelKind(channel.kind).label),
        },
        "department": {
            "code": department.code,
            "university": department.university,
            "name": department.name,
        },
        "applicant": {"name": student.name, "school": student.school.name},
        # Picked central items prove a central record even if it arrived after registering.
        "has_central_portfolio": registration.has_central_portfolio
        or application.items.filter(origin=ItemOrigin.CENTRAL).exists(),
        "d1": {"text": application.d1_text},
        "d2": {
            "reflection": application.d2_reflection,
            "motivation": application.d2_motivation,
            "plan": application.d2_plan,
        },
        "items": [_item_entry(i) for i in application.items.order_by("order", "pk")],
    }


def missing_required(application: Application, manifest: dict[str, Any]) -> list[str]:
    """The department's required items the application lacks (R28: required or optional)."""
    kinds = [i["kind"] for i in manifest["items"]]
    present = {
        RequiredItem.OUTCOMES: ItemKind.OUTCOME in kinds or ItemKind.PROJECT_OUTCOME in kinds,
        RequiredItem.PROJECT_OUTCOMES: ItemKind.PROJECT_OUTCOME in kinds,
        RequiredItem.PERFORMANCES: ItemKind.PERFORMANCE in kinds,
        RequiredItem.D1: bool(manifest["d1"]["text"]),
        RequiredItem.D2: all(manifest["d2"].values()),
        RequiredItem.FORM_A: ItemKind.FORM_A in kinds,
        RequiredItem.FORM_B: ItemKind.FORM_B in kinds,
    }
    # Without a central portfolio, the uploaded PDFs stand in for the picked items (R39).
    if not manifest["has_central_portfolio"] and ItemKind.SELF_PORTFOLIO in kinds:
        for key in (
            RequiredItem.OUTCOMES,
            RequiredItem.PROJECT_OUTCOMES,
            RequiredItem.PERFORMANCES,
        ):
            present[key] = True
    return [
        gettext("缺少必繳項目「%(item)s」") % {"item": r.label}
        for r in RequiredItem
        if r.value in application.department.required_items and not present[r]
    ]


def submission_errors(application: Application, manifest: dict[str, Any]) -> list[str]:
    kinds = [i["kind"] for i in manifest["items"]]
    caps = caps_for(application.department)
    errors = missing_required(application, manifest) + cap_errors(caps, kinds)
    if manifest["has_central_portfolio"]:
        errors += minimum_errors(caps, kinds)
    elif ItemKind.SELF_PORTFOLIO not in kinds:
        errors.append(gettext("沒有中央資料庫學習歷程的考生，請上傳學習歷程資料 PDF"))
    if char_count(manifest["d1"]["text"]) > D1_MAX_CHARS:
        errors.append(gettext("多元表現綜整心得最多 %(limit)s 字") % {"limit": D1_MAX_CHARS})
    return errors


@transaction.atomic
def submit(application: Application, *, actor: Any) -> Application:
    """Confirm and release (確認送出): the package becomes a frozen snapshot (R39)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _editable(application)
    central = central_student_for(application.registration.student)
    if central is not None and application.items.filter(origin=ItemOrigin.CENTRAL).exists():
        try:
            ensure_releasable(central)  # R26: sealed data is no longer released
        except SealedError as exc:
            raise AdmissionError(str(exc)) from None
    manifest = build_manifest(application)
    errors = submission_errors(application, manifest)
    if errors:
        raise AdmissionError(errors[0], messages=errors)
    now = timezone.now()
    manifest["submitted_at"] = now.isoformat()
    encoded = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
    application.snapshot = manifest
    application.snapshot_sha256 = hashlib.sha256(encoded).hexdigest()
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["snapshot", "snapshot_sha256", "state", "submitted_at"])
    record(
        "admissions.released",
        actor=actor,
        obj=application,
        school=application.registration.student.school,
        after={"items": len(manifest["items"]), "sha256": application.snapshot_sha256},
    )
    return application
