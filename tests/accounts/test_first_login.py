"""R31: student login, first password, forced change, e-mail verification, throttling."""

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from licheng.accounts.domain.accounts import AccountError, register_student
from licheng.accounts.models import User
from licheng.accounts.tokens import SALT, make_token
from licheng.audit.models import AuditEntry

NEW_PASSWORD = "Mingde-2026-ok"


@pytest.fixture
def fresh_student(school_a):
    return register_student(
        school_a,
        student_number="1150001",
        national_id_number="a123456789",
        name="陳小明",
        enrolment_date=dt.date(2026, 8, 1),
    )


def _login(client, school_code, account, password):
    return client.post(
        reverse("web:login"), {"school": school_code, "username": account, "password": password}
    )


def test_r31_first_password_is_national_id_with_upper_case_letter(fresh_student):
    user = fresh_student.user
    assert user.check_password("A123456789")
    assert not user.check_password("a123456789")
    assert user.must_change_password


def test_r31_register_student_refuses_bad_national_id(school_a):
    with pytest.raises(AccountError, match="檢查碼錯誤"):
        register_student(
            school_a,
            student_number="1",
            national_id_number="A123456788",
            name="x",
            enrolment_date=dt.date(2026, 8, 1),
        )
    assert not User.objects.filter(username__endswith=":1").exists()


def test_r31_student_logs_in_with_school_and_student_number(fresh_student, school_a):
    client = Client()
    response = _login(client, school_a.code, "1150001", "A123456789")
    assert response.status_code == 302
    # The first thing after login is the forced password change.
    assert client.get(reverse("web:dashboard"))["Location"] == reverse("web:password_change")


def test_r31_login_without_school_does_not_find_student(fresh_student):
    response = _login(Client(), "", "1150001", "A123456789")
    assert response.status_code == 400
    assert "帳號或密碼錯誤" in response.content.decode()


def test_r31_wrong_password_is_refused_and_audited(fresh_student, school_a):
    response = _login(Client(), school_a.code, "1150001", "wrong")
    assert response.status_code == 400
    assert "帳號或密碼錯誤" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.actor_label == f"{school_a.code}:1150001"
    assert "wrong" not in str(entry.before) + str(entry.after)


