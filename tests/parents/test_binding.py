"""R33 parent–child binding (親子綁定), step by step, with every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from licheng.accounts.domain import binding as domain
from licheng.accounts.enums import BindingStatus, Relation, Role, SchoolLevel
from licheng.accounts.models import BindingCode, ParentBinding, User
from licheng.lib import national_id
from licheng.notifications.models import Notification
from tests.factories import make_student

from .helpers import PARENT_NID, make_binding

pytestmark = pytest.mark.django_db
EMAIL = "mom@example.tw"


def _application(student, **overrides):
    values = {
        "verified_email": EMAIL,
        "student": student,
        "relation": Relation.MOTHER,
        "school_level": SchoolLevel.SENIOR_HIGH,
        "statement_accepted": True,
        "parent_national_id": PARENT_NID,
        "parent_name": "陳媽媽",
        "email": EMAIL,
        "phone": "0912345678",
        "signature": "陳媽媽",
    }
    values.update(overrides)
    return domain.submit_application(**values)


# Step 1: the verification code


def test_code_is_emailed_and_only_its_hash_is_kept():
    """R33: the code goes to the parent's e-mail; the database never holds it in clear."""
    code = domain.request_code(" Mom@Example.tw ")

    stored = BindingCode.objects.get()
    assert stored.email == EMAIL
    assert code not in stored.code_hash
    assert stored.expires_at - stored.created_at <= dt.timedelta(hours=1, seconds=1)


def test_code_is_emailed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = domain.request_code(EMAIL)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert code in mail.outbox[0].body


def test_code_verifies_once():
    code = domain.request_code(EMAIL)

    assert domain.verify_code(EMAIL, code) == EMAIL


def test_code_expired_is_refused():
    """R33: a code is valid for one hour only."""
    code = domain.request_code(EMAIL)
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)

    with pytest.raises(domain.BindingError, match="逾時"):
        domain.verify_code(EMAIL, code, now=later)


def test_code_reused_is_refused():
    """R33 (seed 004): once used to enter, the code is void."""
    code = domain.request_code(EMAIL)
    domain.verify_code(EMAIL, code)

    with pytest.raises(domain.BindingError, match="已使用過"):
        domain.verify_code(EMAIL, code)


def test_wrong_code_is_refused():
    code = domain.request_code(EMAIL)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    with pytest.raises(domain.BindingError, match="驗證碼錯誤"):
        domain.verify_code(EMAIL, wrong)


def test_code_for_another_address_is_refused():
    code = domain.request_code(EMAIL)

    with pytest.raises(domain.BindingError, match="驗證碼錯誤"):
        domain.verify_code("dad@example.tw", code)


def test_too_many_wrong_guesses_void_the_code():
    code = domain.request_code(EMAIL)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(domain.CODE_ATTEMPTS - 1):
        with pytest.raises(domain.BindingError):
            domain.verify_code(EMAIL, wrong)
    with pytest.raises(domain.BindingError, match="錯誤次數過多"):
        domain.verify_code(EMAIL, wrong)

    with pytest.raises(domain.BindingError, match="已使用過"):
        domain.verify_code(EMAIL, code)


def test_codes_are_throttled_per_address():
    for _ in range(domain.CODES_PER_HOUR):
        domain.request_code(EMAIL)

    with pytest.raises(domain.BindingError, match="一小時內最多"):
        domain.request_code(EMAIL)
    domain.request_code("dad@example.tw")  # another address is not held back


# Step 2: the child


def test_child_is_found_by_school_level_national_id_and_school(student, school_a):
    found = domain.find_student(
        school=school_a,
        school_level=SchoolLevel.SENIOR_HIGH,
        student_national_id=student.national_id.lower(),
    )

    assert found == student


def test_child_national_id_with_wrong_checksum_is_refused(student, school_a):
    """R33: a national ID whose check digit is wrong is refused before any lookup."""
    nid = student.national_id
    wrong = nid[:-1] + str((int(nid[-1]) + 1) % 10)

    with pytest.raises(domain.BindingError, match="檢查碼錯誤") as refused:
        domain.find_student(
            school=school_a, school_level=SchoolLevel.SENIOR_HIGH, student_national_id=wrong
        )
    assert refused.value.field == "student_national_id"


