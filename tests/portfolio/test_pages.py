"""The pages: student uploads, teacher certifies and returns, performances, admin pages."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licheng.devtools import samples
from licheng.portfolio.enums import OutcomeState
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.enums import WindowKind

from .conftest import open_window, pdf


def post_outcome(client, course, **extra):
    data = {
        "course": course.pk,
        "title": "報告",
        "description": "我學到滴定，下次會更精確。",
        "document": pdf(),
        "action": "submit",
    }
    data.update(extra)
    return client.post("/outcomes/", data)


def test_student_uploads_outcome_from_the_page(student, course, login):
    response = post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outcomes/{outcome.pk}/"
    page = login(student.user).get(response["Location"]).content.decode()
    assert "待認證" in page and f"/files/{outcome.document_id}/" in page


def test_r9_page_refuses_a_course_the_student_may_not_pick(
    student, course, teacher, school_a, school_b, login
):
    """R9: the form takes the submitted course id as it is and the upload checks it. A course the
    student is not enrolled in, one of another school, one without credits, an id that exists
    nowhere or is not a number: each is refused on the course field, and nothing is stored."""
    from licheng.evidence.models import StoredFile

    from .conftest import enrol, make_course

    not_enrolled = make_course(school_a, teacher, code="T002", name="物理")
    no_credits = enrol(student, make_course(school_a, teacher, code="T003", name="班會", credits=0))
    elsewhere = make_course(school_b, code="T004", name="地理")
    client = login(student.user)
    for value in (not_enrolled.pk, no_credits.pk, elsewhere.pk, 999_999, "abc"):
        response = client.post(
            "/outcomes/",
            {"course": value, "title": "報告", "description": "我學到滴定，下次會更精確。",
             "document": pdf(), "action": "submit"},
        )  # fmt: skip
        page = response.content.decode()
        assert response.status_code == 400, value
        expected = "只能選擇本學期修習且有學分的課程" if value != "abc" else "請從清單中選擇課程"
        assert expected in page, value
        # the picker still offers only the student's own courses of this semester
        assert f'<option value="{course.pk}"' in page
        assert f'<option value="{not_enrolled.pk}"' not in page
    assert LearningOutcome.objects.count() == 0 and StoredFile.objects.count() == 0


def test_r9_course_picker_names_courses_and_tells_same_names_apart(
    student, course, teacher, school_a, login
):
    """R9: the picker lists the student's courses of this semester by name; two that share a name
    (a subject taught in two groups) are told apart by their course code."""
    from .conftest import enrol, make_course

    enrol(student, make_course(school_a, teacher, code="T009", name="化學"))
    enrol(student, make_course(school_a, teacher, code="T010", name="物理"))
    page = login(student.user).get("/outcomes/").content.decode()
    assert ">化學（T001）</option>" in page and ">化學（T009）</option>" in page
    assert ">物理</option>" in page


def test_r9_outcome_list_tells_same_named_courses_apart(student, course, teacher, school_a, login):
    """R9: in the student's list of outcomes two courses of one semester that share a name carry
    their course codes; a name no other course of the semester has stands alone."""
    from .conftest import enrol, make_course

    twin = enrol(student, make_course(school_a, teacher, code="T009", name="化學"))
    physics = enrol(student, make_course(school_a, teacher, code="T010", name="物理"))
    client = login(student.user)
    for target in (course, twin, physics):
        assert post_outcome(client, target).status_code == 302
    page = client.get("/outcomes/").content.decode()
    assert "<td>化學（T001）</td>" in page and "<td>化學（T009）</td>" in page
    assert "<td>物理</td>" in page


def test_r10_one_answer_names_the_text_and_the_file_problems(student, course, login):
    """R10: a too-long description and a text file renamed .pdf are both named in one answer;
    nothing is stored."""
    fake = SimpleUploadedFile("fake.pdf", b"just notes, not a PDF\n")
    response = post_outcome(login(student.user), course, description="學" * 101, document=fake)
    page = response.content.decode()
    assert response.status_code == 400
    assert "100" in page and "與副檔名 .pdf 不符" in page
    assert LearningOutcome.objects.count() == 0


def test_r10_a_good_file_must_be_chosen_again_after_another_field_is_refused(
    student, course, login
):
    """R10: a browser never refills a file input; the page says the chosen file was not kept,
    instead of dropping it silently (the next submit would otherwise lose it)."""
    response = post_outcome(login(student.user), course, description="學" * 101)
    assert response.status_code == 400
    assert "檔案尚未上傳，請修正其他欄位後重新選擇檔案" in response.content.decode()


def test_refused_file_is_shown_on_the_form_in_chinese(student, course, login):
    """R10: the refusal names the broken limit in the user's language."""
    big = SimpleUploadedFile("big.pdf", samples.pdf_bytes(pad_to=int(4.3 * 1024 * 1024)))
    response = post_outcome(login(student.user), course, document=big)
    assert response.status_code == 400
    assert "檔案超過 4 MB 上限（目前 4.4 MB）" in response.content.decode()
    assert LearningOutcome.objects.count() == 0


