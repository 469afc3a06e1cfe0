"""Course learning outcomes (課程學習成果): upload, submit, certify, return, resubmit (R9–R14, R37)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record, written_together
from licheng.curriculum.models import Course
from licheng.evidence import rules as file_rules
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.evidence.domain.validation import EvidenceRejected
from licheng.evidence.models import StoredFile
from licheng.lib import events
from licheng.lib.i18n import in_source_language
from licheng.lib.rows import insert_new
from licheng.schools.domain.locks import lock_student
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import SchoolPolicy, Student, Window

from ..enums import KeptReason, OutcomeState, ReturnReason
from ..models import LearningOutcome, ProxyCertifier
from ..rules import description_error, window_error
from . import PortfolioError
from .admission import UploadAdmission, upload_admission
from .history import keep_item_files

EDITABLE_STATES = (OutcomeState.DRAFT, OutcomeState.RETURNED)


def check_upload_window(student: Student, course: Course) -> None:
    """R12: uploads happen only inside the school's window for the course's semester."""
    _refuse_outside(
        window_for(student.school, WindowKind.OUTCOME_UPLOAD, course.academic_year, course.semester)
    )


def _refuse_outside(window: Window) -> None:
    message = window_error(window, timezone.localdate())
    if message:
        raise PortfolioError(message)


def _refuse_over_quota(policy: SchoolPolicy, term_count: int, course_count: int) -> None:
    """R11: the school's per-semester limit and optional per-course limit.

    Outcomes brought from the previous school (R38) were uploaded there: they use no place here
    (``term_count`` and ``course_count`` leave them out).
    """
    if term_count >= policy.outcomes_per_semester:
        raise PortfolioError(
            _("本學期已上傳 %(n)s 件，已達學校規定的每學期 %(limit)s 件上限")
            % {"n": term_count, "limit": policy.outcomes_per_semester}
        )
    per_course = policy.outcomes_per_course
    if per_course and course_count >= per_course:
        raise PortfolioError(
            _("此課程已達學校規定的每門課 %(limit)s 件上限") % {"limit": per_course}, "course"
        )


def _refuse_unless_enrolled(student: Student, course: Course | None, enrolled: bool) -> Course:
    """R9: one credit-bearing course the student took that semester."""
    if course is None or course.school_id != student.school_id or course.credits <= 0:
        enrolled = False
    if course is None or not enrolled:
        raise PortfolioError(_("只能選擇本學期修習且有學分的課程"), "course")
    return course


def _store(
    upload: UploadedFile | None,
    kind_rules,
    field: str,
    student: Student,
    actor: Any,
    admission: UploadAdmission | None = None,
    used: int = 0,
) -> StoredFile | None:
    """Keep one file of an outcome; ``admission`` given means the caller holds the student's lock
    and ``used`` is what the student's files take by now."""
    if upload is None:
        return None
    try:
        return store_upload(
            upload,
            kind_rules,
            owner=student,
            uploaded_by=actor,
            owner_locked=admission is not None,
            policy=admission.policy if admission else None,
            used=used if admission else None,
        )
    except EvidenceRejected as exc:
        raise PortfolioError(exc.message, field) from None