def test_child_not_found_is_refused(student, school_a):
    stranger = national_id.make("B", 2, "1234567")

    with pytest.raises(domain.BindingError, match="查無此學生"):
        domain.find_student(
            school=school_a, school_level=SchoolLevel.SENIOR_HIGH, student_national_id=stranger
        )


def test_child_at_another_school_is_not_found(student, school_b):
    """The ID must match the school named: no probing which school a child attends."""
    school_b.type = "general"
    school_b.save()

    with pytest.raises(domain.BindingError, match="查無此學生"):
        domain.find_student(
            school=school_b,
            school_level=SchoolLevel.SENIOR_HIGH,
            student_national_id=student.national_id,
        )


def test_school_of_another_level_is_refused(student, school_a):
    with pytest.raises(domain.BindingError, match="不屬於此學層"):
        domain.find_student(
            school=school_a,
            school_level=SchoolLevel.VOCATIONAL,
            student_national_id=student.national_id,
        )


# Steps 3 and 4: the statement, the parent's data, the signature


def test_statement_not_accepted_is_refused(student):
    """R33: the personal-data statement must be accepted before the application is sent."""
    with pytest.raises(domain.BindingError, match="個資使用聲明") as refused:
        _application(student, statement_accepted=False)
    assert refused.value.field == "statement"
    assert not ParentBinding.objects.exists()


def test_signature_must_be_the_full_name(student):
    with pytest.raises(domain.BindingError, match="簽署全名"):
        _application(student, signature="陳")


def test_email_must_be_the_verified_one(student):
    with pytest.raises(domain.BindingError, match="取得驗證碼的信箱"):
        _application(student, email="other@example.tw")


def test_parent_national_id_with_wrong_checksum_is_refused(student):
    wrong = PARENT_NID[:-1] + str((int(PARENT_NID[-1]) + 1) % 10)

    with pytest.raises(domain.BindingError, match="家長身分證統一編號檢查碼錯誤"):
        _application(student, parent_national_id=wrong)


def test_phone_must_look_like_a_taiwanese_number(student):
    with pytest.raises(domain.BindingError, match="電話格式錯誤"):
        _application(student, phone="12345")


def test_unknown_relation_is_refused(student):
    with pytest.raises(domain.BindingError, match="關係"):
        _application(student, relation="uncle")


def test_relation_kinds_follow_seed_004():
    """R33: a legal representative is a father or mother; the others are guardians."""
    assert Relation.FATHER.kind.label == "法定代理人"
    assert Relation.MATERNAL_GRANDMOTHER.kind.label == "監護人"
    assert Relation.OTHER.kind.label == "監護人"


def test_application_waits_for_the_homeroom_teacher(student, teacher):
    """R33: the application is pending and the homeroom teacher is notified."""
    binding = _application(student)

    assert binding.status == BindingStatus.PENDING
    assert binding.parent is None
    note = Notification.objects.get(kind="binding_waiting")
    assert note.recipient == teacher
    assert domain.queue_for(teacher) == [binding]


def test_same_child_twice_is_refused(student):
    _application(student)

    with pytest.raises(domain.BindingError, match="已申請或已綁定"):
        _application(student)
    assert ParentBinding.objects.count() == 1


# The homeroom teacher decides


def test_approval_creates_the_parent_account_with_the_first_password(
    student, teacher, django_capture_on_commit_callbacks
):
    """R33: the parent logs in with the e-mail and the last 6 digits of their national ID, and
    must change that password at first login."""
    binding = _application(student)
    with django_capture_on_commit_callbacks(execute=True):
        domain.approve_binding(binding, teacher=teacher)

    parent = User.objects.get(username=EMAIL)
    assert parent.has_role(Role.PARENT)
    assert parent.must_change_password
    assert not parent.needs_email_verification
    assert parent.check_password(PARENT_NID[-6:])
    assert domain.is_parent_of(parent, student)
    assert any("審核通過" in m.subject and m.to == [EMAIL] for m in mail.outbox)


def test_only_the_childs_homeroom_teacher_may_decide(student, other_teacher, school_admin):
    binding = _application(student)

    for someone in (other_teacher, school_admin):
        with pytest.raises(domain.BindingError, match="導師"):
            domain.approve_binding(binding, teacher=someone)
    binding.refresh_from_db()
    assert binding.status == BindingStatus.PENDING