def test_page_says_when_window_opens(student, course, login, school_a):
    """R12: outside the window the page says when it opens."""
    open_window(school_a, WindowKind.OUTCOME_UPLOAD, opens=5, closes=30)
    page = login(student.user).get("/outcomes/").content.decode()
    assert "課程學習成果上傳將於" in page and "上傳並送出認證" not in page
    # the dates as everywhere else on the pages (YYYY-MM-DD), not ROC dates beside ISO ones
    opens = timezone.localdate() + dt.timedelta(days=5)
    assert f"將於 {opens.isoformat()} 開放" in page


def test_quota_bar_on_student_pages(student, course, login):
    """R34: the storage quota is shown as a bar."""
    post_outcome(login(student.user), course)
    for path in ("/outcomes/", "/"):
        page = login(student.user).get(path).content.decode()
        assert '<progress id="quota-bar"' in page and "上限 200.0\xa0MB" in page


def test_teacher_certifies_in_bulk_from_the_queue(student, course, teacher, login):
    """R37: bulk certification from the course queue with inline previews."""
    for _ in range(2):
        post_outcome(login(student.user), course)
    page = login(teacher).get(f"/certification/{course.pk}/").content.decode()
    assert "待認證 2 件" in page and "<iframe" in page
    # A class's queue holds dozens of 1–4 MB PDFs: each frame loads as it scrolls into view.
    assert page.count("<iframe") == page.count('loading="lazy" title="預覽')
    ids = list(LearningOutcome.objects.values_list("pk", flat=True))
    login(teacher).post(f"/certification/{course.pk}/", {"outcome": ids})
    assert set(LearningOutcome.objects.values_list("state", flat=True)) == {OutcomeState.CERTIFIED}


def test_teacher_cannot_certify_outcomes_of_another_course_through_the_form(
    student, course, teacher, other_teacher, login, school_a
):
    from .conftest import make_course

    post_outcome(login(student.user), course)
    mine = make_course(school_a, teacher, code="T777")
    outcome = LearningOutcome.objects.get()
    login(teacher).post(f"/certification/{mine.pk}/", {"outcome": [outcome.pk]})
    assert LearningOutcome.objects.get().state == OutcomeState.SUBMITTED


def test_return_page_offers_only_allowed_reasons(student, course, teacher, login):
    """R13: the return form has no grade or quality reason."""
    post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    page = login(teacher).get(f"/certification/outcome/{outcome.pk}/return/").content.decode()
    assert "非本課程產出" in page and "成績" not in page.split("<form")[1].split("</form>")[0]
    assert f"← {course.name}（{course.code}）</a>" in page
    response = login(teacher).post(
        f"/certification/outcome/{outcome.pk}/return/", {"reason": "grade"}
    )
    assert response.status_code == 400
    # No reason is picked in advance: submitting the form as it opens returns nothing.
    assert '<option value="" selected>請選擇退回原因</option>' in page
    untouched = login(teacher).post(f"/certification/outcome/{outcome.pk}/return/", {})
    assert untouched.status_code == 400 and "請選擇退回原因" in untouched.content.decode()
    assert LearningOutcome.objects.get().state == OutcomeState.SUBMITTED
    login(teacher).post(f"/certification/outcome/{outcome.pk}/return/", {"reason": "not_own_work"})
    assert LearningOutcome.objects.get().state == OutcomeState.RETURNED


