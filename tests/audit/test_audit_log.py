"""Audit (R35): who did what, from where; each administrator sees their own scope."""

from django.test import Client
from django.urls import reverse

from licheng.audit.domain import record
from licheng.audit.models import AuditEntry


def test_login_and_logout_are_audited_with_address(student, school_a):
    from tests.factories import PASSWORD

    client = Client(REMOTE_ADDR="192.0.2.5")
    client.post(
        reverse("web:login"),
        {"school": school_a.code, "username": student.student_number, "password": PASSWORD},
    )
    client.post(reverse("web:logout"))
    login = AuditEntry.objects.get(action="accounts.login")
    assert login.actor == student.user and login.ip == "192.0.2.5" and login.request_id
    assert AuditEntry.objects.filter(action="accounts.logout", actor=student.user).exists()


def test_school_admin_sees_only_own_school_entries(login, school_admin, school_a, school_b):
    record("test.a", actor=None, school=school_a, actor_label="a-side")
    record("test.b", actor=None, school=school_b, actor_label="b-side")
    page = login(school_admin).get(reverse("web:audit_log")).content.decode()
    assert "test.a" in page and "test.b" not in page


def test_central_admin_sees_all_entries(login, central_admin, school_a, school_b):
    record("test.a", actor=None, school=school_a)
    record("test.b", actor=None, school=school_b)
    page = login(central_admin).get(reverse("web:audit_log")).content.decode()
    assert "test.a" in page and "test.b" in page


def test_r35_entries_read_as_words_not_codes(login, school_admin, school_a):
    """R35: the registry office reads what happened — the action's name and each changed field
    with its values named — not a code and a Python dict; the code stays, for filtering."""
    record(
        "portfolio.outcome.return",
        actor=None,
        school=school_a,
        before={"state": "submitted"},
        after={"state": "returned", "reason": "unreadable", "note": None},
    )
    page = login(school_admin).get(reverse("web:audit_log")).content.decode()
    assert "退回課程學習成果" in page and "<code>portfolio.outcome.return</code>" in page
    assert "狀態：待認證 → 退回修改" in page and "原因：檔案無法開啟或閱讀" in page
    assert "{'state'" not in page
    record(
        "portfolio.performance.import_correct",
        actor=None,
        school=school_a,
        before={"category": "competition", "title": "初賽"},
        after={"category": "competition", "title": "決賽"},
    )
    page = login(school_admin).get(reverse("web:audit_log")).content.decode()
    assert "名稱：初賽 → 決賽" in page and "類別：" not in page  # what did not change is left out


def test_r35_every_action_the_code_writes_has_a_name():
    """R35: each action code written by the domain has a readable name (a new one without a
    name would show as a bare code)."""
    import ast
    import pathlib

    import licheng
    from licheng.audit.labels import ACTIONS

    written = set()
    for path in pathlib.Path(licheng.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                written.add(node.args[0].value)
    assert written - set(ACTIONS) == set()


def test_r35_what_an_entry_names_is_kept_in_zh_hant_whatever_the_actor_reads(school_a):
    """R35: an entry's object is written as zh-Hant text even when the person acting reads the
    English pages (a course's name carries its semester label, which has an English form)."""
    from django.utils import translation

    from licheng.curriculum.models import Course
    from licheng.lib.roc import Term

    term = Term.current()
    course = Course.objects.create(
        school=school_a,
        academic_year=term.academic_year,
        semester=term.semester,
        code="T001",
        name="化學",
        credits=2,
        category="national_required",
    )
    with translation.override("en"):
        entry = record("curriculum.course.update", actor=None, obj=course)
    assert entry.object_repr == f"化學（{term.academic_year}學年度第{term.semester}學期）"