def test_a_decided_application_cannot_be_decided_again(student, teacher):
    binding = _application(student)
    domain.approve_binding(binding, teacher=teacher)

    with pytest.raises(domain.BindingError, match="已綁定"):
        domain.refuse_binding(binding, teacher=teacher, reason="重複")


def test_refusal_needs_a_reason_and_tells_the_parent(
    student, teacher, django_capture_on_commit_callbacks
):
    binding = _application(student)
    with pytest.raises(domain.BindingError, match="原因"):
        domain.refuse_binding(binding, teacher=teacher, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        domain.refuse_binding(binding, teacher=teacher, reason="家長姓名與學籍資料不符")

    binding.refresh_from_db()
    assert binding.status == BindingStatus.REFUSED
    assert not User.objects.filter(username=EMAIL).exists()
    assert any("家長姓名與學籍資料不符" in m.body for m in mail.outbox)


def test_refused_parent_may_apply_again(student, teacher):
    domain.refuse_binding(_application(student), teacher=teacher, reason="資料有誤")

    again = _application(student)

    assert again.status == BindingStatus.PENDING


def test_one_parent_binds_several_children(school_a, homeroom_class, student, teacher):
    """R33: a second approved child joins the existing account; the password is unchanged."""
    sibling = make_student(school_a, school_class=homeroom_class, name="陳小華")
    domain.approve_binding(_application(student), teacher=teacher)
    parent = User.objects.get(username=EMAIL)
    parent.set_password("Changed-pass-1")
    parent.must_change_password = False
    parent.save()

    domain.approve_binding(_application(sibling), teacher=teacher)

    parent.refresh_from_db()
    assert {c.pk for c in domain.children_of(parent)} == {student.pk, sibling.pk}
    assert parent.check_password("Changed-pass-1")
    assert not parent.must_change_password


def test_a_child_has_several_parents(student, teacher):
    domain.approve_binding(_application(student), teacher=teacher)
    domain.approve_binding(
        _application(
            student,
            verified_email="dad@example.tw",
            email="dad@example.tw",
            relation=Relation.FATHER,
            parent_name="陳爸爸",
            signature="陳爸爸",
            parent_national_id=national_id.make("A", 1, "7654321"),
        ),
        teacher=teacher,
    )

    parents = ParentBinding.objects.filter(student=student, status=BindingStatus.APPROVED)
    assert sorted(b.parent.username for b in parents) == ["dad@example.tw", EMAIL]


# The parent cancels


def test_pending_application_can_be_cancelled(student, teacher):
    """R33: a pending binding can be cancelled; it leaves the teacher's queue."""
    binding = _application(student)

    domain.cancel_binding(binding, email=EMAIL.upper())

    binding.refresh_from_db()
    assert binding.status == BindingStatus.CANCELLED
    assert domain.queue_for(teacher) == []


def test_someone_else_cannot_cancel(student):
    binding = _application(student)

    with pytest.raises(domain.BindingError, match="只能取消"):
        domain.cancel_binding(binding, email="dad@example.tw")


def test_approved_binding_cannot_be_cancelled_as_pending(student, teacher):
    binding = _application(student)
    domain.approve_binding(binding, teacher=teacher)

    with pytest.raises(domain.BindingError, match="只有待審核"):
        domain.cancel_binding(binding, email=EMAIL)


def test_is_parent_of_needs_an_approved_binding(student, parent):
    make_binding(student, parent=parent, status=BindingStatus.PENDING)

    assert not domain.is_parent_of(parent, student)


def test_binding_changes_are_audited(student, teacher):
    from licheng.audit.models import AuditEntry

    binding = _application(student)
    domain.approve_binding(binding, teacher=teacher)

    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "accounts.binding.submit" in actions
    assert "accounts.binding.approve" in actions


def test_codes_are_throttled_per_network_address():
    """Throttled (R33): one address cannot flood many strangers' inboxes with codes."""
    from licheng.audit.context import RequestContext, current

    token = current.set(RequestContext(ip="203.0.113.9"))
    try:
        for n in range(domain.CODES_PER_HOUR_PER_IP):
            domain.request_code(f"p{n}@example.tw")
        with pytest.raises(domain.BindingError, match="連線位址"):
            domain.request_code("one-more@example.tw")
    finally:
        current.reset(token)
    domain.request_code("one-more@example.tw")  # from elsewhere it is fine