def test_student_resubmits_returned_outcome_from_the_page(student, course, teacher, login):
    """R13: fix and resubmit."""
    post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    login(teacher).post(f"/certification/outcome/{outcome.pk}/return/", {"reason": "unreadable"})
    page = login(student.user).get(f"/outcomes/{outcome.pk}/").content.decode()
    assert "檔案無法開啟或閱讀" in page and "修正後重新送出" in page
    assert f"{course.name}（{course.code}，{course.term.label}）" in page  # R9: which course
    listed = login(student.user).get("/outcomes/").content.decode()
    assert "檔案無法開啟或閱讀" in listed  # the list says why, while it is returned
    login(student.user).post(
        f"/outcomes/{outcome.pk}/",
        {
            "title": "報告v2",
            "description": "我學到滴定，下次會更精確。",
            "document": pdf("v2.pdf"),
            "action": "submit",
        },
    )
    outcome.refresh_from_db()
    assert (outcome.state, outcome.title) == (OutcomeState.SUBMITTED, "報告v2")
    # Resubmitted, it waits for the teacher again: the old reason no longer shows anywhere.
    listed = login(student.user).get("/outcomes/").content.decode()
    queue = login(teacher).get(f"/certification/{course.pk}/").content.decode()
    assert "報告v2" in queue
    assert "檔案無法開啟或閱讀" not in listed and "檔案無法開啟或閱讀" not in queue


def test_hints_endpoint_warns(student, login):
    page = (
        login(student.user).post("/outcomes/hints/", {"description": "謝謝老師"}).content.decode()
    )
    assert 'data-hint="boilerplate"' in page


def test_performance_page_upload_with_category_fields(student, login, windows_open):
    response = login(student.user).post(
        "/performances/",
        {
            "category": "volunteer",
            "title": "圖書館志工",
            "activity_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "detail_volunteer_organization": "市立圖書館",
            "detail_volunteer_hours": "8",
            "files": SimpleUploadedFile("證明.jpg", samples.jpg_bytes()),
        },
    )
    assert response.status_code == 302
    item = Performance.objects.get()
    assert item.details == {"organization": "市立圖書館", "hours": 8} and item.files.count() == 1
    # The list names the year the item was registered in apart from the day of the activity,
    # which may fall in the year before (a summer's service registered after 1 August).
    page = login(student.user).get("/performances/").content.decode()
    assert ">登錄學年度</th>" in page and ">活動日期</th>" in page


def test_r15_every_category_saves_what_was_typed_when_the_page_sends_every_set(
    student, login, windows_open
):
    """R15: the page carries every category's fields and a browser without script sends them all,
    hidden or not. Categories share field names (a competition's and a cadre post's level, a
    volunteer service's and an internship's hours), so each set is named with its category and
    only the chosen one is read: every category is saved with exactly what was typed."""
    import re

    from .test_performances import DETAILS

    client = login(student.user)
    names = set(re.findall(r'name="(detail_[^"]+)"', client.get("/performances/").content.decode()))
    assert "detail_competition_level" in names and "detail_cadre_level" in names
    for category, typed in DETAILS.items():
        posted = dict.fromkeys(names, "")  # every other category's fields, empty as on the page
        posted.update({f"detail_{category}_{k}": v for k, v in typed.items()})
        response = client.post(
            "/performances/",
            {**posted, "category": category, "title": f"項目 {category}",
             "activity_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
             "description": "我負責規劃與紀錄，學到分工，下次會提早準備。"},
        )  # fmt: skip
        assert response.status_code == 302, (category, response.content.decode()[:3000])
        saved = Performance.objects.get(title=f"項目 {category}")
        assert {k: str(v) for k, v in saved.details.items() if v not in ("", None)} == typed


def test_performance_page_reports_r17_date(student, login, windows_open):
    """R17: the page names the date rule."""
    response = login(student.user).post(
        "/performances/",
        {"category": "other", "title": "國中比賽", "activity_date": "2010-01-01"},
    )
    assert response.status_code == 400 and "7 月 1 日" in response.content.decode()


def test_central_admin_issues_and_revokes_keys(central_admin, login):
    client = login(central_admin)
    client.post("/central/organizers/", {"action": "create", "name": "科展中心"})
    from licheng.portfolio.models import Organizer, OrganizerKey

    organizer = Organizer.objects.get()
    form = client.get("/central/organizers/")
    assert form["Cache-Control"] == "no-store"
    once = re.search(r'name="once" value="([^"]+)"', form.content.decode()).group(1)
    issue = {"action": "issue", "organizer": organizer.pk, "once": once}
    page = client.post("/central/organizers/", issue).content.decode()
    assert "lck_" in page and "只會顯示這一次" in page
    # Reloading the page re-sends the form: no second key, and the page says why.
    again = client.post("/central/organizers/", issue, follow=True).content.decode()
    assert OrganizerKey.objects.count() == 1 and "沒有再核發金鑰" in again
    key = OrganizerKey.objects.get()
    page = client.get("/central/organizers/").content.decode()
    assert "使用中" in page and "確定撤銷" in page
    # Revoking stops the organizer's imports at once: it asks first.
    unconfirmed = client.post("/central/organizers/", {"action": "revoke", "key": key.pk})
    assert unconfirmed.status_code == 400 and "確定撤銷" in unconfirmed.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None
    client.post("/central/organizers/", {"action": "revoke", "key": key.pk, "confirm": "yes"})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_school_admin_names_a_proxy(course, school_admin, login, school_a):
    """R37: the school names a proxy certifier for a course."""
    from licheng.accounts.enums import Role
    from licheng.portfolio.models import ProxyCertifier
    from tests.factories import staff

    proxy = staff(Role.TEACHER, school_a, full_name="代理老師")
    login(school_admin).post(
        "/school/proxy-certifiers/", {"course": course.pk, "teacher": proxy.pk}
    )
    assert ProxyCertifier.objects.get().teacher == proxy
    assert "代理老師" in login(proxy).get("/certification/").content.decode()


