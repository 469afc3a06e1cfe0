"""English pages show the evidence area's states, reasons, categories and choices in English;
what is kept (a notification, a review-package line) stays zh-Hant whoever acted."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from licheng.notifications.models import Notification
from licheng.portfolio.models import LearningOutcome

from .test_pages import post_outcome
from .test_performances import add


def english(client):
    client.post("/language/", {"language": "en", "next": "/"})
    return client


def test_outcome_states_and_return_reasons_in_english(student, course, teacher, login):
    """R13: the state badge and the return reason read in English on English pages."""
    post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    page = english(login(student.user)).get("/outcomes/").content.decode()
    assert "Awaiting certification" in page and "待認證" not in page
    english(login(teacher)).post(
        f"/certification/outcome/{outcome.pk}/return/", {"reason": "unreadable"}
    )
    page = english(login(student.user)).get("/outcomes/").content.decode()
    assert "Returned for changes" in page and "The file cannot be opened or read" in page
    assert "退回修改" not in page and "檔案無法開啟或閱讀" not in page


def test_a_teacher_on_english_pages_still_notifies_in_zh_hant(student, course, teacher, login):
    """Notifications are kept in zh-Hant: a teacher reading English returns an outcome and the
    student's notification names the reason in Chinese."""
    post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    english(login(teacher)).post(
        f"/certification/outcome/{outcome.pk}/return/", {"reason": "unreadable"}
    )
    notice = Notification.objects.get(recipient=student.user)
    assert notice.body.startswith("檔案無法開啟或閱讀") and "cannot" not in notice.body


def test_r15_categories_and_their_choices_in_english(student, login, windows_open):
    """R15: categories, a category's choices (競賽等級, 個人或團體) and the stored values shown in
    the list read in English; the values are still stored as sent (zh-Hant)."""
    item = add(student, activity_date=timezone.localdate() - dt.timedelta(days=2))
    page = english(login(student.user)).get("/performances/").content.decode()
    assert ">Competitions<" in page and ">National<" in page and ">Team<" in page
    assert "Competition level: National, Award/placing: " in page
    assert ">全國<" not in page and "競賽參與" not in page  # values stay in value=""
    item.refresh_from_db()
    assert item.details["level"] == "全國" and item.details["team"] == "團體"


def test_r13_the_return_notice_has_one_full_stop_whatever_the_note_ends_with(
    student, course, teacher, login
):
    """R13: the student's notice says the reason and the teacher's note, then what to do, with
    one full stop between them even when the note already ended a sentence."""
    post_outcome(login(student.user), course)
    outcome = LearningOutcome.objects.get()
    login(teacher).post(
        f"/certification/outcome/{outcome.pk}/return/",
        {"reason": "other", "note": "請補上你自己負責的部分。"},
    )
    body = Notification.objects.get(recipient=student.user).body
    assert body == "其他（須說明）：請補上你自己負責的部分。請於上傳期限內修正後重新送出。"
