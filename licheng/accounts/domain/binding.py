"""Parent–child binding (親子綁定, R33), following seed 004's four steps.

1. The parent gets a verification code by e-mail: valid one hour, single use, throttled.
2. The parent declares the relation and names the child (school level, national ID, school).
3. The parent accepts the personal-data statement (個資使用聲明).
4. The parent gives their own national ID, name, e-mail and phone and signs with their full name.

The application then waits for the child's homeroom teacher (導師), who approves or refuses it.
Approval creates the parent's account (login = the e-mail; first password = the last six digits of
the parent's national ID, changed at first login) or adds the child to the existing account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from licheng.audit.context import current
from licheng.audit.domain import record
from licheng.lib import events, national_id
from licheng.lib.i18n import in_source_language
from licheng.lib.roc import Term
from licheng.schools.enums import SchoolType, StudentStatus
from licheng.schools.models import School, Student
from licheng.schools.queries import current_class

from ..enums import BindingStatus, Relation, Role, SchoolLevel
from ..models import BindingCode, ParentBinding, User
from .accounts import create_account, grant_role

CODE_LIFETIME = dt.timedelta(hours=1)  # R33: the code is valid for one hour
CODES_PER_HOUR = 3  # throttle: codes one e-mail address may ask for within an hour
CODES_PER_HOUR_PER_IP = 20  # … and one network address, so nobody floods strangers' inboxes
CODE_ATTEMPTS = 5  # wrong guesses before the latest code is voided
CODE_DIGITS = 6
PHONE_RE = re.compile(r"^(09\d{8}|0\d{1,3}-?\d{6,8}(#\d{1,6})?)$")

# Which school types teach at each level (學層): comprehensive and single-subject schools do both.
LEVEL_SCHOOL_TYPES = {
    SchoolLevel.SENIOR_HIGH: {SchoolType.GENERAL, SchoolType.COMPREHENSIVE, SchoolType.SPECIALIZED},
    SchoolLevel.VOCATIONAL: {
        SchoolType.TECHNICAL,
        SchoolType.COMPREHENSIVE,
        SchoolType.SPECIALIZED,
    },
}


class BindingError(ValueError):
    """A refusal with a message for the parent or teacher, naming the field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _code_hash(email: str, code: str) -> str:
    # Keyed, so a copy of the table alone does not give the codes away.
    message = f"{normalize_email(email)}:{code.strip()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def request_code(email: str, *, now: dt.datetime | None = None) -> str:
    """E-mail a new verification code (取得驗證碼) to ``email``; returns the code (for tests)."""
    now = now or timezone.now()
    email = normalize_email(email)
    if not email or "@" not in email:
        raise BindingError("請輸入正確的電子郵件信箱", "email")
    since = now - CODE_LIFETIME
    if BindingCode.objects.filter(email=email, created_at__gte=since).count() >= CODES_PER_HOUR:
        raise BindingError(
            f"一小時內最多可取得 {CODES_PER_HOUR} 次驗證碼，請稍後再試或使用最近收到的驗證碼",
            "email",
        )
    ip = current.get().ip
    if (
        ip
        and BindingCode.objects.filter(requested_from=ip, created_at__gte=since).count()
        >= CODES_PER_HOUR_PER_IP
    ):
        raise BindingError("此連線位址申請驗證碼的次數過多，請一小時後再試", "email")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    BindingCode.objects.create(
        email=email,
        code_hash=_code_hash(email, code),
        expires_at=now + CODE_LIFETIME,
        requested_from=ip or None,
    )
    body = (
        "您好：\n\n"
        f"您的親子綁定驗證碼為：{code}\n"
        "驗證碼 1 小時內有效，使用一次後即失效。若您沒有申請親子綁定，請忽略這封信。\n"
    )
    transaction.on_commit(
        lambda: send_mail("【歷程平臺】親子綁定驗證碼", body, None, [email], fail_silently=False)
    )
    record("accounts.binding.code_sent", actor_label=email, after={"email": email})
    return code