def test_outcome_pages_in_english_after_switching(student, course, login):
    """zh-Hant first; English by the switch, from the evidence area's own catalogue."""
    client = login(student.user)
    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get("/outcomes/").content.decode()
    assert "Upload and submit for certification" in page and "上傳並送出認證" not in page
    big = SimpleUploadedFile("big.pdf", samples.pdf_bytes(pad_to=int(4.3 * 1024 * 1024)))
    response = post_outcome(client, course, document=big)
    assert "The file exceeds the 4 MB limit (it is 4.4 MB)" in response.content.decode()


def test_hints_endpoint_asks_team_work_for_own_part(student, login):
    """A team item (個人或團體 = 團體) needs the student's own part, said in the description."""
    text = "完成一份水質調查，學到採樣方法，下次會擴大採樣範圍並比較季節差異。"
    client = login(student.user)
    alone = client.post("/outcomes/hints/", {"description": text}).content.decode()
    team = client.post(
        "/outcomes/hints/",
        {"description": text, "category": "competition", "detail_competition_team": "團體",
         "detail_work_team": ""},
    )  # fmt: skip
    assert "no_own_part" not in alone and 'data-hint="no_own_part"' in team.content.decode()


def test_r11_at_the_semester_limit_the_page_says_so_instead_of_a_form(
    student, course, login, school_admin
):
    """R11: once the semester's limit is reached the page says so (no form that can only be
    refused); an outcome sent anyway is refused with the reason, shown on the form."""
    from licheng.schools.domain.policy import update_policy

    update_policy(student.school, actor=school_admin, outcomes_per_semester=1)
    client = login(student.user)
    post_outcome(client, course)
    page = client.get("/outcomes/").content.decode()
    assert "本學期已達學校規定的 1 件上限" in page and "上傳並送出認證" not in page
    refused = post_outcome(client, course)
    assert (
        refused.status_code == 400 and "已達學校規定的每學期 1 件上限" in refused.content.decode()
    )


def test_submitting_a_draft_says_it_was_sent_for_certification(student, course, login):
    """R13: sending a draft says it went for certification; saving it says it was saved."""
    client = login(student.user)
    post_outcome(client, course, action="draft")
    outcome = LearningOutcome.objects.get()
    data = {"title": "報告", "description": "我學到滴定，下次會更精確。"}
    saved = client.post(f"/outcomes/{outcome.pk}/", {**data, "action": "draft"}, follow=True)
    assert "已儲存草稿" in saved.content.decode()
    sent = client.post(f"/outcomes/{outcome.pk}/", {**data, "action": "submit"}, follow=True)
    assert "已送出認證" in sent.content.decode()
    outcome.refresh_from_db()
    assert outcome.state == OutcomeState.SUBMITTED


def test_r16_a_performances_proofs_are_listed_in_upload_order(student, login, windows_open):
    """R16: the list shows an item's proof files in the order they were uploaded."""
    from .test_performances import add

    add(student, files=[pdf("一.pdf"), pdf("二.pdf"), pdf("三.pdf")])
    page = login(student.user).get("/performances/").content.decode()
    assert page.index("一.pdf") < page.index("二.pdf") < page.index("三.pdf")


def test_r13_teachers_home_names_each_course_with_its_code(student, course, teacher, login):
    """R13: the teacher's home lists the courses with outcomes waiting, each by name and course
    code — a teacher often teaches one subject to several groups."""
    post_outcome(login(student.user), course)
    page = login(teacher).get("/").content.decode()
    assert f"{course.name}（{course.code}）</a> · {course.term.label}" in page
    assert "1 件待認證" in page
