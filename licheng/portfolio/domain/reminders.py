"""Certification reminders (認證提醒, R37): e-mail each certifier about pending outcomes before
the school's certification deadline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.curriculum.models import Course
from licheng.lib.roc import Term, roc_date
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import School

from ..enums import OutcomeState
from ..models import LearningOutcome, ProxyCertifier


def pending_by_certifier(school: School, term: Term) -> dict:
    """{certifier: {course: pending count}} for the school's submitted outcomes of ``term``."""
    counts: dict = defaultdict(dict)
    pending = (
        LearningOutcome.objects.filter(
            student__school=school,
            academic_year=term.academic_year,
            semester=term.semester,
            state=OutcomeState.SUBMITTED,
            course__isnull=False,  # an outcome from a previous school (R38) has no certifier here
        )
        .values("course")
        .order_by("course")
    )
    per_course: dict[int, int] = defaultdict(int)
    for row in pending:
        per_course[row["course"]] += 1
    for course in Course.objects.filter(pk__in=per_course).prefetch_related("teachers"):
        certifiers = list(course.teachers.all()) + [
            p.teacher
            for p in ProxyCertifier.objects.filter(course=course).select_related("teacher")
        ]
        for person in certifiers:
            counts[person][course] = per_course[course.pk]
    return counts


def send_certification_reminders(day: dt.date) -> int:
    """Mail certifiers whose deadline is within the school's reminder days; returns mails sent."""
    sent = 0
    for school in School.objects.all():
        days_before = policy_of(school).reminder_days
        for term in (Term.of(day), Term.of(day).previous()):
            window = window_for(school, WindowKind.CERTIFICATION, term.academic_year, term.semester)
            if not (window.opens_on <= day <= window.closes_on):
                continue
            if window.days_left(day) > days_before:
                continue
            for person, courses in pending_by_certifier(school, term).items():
                sent += _remind(person, courses, window.closes_on, school)
    return sent


@transaction.atomic
def _remind(person, courses: dict, deadline: dt.date, school: School) -> int:
    if not person.email:
        return 0
    lines = [f"- {course.name}（{course.code}）：{n} 件" for course, n in courses.items()]
    body = _(
        "%(name)s 您好：\n\n下列課程有課程學習成果等待您認證，認證期限為 %(deadline)s：\n%(lines)s\n\n請至 %(url)s 認證。"
    ) % {
        "name": person.full_name,
        "deadline": roc_date(deadline),
        "lines": "\n".join(lines),
        "url": settings.SITE_URL + reverse("web:certification"),
    }
    subject = _("【學習歷程】課程學習成果待認證提醒（%(n)s 件）") % {"n": sum(courses.values())}
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))
    record(
        "portfolio.certification.remind",
        obj=person,
        school=school,
        actor_label="system",
        after={"pending": sum(courses.values())},
    )
    return 1