def test_r31_forced_change_then_email_verification_then_dashboard(
    fresh_student, school_a, django_capture_on_commit_callbacks
):
    client = Client()
    _login(client, school_a.code, "1150001", "A123456789")
    response = client.post(
        reverse("web:password_change"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("web:verify_email_start")
    # Still gated until the e-mail is verified.
    assert client.get(reverse("web:dashboard"))["Location"] == reverse("web:verify_email_start")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:verify_email_start"), {"email": "ming@example.tw"})
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).status_code == 200
    user = User.objects.get(pk=fresh_student.user_id)
    assert user.email == "ming@example.tw" and user.email_verified_at is not None
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.login", "accounts.password.change", "accounts.email.verify"} <= actions


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1", "至少需 8 個字元"),
        ("abcdefgh1", "大寫英文字母"),
        ("ABCDEFGH1", "小寫英文字母"),
        ("Abcdefghij", "數字"),
        ("A123456789xY", "不可包含身分證統一編號"),
        ("Password1", "常見密碼"),
        ("Aa1" + "x" * 70, "最多 64 個字元"),
    ],
)
def test_r31_new_password_breaking_a_clause_is_refused_by_name(
    fresh_student, school_a, password, message
):
    client = Client()
    _login(client, school_a.code, "1150001", "A123456789")
    response = client.post(
        reverse("web:password_change"), {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    user = User.objects.get(pk=fresh_student.user_id)
    assert user.check_password("A123456789") and user.must_change_password


def test_r31_mismatched_confirmation_changes_nothing(fresh_student, school_a):
    client = Client()
    _login(client, school_a.code, "1150001", "A123456789")
    response = client.post(
        reverse("web:password_change"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 400
    assert "兩次輸入的新密碼不一致" in response.content.decode()
    assert User.objects.get(pk=fresh_student.user_id).must_change_password


def test_r31_school_can_raise_but_not_lower_the_minimum_length(fresh_student, school_a):
    from licheng.accounts.validators import policy_problems
    from licheng.schools.domain.policy import PolicyError, policy_of, update_policy

    policy_of(school_a)
    update_policy(school_a, actor=None, password_min_length=12)
    user = User.objects.get(pk=fresh_student.user_id)
    assert any("至少需 12 個字元" in p for p in policy_problems("Mingde-2026", user))
    with pytest.raises(PolicyError, match="6 到 64"):
        update_policy(school_a, actor=None, password_min_length=5)


def test_r31_real_system_floor_accepts_six_characters_when_school_allows(fresh_student, school_a):
    from licheng.accounts.validators import policy_problems
    from licheng.schools.domain.policy import update_policy

    update_policy(school_a, actor=None, password_min_length=6)
    user = User.objects.get(pk=fresh_student.user_id)
    assert policy_problems("Qz7kLm", user) == []


def test_r31_expired_verification_link_is_refused(student, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    token = make_token(student.user_id, "new@example.tw")
    client = Client()
    client.force_login(student.user, backend="licheng.accounts.backends.AccountBackend")
    response = client.get(reverse("web:verify_email", args=[token]))
    assert response.status_code == 400
    assert "已過期" in response.content.decode()
    assert User.objects.get(pk=student.user_id).email != "new@example.tw"


def test_r31_forged_verification_link_is_refused(student):
    forged = signing.dumps({"u": student.user_id, "e": "evil@example.tw"}, salt=SALT + "x")
    response = Client().get(reverse("web:verify_email", args=[forged]))
    assert response.status_code == 400
    assert "驗證連結無效" in response.content.decode()
    assert User.objects.get(pk=student.user_id).email != "evil@example.tw"


def test_r31_verification_link_for_someone_else_is_refused(student, teacher):
    token = make_token(student.user_id, "x@example.tw")
    client = Client()
    client.force_login(teacher, backend="licheng.accounts.backends.AccountBackend")
    response = client.get(reverse("web:verify_email", args=[token]))
    assert response.status_code == 400
    assert User.objects.get(pk=student.user_id).email != "x@example.tw"


def test_r31_repeated_failures_lock_the_account(fresh_student, school_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, school_a.code, "1150001", "wrong")
    response = _login(client, school_a.code, "1150001", "A123456789")
    assert response.status_code == 429
    assert "暫時鎖定" in response.content.decode()


def test_r31_a_few_failures_from_one_address_do_not_lock_other_accounts_there(
    fresh_student, student, school_a, settings
):
    """R31: a school reaches the platform from one address (NAT); five typos by five students
    must not lock out the whole school, deadline day included."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, school_a.code, f"nobody{n}", "wrong")
    assert _login(client, school_a.code, "1150001", "A123456789").status_code == 302


def test_r31_many_failures_from_one_address_lock_that_address_for_other_accounts(
    fresh_student, student, school_a, settings
):
    """R31: guessing one password across many student numbers from one address is stopped once
    the address's failures reach LOGIN_ADDRESS_FAILURE_LIMIT; other addresses are not affected."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(12):
        _login(client, school_a.code, f"nobody{n}", "wrong")
    response = _login(client, school_a.code, "1150001", "A123456789")
    assert response.status_code == 429
    assert (
        _login(
            Client(REMOTE_ADDR="198.51.100.7"), school_a.code, "1150001", "A123456789"
        ).status_code
        == 302
    )


def test_r31_the_lock_follows_the_client_behind_the_load_balancer(
    fresh_student, school_a, settings
):
    """R31: behind the load balancer every request comes from its address; the lock counts the
    client named in X-Forwarded-For, so one student's failures lock neither the balancer's
    address nor anyone else's account."""
    settings.FORWARDED_ALLOW_IPS = "10.0.0.0/8"
    locked = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(locked, school_a.code, "1150001", "wrong")
    assert _login(locked, school_a.code, "1150001", "A123456789").status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.6", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(elsewhere, school_a.code, "1150001", "A123456789").status_code == 302


def test_overlong_username_is_refused_with_a_message(school_a):
    response = _login(Client(), school_a.code, "x" * 200, "whatever")
    assert response.status_code == 400
    assert "150" in response.content.decode()


def test_session_cookie_is_httponly_and_samesite(fresh_student, school_a):
    client = Client()
    response = _login(client, school_a.code, "1150001", "A123456789")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_password_reset_sends_link_that_sets_a_policy_password(student):
    student.user.email = "reset@example.tw"
    student.user.save()
    client = Client()
    client.post(reverse("web:password_reset"), {"email": "reset@example.tw"})
    assert len(mail.outbox) == 1
    path = re.search(r"http://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "至少需 8 個字元" in weak.content.decode()
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(pk=student.user_id).check_password(NEW_PASSWORD)
