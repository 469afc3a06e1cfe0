"""Outcomes waiting for certification (待認證, R13, R37), told to their certifiers weekly.

While a school's certification window is open, every course teacher or proxy with submitted
outcomes gets one notification a week (ISO week in the event key) saying how many wait. The
portfolio's own R37 reminder still e-mails them close to the deadline.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from licheng.lib import events
from licheng.lib.i18n import source_language
from licheng.lib.roc import Term
from licheng.portfolio.domain.reminders import pending_by_certifier
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import School

from .notify import notify


def send_certification_waiting(day: dt.date) -> int:
    """Notify certifiers of pending outcomes once per ISO week; returns how many were new."""
    with source_language():  # notifications are kept in zh-Hant (lib/i18n.py)
        year, week, _ = day.isocalendar()
        created = 0
        for school in School.objects.order_by("code"):
            for term in (Term.of(day), Term.of(day).previous()):
                window = window_for(
                    school, WindowKind.CERTIFICATION, term.academic_year, term.semester
                )
                if not window.is_open(day):
                    continue
                for person, courses in pending_by_certifier(school, term).items():
                    count = sum(courses.values())
                    names = "、".join(c.name for c in courses)
                    note = notify(
                        events.CERTIFICATION_WAITING,
                        f"certification:{school.code}:{term.academic_year}-{term.semester}:{year}-W{week:02d}",
                        person,
                        title=f"有 {count} 件課程學習成果待認證（{term.label}）",
                        body=f"{names}。認證期限 {window.closes_on:%Y-%m-%d}。",
                        url=reverse("web:certification"),
                    )
                    created += note is not None
        return created
