"""``manage.py bench_site --students N``: a school with N students ready to upload (benchmarks and
the crash test). Prints one JSON line: school code, password, student numbers, course id."""

import datetime as dt
import json

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.accounts.models import RoleAssignment, User
from licheng.curriculum.models import Course, CourseEnrolment
from licheng.lib import national_id
from licheng.lib.roc import Term
from licheng.schools.enums import SchoolType, WindowKind
from licheng.schools.models import School, SchoolPolicy, Student, Window

PASSWORD = "Bench-Upload-2026"


class Command(BaseCommand):
    help = "Create a school whose students can all upload now (for benchmarks and crash tests)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=100)

    def handle(self, *args, students, **options):
        import random

        rng = random.Random(7)
        term = Term.current()
        today = timezone.localdate()
        school, _ = School.objects.get_or_create(
            code="999001",
            defaults={"name": "壓力測試高級中學", "type": SchoolType.GENERAL, "city": "臺北市"},
        )
        SchoolPolicy.objects.update_or_create(school=school, defaults={"outcomes_per_semester": 50})
        for kind in WindowKind:
            Window.objects.update_or_create(
                school=school,
                kind=kind,
                academic_year=term.academic_year,
                semester=term.semester if kind.per_semester else 0,
                defaults={
                    "opens_on": today - dt.timedelta(days=10),
                    "closes_on": today + dt.timedelta(days=10),
                },
            )
        course, _ = Course.objects.get_or_create(
            school=school,
            academic_year=term.academic_year,
            semester=term.semester,
            code="BENCH01",
            defaults={"name": "專題實作", "credits": 2, "category": "project_practice"},
        )
        password_hash = make_password(PASSWORD)  # one argon2 hash shared: creating is not measured
        numbers = []
        for i in range(students):
            number = f"9{i:06d}"
            numbers.append(number)
            user, created = User.objects.get_or_create(
                username=f"{school.code}:{number}",
                defaults={
                    "full_name": f"學生{i}",
                    "email": f"s{i}@bench.example.tw",
                    "email_verified_at": timezone.now(),
                    "password": password_hash,
                },
            )
            if not created:
                continue
            RoleAssignment.objects.create(user=user, role=Role.STUDENT, school=school)
            student = Student.objects.create(
                user=user,
                school=school,
                student_number=number,
                national_id=national_id.fake(rng),
                name=user.full_name,
                enrolment_date=dt.date(term.academic_year + 1911, 8, 1),
            )
            CourseEnrolment.objects.create(course=course, student=student)
        self.stdout.write(
            json.dumps(
                {
                    "school": school.code,
                    "password": PASSWORD,
                    "students": numbers,
                    "course": course.pk,
                }
            )
        )