def verify_code(email: str, code: str, *, now: dt.datetime | None = None) -> str:
    """Check a verification code (輸入驗證碼) and use it up; returns the verified address."""
    # The refusal is raised after the transaction commits: a wrong guess must stay counted.
    email = normalize_email(email)
    problem = _use_code(email, code, now or timezone.now())
    if problem:
        raise BindingError(problem, "code")
    return email


@transaction.atomic
def _use_code(email: str, code: str, now: dt.datetime) -> str | None:
    found = (
        BindingCode.objects.select_for_update()
        .filter(email=email, code_hash=_code_hash(email, code))
        .first()
    )
    if found is None:
        latest = (
            BindingCode.objects.select_for_update()
            .filter(email=email, used_at=None)
            .order_by("-created_at")
            .first()
        )
        if latest is not None:
            latest.failed_attempts += 1
            if latest.failed_attempts >= CODE_ATTEMPTS:
                latest.used_at = now  # voided: too many guesses
            latest.save(update_fields=["failed_attempts", "used_at"])
            if latest.used_at is not None:
                return "驗證碼錯誤次數過多，此驗證碼已失效，請重新取得驗證碼"
        return "驗證碼錯誤，請確認信中的 6 位數字"
    if found.used_at is not None:
        return "此驗證碼已使用過，請重新取得驗證碼"
    if found.expires_at <= now:
        return "驗證碼已逾時（有效期 1 小時），請重新取得驗證碼"
    found.used_at = now
    found.save(update_fields=["used_at"])
    record("accounts.binding.code_verified", actor_label=email, after={"email": email})
    return None


def find_student(*, school: School, school_level: str, student_national_id: str) -> Student:
    """The child named in step 2 (輸入學生資訊), or a refusal saying what does not match."""
    problem = national_id.problem(student_national_id)
    if problem:
        raise BindingError(f"學生{problem}", "student_national_id")
    if school_level not in SchoolLevel.values:
        raise BindingError("請選擇學生之學層（高中或高職）", "school_level")
    if school.type not in LEVEL_SCHOOL_TYPES[SchoolLevel(school_level)]:
        raise BindingError("所選學校不屬於此學層，請重新選擇學層或學校", "school")
    student = Student.objects.filter(
        school=school,
        national_id=national_id.normalize(student_national_id),
        status=StudentStatus.ENROLLED,
    ).first()
    if student is None:
        # Same message whether the ID exists elsewhere or not: no probing for who studies where.
        raise BindingError(
            "查無此學生：請確認學生的身分證統一編號與就讀學校是否正確", "student_national_id"
        )
    return student


def homeroom_teachers(student: Student) -> list[User]:
    """Who decides a binding of ``student``: the homeroom teacher of their current class."""
    school_class = current_class(student, Term.current())
    if school_class is None or school_class.homeroom_teacher is None:
        return []
    teacher = school_class.homeroom_teacher
    return [teacher] if teacher.has_role(Role.HOMEROOM, student.school_id) else []


def can_decide(user: Any, binding: ParentBinding) -> bool:
    return bool(user.is_authenticated) and any(
        t.pk == user.pk for t in homeroom_teachers(binding.student)
    )


