"""factory_boy factories, free of surprising behaviour: each builds exactly what it names."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.accounts.models import RoleAssignment, User
from licheng.lib import national_id
from licheng.lib.roc import Term
from licheng.schools.enums import SchoolType
from licheng.schools.models import ClassEnrolment, Department, School, SchoolClass, Student

PASSWORD = "Test-pass-2024"
_rng = random.Random(20240801)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{310000 + n}")
    name = factory.Sequence(lambda n: f"測試高級中學{n}")
    type = SchoolType.GENERAL
    city = "臺北市"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"{100 + n % 800}")
    name = "普通科"


class UserFactory(factory.django.DjangoModelFactory):
    """An account with a usable password, verified e-mail and no first-login flag."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"使用者{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username.replace(':', '-')}@example.tw")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def with_role(user: User, role: Role, school: School | None = None) -> User:
    RoleAssignment.objects.create(user=user, role=role, school=school)
    user.__dict__.pop("role_assignments", None)
    return user


def staff(role: Role, school: School | None = None, **kwargs) -> User:
    prefix = f"{school.code}:" if school else ""
    user = UserFactory(username=factory.Sequence(lambda n: f"{prefix}{role.value}{n}"), **kwargs)
    return with_role(user, role, school)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.LazyFunction(lambda: Term.current().academic_year)
    grade = 1
    name = factory.Sequence(lambda n: f"一年{n}班")


def make_student(
    school: School,
    *,
    school_class: SchoolClass | None = None,
    seat: int | None = None,
    enrolment_date: dt.date | None = None,
    name: str = "",
    **user_kwargs,
) -> Student:
    """A student account of ``school`` (already past first login), optionally seated in a class."""
    number = f"{_rng.randrange(10**6, 10**7)}"
    if name:
        user_kwargs.setdefault("full_name", name)
    user = UserFactory(username=f"{school.code}:{number}", **user_kwargs)
    with_role(user, Role.STUDENT, school)
    term = Term.current()
    student = Student.objects.create(
        user=user,
        school=school,
        student_number=number,
        national_id=national_id.fake(_rng),
        name=name or user.full_name,
        enrolment_date=enrolment_date or dt.date(term.academic_year + 1911, 8, 1),
    )
    if school_class is not None:
        seat = seat or (school_class.enrolments.count() + 1)
        ClassEnrolment.objects.create(student=student, school_class=school_class, seat_number=seat)
    return student