@bytes_follow_rows
@transaction.atomic
@written_together()  # the file's entry and the outcome's, one INSERT (deadline day)
def create_outcome(
    student: Student,
    *,
    course: Course | int,
    title: str,
    description: str,
    document: UploadedFile | None = None,
    media: UploadedFile | None = None,
    submit: bool = True,
    actor: Any,
) -> LearningOutcome:
    """Upload an outcome (上傳課程學習成果) and, unless kept as a draft, send it for certification.

    ``course`` may be just the id a form sent: the course is read, and checked (R9), with the rest.
    """
    _check_text(title, description)
    if document is None and media is None:
        raise PortfolioError(_("請上傳文件檔或影音檔（至少一個）"), "document")
    # Locked so two simultaneous uploads cannot both take the last place of the quota (R11, R34);
    # what the upload is checked against is read after the lock, in one query (admission.py).
    lock_student(student)
    admission = upload_admission(student, course)
    course = _refuse_unless_enrolled(student, admission.course, admission.enrolled)  # R9
    _refuse_outside(admission.window)  # R12
    _refuse_over_quota(admission.policy, admission.term_count, admission.course_count)  # R11
    stored_document = _store(
        document, file_rules.DOCUMENT, "document", student, actor, admission, admission.used_bytes
    )
    used = admission.used_bytes + (stored_document.size if stored_document else 0)
    outcome = LearningOutcome(
        student=student,
        course=course,
        academic_year=course.academic_year,
        semester=course.semester,
        title=title.strip(),
        description=description.strip(),
        document=stored_document,
        media=_store(media, file_rules.MEDIA, "media", student, actor, admission, used),
        state=OutcomeState.SUBMITTED if submit else OutcomeState.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    insert_new(outcome)  # every upload: the statement written once (lib/rows.py)
    record(
        "portfolio.outcome.create",
        actor=actor,
        obj=outcome,
        school=student.school,
        after={
            "state": outcome.state,
            "course": course.code,
            "files": [f.pk for f in outcome.files],
        },
    )
    return outcome


def _check_text(title: str, description: str) -> None:
    if not title.strip():
        raise PortfolioError(_("請填寫成果名稱"), "title")
    if len(title.strip()) > 60:
        raise PortfolioError(_("成果名稱超過 60 字上限"), "title")
    error = description_error(description)
    if error:
        raise PortfolioError(error, "description")


@bytes_follow_rows
@transaction.atomic
def revise_outcome(
    outcome: LearningOutcome,
    *,
    title: str,
    description: str,
    document: UploadedFile | None = None,
    media: UploadedFile | None = None,
    submit: bool = True,
    actor: Any,
) -> LearningOutcome:
    """Fix a draft or a returned outcome and (re)submit it (修正後重新送出, R13), inside the window.

    A replaced file is not deleted: it is kept as a ReplacedFile until the school purges it.
    """
    outcome = LearningOutcome.objects.select_for_update().get(pk=outcome.pk)
    if outcome.course is None:
        # R38, R13: only the course's teacher certifies, and that course is the previous school's.
        raise PortfolioError(_("轉學帶入的成果屬於原學校的課程，不能在本校修改或送出認證"))
    if outcome.state not in EDITABLE_STATES:
        raise PortfolioError(_("此成果已送出或已認證，不能修改"))
    check_upload_window(outcome.student, outcome.course)
    _check_text(title, description)
    before = {
        "state": outcome.state,
        "title": outcome.title,
        "description": outcome.description,
        "document": outcome.document_id,
        "media": outcome.media_id,
    }
    new_document = _store(document, file_rules.DOCUMENT, "document", outcome.student, actor)
    new_media = _store(media, file_rules.MEDIA, "media", outcome.student, actor)
    for old, new in ((outcome.document, new_document), (outcome.media, new_media)):
        if old is not None and new is not None:
            keep_item_files([old], item=outcome, reason=KeptReason.REPLACED, actor=actor)
    outcome.title, outcome.description = title.strip(), description.strip()
    outcome.document = new_document or outcome.document
    outcome.media = new_media or outcome.media
    if submit:
        outcome.state = OutcomeState.SUBMITTED
        outcome.submitted_at = timezone.now()
    outcome.save()
    record(
        "portfolio.outcome.revise",
        actor=actor,
        obj=outcome,
        school=outcome.student.school,
        before=before,
        after={
            "state": outcome.state,
            "title": outcome.title,
            "description": outcome.description,
            "document": outcome.document_id,
            "media": outcome.media_id,
        },
    )
    return outcome


def draft_delete_error(outcome: LearningOutcome) -> str:
    """Why the student may not delete this outcome now, or "" when they may.

    Only a draft (草稿) is deleted. A returned outcome is not, though it too takes a place
    (R11): R13 gives the student its remedy, to fix it and resubmit inside the window, and
    its place is not lost, since fixing may replace its files, title and description with
    another work of the same course. It is also the teacher's decision on work the teacher
    has seen (the return and its reason stay on the teacher's queue), which deleting the
    item would take away; submitted and certified outcomes are the teacher's to act on or
    already part of what the student may select (R14).
    """
    course = outcome.course
    if course is None:
        # R38: brought from the previous school; it is that school's record and uses no place.
        return _("轉學帶入的成果是原學校的紀錄，不能刪除")
    if outcome.state == OutcomeState.RETURNED:
        return _("被退回的成果不能刪除，請修正後重新送出")
    if outcome.state != OutcomeState.DRAFT:
        return _("只有草稿可以刪除；已送出認證或已認證的成果不能刪除")
    # R12: the window bounds every change to the semester's outcomes, as it bounds editing and
    # deleting a performance; once it closes a freed place could not be used anyway.
    window = window_for(
        outcome.student.school, WindowKind.OUTCOME_UPLOAD, course.academic_year, course.semester
    )
    return window_error(window, timezone.localdate()) or ""


@transaction.atomic
def delete_draft_outcome(outcome: LearningOutcome, *, actor: Any) -> None:
    """Delete one's own draft (刪除草稿), which gives its place of the semester back (R11).

    As for a deleted performance, its stored files are not deleted: they are kept as history
    (ReplacedFile, with the item's title) until a school administrator purges them, and their
    ids and SHA-256 are in the audit entry; files it had replaced earlier stay kept, no longer
    linked to the item.
    """
    outcome = (
        # Only the outcome row: the course join is an outer one (R38) and PostgreSQL cannot lock
        # the nullable side of an outer join.
        LearningOutcome.objects.select_for_update(of=("self",))
        .select_related("student__school", "course", "document", "media")
        .get(pk=outcome.pk)
    )
    if outcome.student.user_id != getattr(actor, "pk", None):
        raise PortfolioError(_("只能刪除自己的課程學習成果"))
    message = draft_delete_error(outcome)
    if message:
        raise PortfolioError(message)
    files = outcome.files
    keep_item_files(files, item=outcome, reason=KeptReason.ITEM_DELETED, actor=actor)
    record(
        "portfolio.outcome.delete",
        actor=actor,
        obj=outcome,
        school=outcome.student.school,
        before={
            "state": outcome.state,
            "course": outcome.course.code if outcome.course else "",
            "term": [outcome.academic_year, outcome.semester],
            "title": outcome.title,
            "description": outcome.description,
            "files": [{"id": str(f.pk), "sha256": f.sha256, "size": f.size} for f in files],
        },
    )
    outcome.delete()


def may_certify(user: Any, course: Course) -> bool:
    """R13, R37: the course's teacher, or the proxy certifier (代理人) the school named for it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if course.teachers.filter(pk=user.pk).exists():
        return True
    return ProxyCertifier.objects.filter(course=course, teacher=user).exists()


def _lock_for_certifier(outcome_ids: Iterable[int], teacher: Any) -> list[LearningOutcome]:
    outcomes = list(
        # Only the outcome rows: the course join is an outer one (a transferred outcome has none,
        # R38) and PostgreSQL cannot lock the nullable side of an outer join.
        LearningOutcome.objects.select_for_update(of=("self",))
        .filter(pk__in=list(outcome_ids))
        .select_related("course", "student__school")
        .order_by("pk")
    )
    for course in {o.course for o in outcomes}:
        if course is None or not may_certify(teacher, course):
            raise PortfolioError(_("您不是此課程的任課教師或代理人"))
    return outcomes


@transaction.atomic
def certify_outcomes(outcome_ids: Iterable[int], *, teacher: Any) -> list[LearningOutcome]:
    """Certify one or many submitted outcomes at once (認證 / 批次認證, R13, R37).

    Certification confirms only that the work is the student's own and was made in this course.
    Outcomes no longer waiting (already certified, returned meanwhile) are skipped, not failed.
    """
    certified = []
    now = timezone.now()
    for outcome in _lock_for_certifier(outcome_ids, teacher):
        if outcome.state != OutcomeState.SUBMITTED:
            continue
        outcome.state = OutcomeState.CERTIFIED
        outcome.certified_at, outcome.certified_by = now, teacher
        outcome.return_reason, outcome.return_note = "", ""
        outcome.save(
            update_fields=[
                "state",
                "certified_at",
                "certified_by",
                "return_reason",
                "return_note",
                "updated_at",
            ]
        )
        record(
            "portfolio.outcome.certify",
            actor=teacher,
            obj=outcome,
            school=outcome.student.school,
            before={"state": OutcomeState.SUBMITTED},
            after={"state": OutcomeState.CERTIFIED},
        )
        certified.append(outcome)
    return certified


def certify_outcome(outcome: LearningOutcome, *, teacher: Any) -> LearningOutcome:
    done = certify_outcomes([outcome.pk], teacher=teacher)
    if not done:
        raise PortfolioError(_("此成果不在待認證狀態"))
    return done[0]


@transaction.atomic
def return_outcome(
    outcome: LearningOutcome, *, teacher: Any, reason: str, note: str = ""
) -> LearningOutcome:
    """Return an outcome to the student (退回, R13) with one of the allowed reasons.

    R13: never for grade or quality; "other" must be explained in the note.
    """
    if reason not in ReturnReason.values:
        raise PortfolioError(_("請選擇退回原因"), "reason")
    note = note.strip()
    if reason == ReturnReason.OTHER and not note:
        raise PortfolioError(_("選擇「其他」時須說明退回原因"), "note")
    if len(note) > 200:
        raise PortfolioError(_("退回說明超過 200 字上限"), "note")
    (outcome,) = _lock_for_certifier([outcome.pk], teacher)
    if outcome.state != OutcomeState.SUBMITTED:
        raise PortfolioError(_("此成果不在待認證狀態"))
    outcome.state = OutcomeState.RETURNED
    outcome.return_reason, outcome.return_note = reason, note
    outcome.save(update_fields=["state", "return_reason", "return_note", "updated_at"])
    record(
        "portfolio.outcome.return",
        actor=teacher,
        obj=outcome,
        school=outcome.student.school,
        before={"state": OutcomeState.SUBMITTED},
        after={"state": OutcomeState.RETURNED, "reason": reason, "note": note},
    )
    # The student is told (站內通知, e-mail by their choice); each return is its own event.
    events.request_notification(
        events.OUTCOME_RETURNED,
        f"outcome:{outcome.pk}:returned:{outcome.updated_at.isoformat()}",
        [outcome.student.user],
        title=f"課程學習成果被退回：{outcome.title}",
        body=_return_notice(reason, note),
        url=reverse("web:outcome", args=[outcome.pk]),
    )
    return outcome


def _return_notice(reason: str, note: str) -> str:
    """The student's notice of a return: the reason, the teacher's note, what to do — one full
    stop between them, whatever the note ended with (kept in zh-Hant, lib/i18n.py)."""
    note = note.strip().rstrip("。.．！!？?；;，,、 ")
    said = in_source_language(ReturnReason(reason).label) + (f"：{note}" if note else "")
    return f"{said}。請於上傳期限內修正後重新送出。"


@transaction.atomic
def name_proxy_certifier(course: Course, *, teacher: Any, actor: Any) -> ProxyCertifier:
    """The school names a proxy certifier (代理人) for a course whose teacher is absent (R37).

    The proxy certifies in place of the course's teacher, so it is another teacher of the school:
    never one of the course's own teachers, who may certify already (R13).
    """
    from licheng.accounts.enums import Role

    if not teacher.has_role(Role.TEACHER, course.school_id):
        raise PortfolioError(_("代理人須為本校教師"), "teacher")
    if course.teachers.filter(pk=teacher.pk).exists():
        raise PortfolioError(
            _("%(teacher)s 是「%(course)s」的任課教師，不能擔任自己的代理人")
            % {"teacher": teacher.full_name, "course": course.name},
            "teacher",
        )
    proxy, created = ProxyCertifier.objects.get_or_create(
        course=course, teacher=teacher, defaults={"named_by": actor}
    )
    if created:
        record(
            "portfolio.proxy.name",
            actor=actor,
            obj=proxy,
            school=course.school,
            after={"course": course.code, "teacher": teacher.pk},
        )
    return proxy


@transaction.atomic
def remove_proxy_certifier(proxy: ProxyCertifier, *, actor: Any) -> None:
    record(
        "portfolio.proxy.remove",
        actor=actor,
        obj=proxy,
        school=proxy.course.school,
        before={"teacher": proxy.teacher_id},
    )
    proxy.delete()