@transaction.atomic
def submit_application(
    *,
    verified_email: str,
    student: Student,
    relation: str,
    school_level: str,
    statement_accepted: bool,
    parent_national_id: str,
    parent_name: str,
    email: str,
    phone: str,
    signature: str,
) -> ParentBinding:
    """Send the binding application (送出資料); it waits for the homeroom teacher."""
    if not statement_accepted:
        raise BindingError("請先詳閱並勾選同意個資使用聲明", "statement")
    if relation not in Relation.values:
        raise BindingError("請選擇與學生的關係", "relation")
    email = normalize_email(email)
    if email != normalize_email(verified_email):
        raise BindingError("電子郵件須與取得驗證碼的信箱相同", "email")
    problem = national_id.problem(parent_national_id)
    if problem:
        raise BindingError(f"家長{problem}", "parent_national_id")
    nid = national_id.normalize(parent_national_id)
    if nid == student.national_id:
        raise BindingError("家長身分證統一編號不可與學生相同", "parent_national_id")
    parent_name, signature = parent_name.strip(), signature.strip()
    if not parent_name:
        raise BindingError("請填寫家長姓名", "parent_name")
    if signature != parent_name:
        raise BindingError("電子簽名須簽署全名，且與家長姓名相同", "signature")
    phone = phone.strip().replace(" ", "")
    if not PHONE_RE.match(phone):
        raise BindingError("電話格式錯誤：手機請填 09 開頭 10 碼，市話請含區碼", "phone")
    try:
        with transaction.atomic():
            binding = ParentBinding.objects.create(
                student=student,
                relation=relation,
                school_level=school_level,
                parent_name=parent_name,
                parent_national_id=nid,
                email=email,
                phone=phone,
                signature=signature,
                statement_accepted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise BindingError("您已申請或已綁定此學生，請查看目前申請進度", "student") from exc
    record(
        "accounts.binding.submit",
        actor_label=email,
        obj=binding,
        school=student.school,
        after={"relation": relation, "student": student.pk},
    )
    events.request_notification(
        events.BINDING_WAITING,
        f"binding:{binding.pk}",
        homeroom_teachers(student),
        title=(
            f"親子綁定待審核：{student.name} 的{in_source_language(binding.get_relation_display())}"
            f" {parent_name}"
        ),
        url=reverse("web:binding_queue"),
    )
    return binding


def _locked(binding: ParentBinding) -> ParentBinding:
    return ParentBinding.objects.select_for_update().select_related("student").get(pk=binding.pk)


@transaction.atomic
def approve_binding(binding: ParentBinding, *, teacher: User) -> ParentBinding:
    """The homeroom teacher approves (導師審核通過): the parent account is created or reused."""
    binding = _locked(binding)
    if not can_decide(teacher, binding):
        raise BindingError("只有學生目前班級的導師可以審核此申請")
    if binding.status != BindingStatus.PENDING:
        raise BindingError(f"此申請目前為「{binding.get_status_display()}」，無法審核")
    parent, created = _parent_account(binding, actor=teacher)
    binding.parent = parent
    binding.status = BindingStatus.APPROVED
    binding.decided_at = timezone.now()
    binding.decided_by = teacher
    binding.save(update_fields=["parent", "status", "decided_at", "decided_by"])
    record(
        "accounts.binding.approve",
        actor=teacher,
        obj=binding,
        school=binding.student.school,
        before={"status": BindingStatus.PENDING},
        after={"status": BindingStatus.APPROVED, "parent": parent.pk, "new_account": created},
    )
    login = settings.SITE_URL.rstrip("/") + reverse("web:login")
    first = "密碼預設為您身分證統一編號的後 6 碼，第一次登入時系統會要求您變更密碼。\n"
    body = (
        f"{binding.parent_name} 您好：\n\n"
        f"您與 {binding.student.name} 的親子綁定申請已經導師審核通過。\n"
        f"請至 {login} 登入，帳號為您的電子郵件 {binding.email}。\n"
        + (first if created else "請使用您原有的密碼登入。\n")
    )
    _mail_parent(binding.email, "【歷程平臺】親子綁定審核通過", body)
    events.request_notification(
        events.BINDING_DECIDED,
        f"binding:{binding.pk}:approved",
        [parent],
        title=f"親子綁定已通過：{binding.student.name}",
        url=reverse("web:parent_child", args=[binding.student_id]),
    )
    return binding


def _parent_account(binding: ParentBinding, *, actor: User) -> tuple[User, bool]:
    existing = User.objects.filter(username=binding.email).first()
    if existing is not None:
        grant_role(existing, Role.PARENT, school=None, actor=actor)
        return existing, False
    account = create_account(
        username=binding.email,
        full_name=binding.parent_name,
        # seed 004: the first password is the last six digits of the parent's national ID.
        password=binding.parent_national_id[-6:],
        email=binding.email,
        roles=[(Role.PARENT, None)],
        must_change_password=True,
        email_verified=True,  # the verification code already proved the address
        actor=actor,
    )
    return account, True


@transaction.atomic
def refuse_binding(binding: ParentBinding, *, teacher: User, reason: str) -> ParentBinding:
    """The homeroom teacher refuses (導師審核不通過), saying why; the parent is e-mailed."""
    binding = _locked(binding)
    if not can_decide(teacher, binding):
        raise BindingError("只有學生目前班級的導師可以審核此申請")
    if binding.status != BindingStatus.PENDING:
        raise BindingError(f"此申請目前為「{binding.get_status_display()}」，無法審核")
    reason = reason.strip()
    if not reason:
        raise BindingError("請說明未通過的原因，家長會收到這段說明", "reason")
    if len(reason) > 200:
        raise BindingError(f"原因最多 200 字（目前 {len(reason)} 字）", "reason")
    binding.status = BindingStatus.REFUSED
    binding.refusal_reason = reason
    binding.decided_at = timezone.now()
    binding.decided_by = teacher
    binding.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    record(
        "accounts.binding.refuse",
        actor=teacher,
        obj=binding,
        school=binding.student.school,
        before={"status": BindingStatus.PENDING},
        after={"status": BindingStatus.REFUSED, "reason": reason},
    )
    body = (
        f"{binding.parent_name} 您好：\n\n"
        f"您與 {binding.student.name} 的親子綁定申請未通過導師審核。\n原因：{reason}\n\n"
        "如有疑問請與導師聯絡；資料修正後可重新申請。\n"
    )
    _mail_parent(binding.email, "【歷程平臺】親子綁定審核未通過", body)
    return binding


@transaction.atomic
def cancel_binding(binding: ParentBinding, *, email: str) -> ParentBinding:
    """The parent cancels a pending application (取消申請)."""
    binding = _locked(binding)
    if normalize_email(email) != binding.email:
        raise BindingError("只能取消以您的電子郵件送出的申請")
    if binding.status != BindingStatus.PENDING:
        raise BindingError(
            f"此申請目前為「{binding.get_status_display()}」，只有待審核的申請可以取消"
        )
    binding.status = BindingStatus.CANCELLED
    binding.decided_at = timezone.now()
    binding.save(update_fields=["status", "decided_at"])
    record(
        "accounts.binding.cancel",
        actor_label=binding.email,
        obj=binding,
        school=binding.student.school,
        before={"status": BindingStatus.PENDING},
        after={"status": BindingStatus.CANCELLED},
    )
    return binding


def _mail_parent(email: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=False))


