"""English pages use English punctuation and labels: no full-width "：" "、" "（）" around
translated text, role names, year labels and the school settings' fields in the reader's language.

Strings whose msgids are new may not be in the compiled catalogue yet: those asserts compare the
page with gettext of the msgid (so they hold before and after the catalogue is compiled) and
check the final English only once the catalogue has it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from licheng.accounts.enums import Role
from licheng.lib.roc import Term, year_label
from licheng.schools.domain.policy import POLICY_FIELDS
from licheng.schools.domain.windows import set_window
from licheng.schools.enums import WindowKind
from licheng.web.views.school import PolicyForm

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _zh_hant():
    """Each test chooses its language; none leaks into the next."""
    with translation.override("zh-hant"):
        yield


def english(client):
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    return client


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def in_english(msgid: str) -> str:
    with translation.override("en"):
        return gettext(msgid)


def is_translated(msgid: str) -> bool:
    return in_english(msgid) != msgid


# --- roles and the homeroom class on the teacher's home page -------------------------------------


def test_role_labels_are_translatable_and_stored_as_values():
    assert all(isinstance(role.label, Promise) for role in Role)
    with translation.override("zh-hant"):
        assert Role.HOMEROOM.label == "導師" and Role.TEACHER.label == "任課教師"
    with translation.override("en"):
        assert Role.TEACHER.label == "Course teacher"
    assert Role("homeroom") == Role.HOMEROOM == "homeroom"


def test_teacher_home_in_english_lists_roles_with_english_punctuation(login, teacher, student):
    page = text_of(english(login(teacher)), "/")
    roles = f"{in_english('導師')}, {in_english('任課教師')}"
    assert f"Your roles: {roles}" in page
    assert "Your roles:導師" not in page and "、" not in page
    if is_translated("導師"):
        assert "Your roles: Homeroom teacher, Course teacher" in page


def test_teacher_home_in_english_counts_the_class_in_english_brackets(login, teacher, student):
    page = text_of(english(login(teacher)), "/")
    with translation.override("en"):
        size = ngettext("%(n)s 位學生", "%(n)s 位學生", 1) % {"n": 1}
        expected = gettext("%(name)s（%(size)s）") % {"name": "101", "size": size}
    assert size == "1 student"
    assert expected in page
    if is_translated("%(name)s（%(size)s）"):
        assert "101 (1 student)" in page and "（" not in page


def test_teacher_home_in_zh_hant_is_unchanged(login, teacher, student):
    page = text_of(login(teacher), "/")
    assert "您的角色：導師、任課教師" in page
    assert "101（1 位學生）" in page


def test_other_roles_are_joined_with_english_commas(login, parent, reviewer):
    from tests.factories import with_role

    with_role(parent, Role.REVIEWER, None)
    page = text_of(english(login(parent)), "/")
    assert f"{in_english('家長/監護人')}, {in_english('校系審查委員')}" in page


def test_account_page_joins_roles_in_english(login, teacher):
    page = text_of(english(login(teacher)), reverse("web:account"))
    assert "、" not in page


# --- year labels --------------------------------------------------------------------------------


def test_year_label_reads_in_the_readers_language():
    with translation.override("en"):
        assert year_label(115) == "Academic year 115"
    with translation.override("zh-hant"):
        assert year_label(115) == "115學年度"


@pytest.fixture
def yearly_window_open(school_a, school_admin):
    today = timezone.localdate()
    return set_window(
        school_a,
        kind=WindowKind.PERFORMANCE_UPLOAD,
        academic_year=Term.current().academic_year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=20),
        actor=school_admin,
    )


def test_home_page_windows_say_the_year_in_english(login, student, yearly_window_open):
    year = Term.current().academic_year
    page = text_of(english(login(student.user)), "/")
    assert f"Academic year {year}" in page and f"{year}學年度" not in page
    page = text_of(login(student.user), "/")
    assert f"{year}學年度" in page


def test_school_windows_page_says_the_years_in_english(login, school_admin):
    year = Term.current().academic_year
    page = text_of(english(login(school_admin)), reverse("web:school_windows"))
    for y in (year - 1, year, year + 1):
        assert f"Academic year {y}" in page
    assert "學年度" not in page


# --- the school settings' fields ----------------------------------------------------------------


def test_settings_labels_are_translatable():
    form = PolicyForm()
    for name in POLICY_FIELDS:
        assert isinstance(form.fields[name].label, Promise), name
    with translation.override("zh-hant"):
        assert str(form.fields["password_min_length"].label) == "密碼最短長度"
        assert str(form.fields["outcomes_per_course"].help_text) == "空白表示不限"


def test_settings_page_labels_in_english(login, school_admin):
    page = text_of(english(login(school_admin)), reverse("web:school_settings"))
    form = PolicyForm()
    with translation.override("en"):
        labels = [str(form.fields[name].label) for name in POLICY_FIELDS]
    for label in labels:
        assert label in page
    if is_translated("密碼最短長度"):
        assert "Minimum password length" in page
        assert not any(CJK.search(label) for label in labels)


def test_settings_errors_use_the_translatable_message(login, school_admin):
    client = english(login(school_admin))
    data = {
        "outcomes_per_semester": "0",
        "outcomes_per_course": "",
        "performances_per_year": "",
        "storage_quota_mb": "200",
        "password_min_length": "3",
        "reminder_days": "7",
    }
    response = client.post(reverse("web:school_settings"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert in_english("每學期上傳上限至少為 1") in page
    assert in_english("密碼最短長度須介於 6 到 64 之間") in page
    if is_translated("密碼最短長度須介於 6 到 64 之間"):
        assert not CJK.search(" ".join(re.findall(r'<ul class="errors".*?</ul>', page, re.S)))


# --- return reasons -----------------------------------------------------------------------------


@pytest.fixture
def returned(student, teacher):
    from tests.portfolio.conftest import make_course
    from tests.selection.conftest import make_outcome

    course = make_course(student.school, teacher)
    from licheng.curriculum.models import CourseEnrolment

    CourseEnrolment.objects.create(student=student, course=course)
    outcome = make_outcome(student, course, "酸鹼滴定", state="returned")
    outcome.return_reason, outcome.return_note = "other", "缺少第二頁"
    outcome.save(update_fields=["return_reason", "return_note"])
    return outcome


def test_certification_page_gives_the_return_reason_with_an_english_colon(login, teacher, returned):
    url = reverse("web:certification_course", args=[returned.course_id])
    page = text_of(english(login(teacher)), url)
    assert f"{in_english('其他（須說明）')}: 缺少第二頁" in page
    assert "：缺少第二頁" not in page
    assert "其他（須說明）：缺少第二頁" in text_of(login(teacher), url)


# --- a value in brackets after a name (course codes, student numbers) ---------------------------


def test_in_brackets_follows_the_readers_language():
    from django.template import Context, Template

    template = Template("{{ name }}{{ code|in_brackets }}{{ empty|in_brackets }}")
    context = {"name": "數學", "code": "M<101>", "empty": ""}
    assert template.render(Context(context)) == "數學（M&lt;101&gt;）"
    with translation.override("en"):
        assert template.render(Context(context)) == "數學 (M&lt;101&gt;)"


def test_certification_pages_bracket_course_codes_in_the_readers_language(login, teacher, returned):
    course = returned.course
    for url in (
        reverse("web:certification"),
        reverse("web:certification_course", args=[course.pk]),
    ):
        page = text_of(english(login(teacher)), url)
        assert f"{course.name} ({course.code})" in page, url
        assert f"（{course.code}）" not in page
        assert f"{course.name}（{course.code}）" in text_of(login(teacher), url)


def test_outcome_page_names_its_course_in_the_readers_brackets(login, student, returned):
    course = returned.course
    url = reverse("web:outcome", args=[returned.pk])
    english_page = text_of(english(login(student.user)), url)
    assert f"{course.name} ({course.code}, " in english_page and "（" not in english_page
    zh_page = text_of(login(student.user), url)
    assert f"{course.name}（{course.code}，{course.term.label}）" in zh_page


def test_notification_settings_name_each_kind_in_english(login, teacher):
    page = text_of(english(login(teacher)), reverse("web:notification_settings"))
    assert in_english("作業期程即將開始") in page and in_english("僅站內通知") in page
    from licheng.notifications.enums import Channel, NotificationKind

    with translation.override("zh-hant"):
        chinese = [str(label) for label in [*NotificationKind.labels, *Channel.labels]]
    assert not [label for label in chinese if label in page]


def test_a_class_reads_its_year_in_the_readers_language(student):
    from licheng.schools.models import SchoolClass

    placed = SchoolClass.objects.filter(school=student.school).first()
    if placed is None:
        placed = SchoolClass.objects.create(
            school=student.school, academic_year=114, name="101", grade=1
        )
    with translation.override("en"):
        assert str(placed) == f"Academic year {placed.academic_year} {placed.name}"
    assert str(placed) == f"{placed.academic_year}學年度 {placed.name}"


def test_a_student_is_named_with_the_readers_brackets(student):
    """Wherever a student is listed by name and number (select options, the counselling list),
    the brackets follow the reader's language; the audit log keeps zh-Hant."""
    with translation.override("en"):
        assert str(student) == f"{student.name} ({student.student_number})"
    assert str(student) == f"{student.name}（{student.student_number}）"


def test_no_template_hard_codes_chinese_punctuation_around_a_value():
    """A full-width colon or bracket written next to a value outside a translated message
    stays full-width on English pages: templates use the label separator and ``in_brackets``.
    (Inside a translated message, the English translation chooses its own punctuation.)"""
    from pathlib import Path

    import licheng

    translated = re.compile(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", re.S)
    comment = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
    hard_coded = re.compile(r"\}\}：|：\{\{|%\}：|>：|（\{\{|\}\}）")
    found = []
    for path in Path(licheng.__file__).parent.rglob("templates/**/*.html"):
        text = comment.sub("", translated.sub("", path.read_text()))
        found += [f"{path.name}: {m.group()}" for m in hard_coded.finditer(text)]
    assert not found, found
