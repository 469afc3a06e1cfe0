"""Window reminders for a large school: every student and bound parent is reminded, three days
before 15 February, that the first semester's uploads close and the second's open (two each).

One school with 3,000 enrolled students and 1,000 bound parents in a throwaway SQLite database.
The first run creates the notifications and delivers their e-mails in-process (django-tasks'
immediate backend, e-mail to a dummy backend); the second run, the same day, must find nothing
new (no duplicates) and is timed too: a daily job that is re-run costs little.
"""

from __future__ import annotations

import time
from pathlib import Path

from ._scratch import scratch_site

TITLE = "Window reminders (3,000 students + 1,000 parents)"
COMMAND = "make bench BENCH=window_reminders"
STUDENTS = 3000
PARENTS = 1000


def run() -> dict[str, object]:
    with scratch_site(
        LICHENG_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ) as root:
        return _measure(root)


def _measure(root: Path) -> dict[str, object]:
    import datetime as dt

    from django.core import mail
    from django.db import transaction
    from django.utils import timezone

    from licheng.accounts.enums import BindingStatus, Relation, Role, SchoolLevel
    from licheng.accounts.models import ParentBinding, RoleAssignment, User
    from licheng.lib.roc import Term
    from licheng.notifications.domain.reminders import send_window_reminders
    from licheng.notifications.models import Notification
    from licheng.schools.domain.windows import window_for
    from licheng.schools.enums import WindowKind
    from licheng.schools.models import School, Student

    mail.outbox = []
    school = School.objects.create(code="313301", name="臺北市立明德高級中學", type="general")
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"313301:{n}", full_name=f"學生{n}", email=f"s{n}@example.tw")
            for n in range(STUDENTS)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.STUDENT, school=school) for u in users
        )
        students = Student.objects.bulk_create(
            Student(
                user=u,
                school=school,
                student_number=str(n),
                national_id=f"A1{n:08d}",
                name=u.full_name,
                enrolment_date=dt.date(2025, 8, 1),
            )
            for n, u in enumerate(users)
        )
        parents = User.objects.bulk_create(
            User(username=f"p{n}@example.tw", full_name=f"家長{n}", email=f"p{n}@example.tw")
            for n in range(PARENTS)
        )
        ParentBinding.objects.bulk_create(
            ParentBinding(
                student=students[n],
                parent=p,
                relation=Relation.MOTHER,
                school_level=SchoolLevel.SENIOR_HIGH,
                parent_name=p.full_name,
                parent_national_id="A223456789",
                email=p.email,
                phone="0912345678",
                signature=p.full_name,
                statement_accepted_at=timezone.now(),
                status=BindingStatus.APPROVED,
            )
            for n, p in enumerate(parents)
        )
    year = Term.current().academic_year
    window = window_for(school, WindowKind.OUTCOME_UPLOAD, year, 1)
    day = window.closes_on - dt.timedelta(days=3)

    started = time.perf_counter()
    with transaction.atomic():
        first = send_window_reminders(day)
    first_s = time.perf_counter() - started
    emails = len(mail.outbox)
    started = time.perf_counter()
    with transaction.atomic():
        second = send_window_reminders(day)
    second_s = time.perf_counter() - started
    assert second == 0 and Notification.objects.count() == first
    return {
        "notifications created (first run)": first,
        "e-mails delivered (first run)": emails,
        "first run, seconds (create + deliver)": round(first_s, 2),
        "notifications per second (create + deliver)": round(first / first_s),
        "second run same day: new notifications": second,
        "second run, seconds": round(second_s, 2),
    }