def is_parent_of(user: Any, student: Student) -> bool:
    """R33: only an approved binding lets a parent read a child's portfolio."""
    if not getattr(user, "is_authenticated", False):
        return False
    return ParentBinding.objects.filter(
        parent=user, student=student, status=BindingStatus.APPROVED
    ).exists()


def children_of(user: Any) -> list[Student]:
    """The children a parent is bound to (已綁定的學生), in a stable order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Student.objects.filter(
            parent_bindings__parent=user, parent_bindings__status=BindingStatus.APPROVED
        )
        .select_related("school")
        .order_by("school__code", "student_number")
        .distinct()
    )


def applications_for(email: str) -> list[ParentBinding]:
    """Every application sent from ``email`` (目前申請進度), newest first."""
    return list(
        ParentBinding.objects.filter(email=normalize_email(email)).select_related(
            "student", "student__school"
        )
    )


def queue_for(teacher: Any) -> list[ParentBinding]:
    """Pending applications for the classes ``teacher`` is homeroom teacher of this year."""
    if not getattr(teacher, "is_authenticated", False):
        return []
    year = Term.current().academic_year
    return list(
        ParentBinding.objects.filter(
            status=BindingStatus.PENDING,
            student__class_enrolments__school_class__academic_year=year,
            student__class_enrolments__school_class__homeroom_teacher=teacher,
        )
        .select_related("student", "student__school")
        .order_by("submitted_at")
        .distinct()
    )
