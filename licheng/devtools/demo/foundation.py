"""Two schools, their people and classes, and the platform-level accounts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.accounts.models import RoleAssignment, User
from licheng.lib.roc import ROC_OFFSET, Term
from licheng.schools.enums import SchoolType
from licheng.schools.models import (
    ClassEnrolment,
    Department,
    School,
    SchoolClass,
    SchoolPolicy,
    Student,
)

from . import DemoContext
from .passwords import demo_hash
from .people import PeopleMaker

STAFF_PASSWORD = "Licheng-Demo-2026"
STUDENT_PASSWORD = "Student-Demo-2026"
STUDENTS_PER_CLASS = 30

SCHOOLS = [
    {
        "code": "313301",
        "name": "臺北市立明德高級中學",
        "type": SchoolType.GENERAL,
        "city": "臺北市",
        "departments": [("101", "普通科")],
        "classes": {1: ["101", "102"], 2: ["201", "202"], 3: ["301", "302"]},
    },
    {
        "code": "440301",
        "name": "臺中市立光華高級工業職業學校",
        "type": SchoolType.TECHNICAL,
        "city": "臺中市",
        "departments": [("301", "機械科"), ("302", "電機科")],
        "classes": {
            1: ["機械一甲", "電機一甲"],
            2: ["機械二甲", "電機二甲"],
            3: ["機械三甲", "電機三甲"],
        },
    },
]

STAFF = [
    # account, name, roles
    ("admin", "註冊組長 張淑芬", [Role.SCHOOL_ADMIN]),
    ("teacher1", "國文科 王怡君", [Role.TEACHER, Role.HOMEROOM]),
    ("teacher2", "數學科 李建宏", [Role.TEACHER, Role.HOMEROOM]),
    ("teacher3", "英文科 黃雅婷", [Role.TEACHER, Role.HOMEROOM]),
    ("teacher4", "自然科 陳志明", [Role.TEACHER, Role.HOMEROOM]),
    ("teacher5", "社會科 林美玲", [Role.TEACHER, Role.HOMEROOM]),
    ("teacher6", "專業科 吳俊賢", [Role.TEACHER, Role.HOMEROOM]),
    ("counselor", "課程諮詢 許文華", [Role.COUNSELOR, Role.TEACHER]),
]

PLATFORM = [
    ("central", "國教署 中央資料庫管理者", [Role.CENTRAL_ADMIN]),
    ("committee", "甄選委員會 承辦人", [Role.COMMITTEE]),
    ("reviewer1", "審查委員 周教授", [Role.REVIEWER]),
    ("reviewer2", "審查委員 鄭教授", [Role.REVIEWER]),
    ("organizer", "全國技能競賽 主辦單位", [Role.ORGANIZER]),
    ("parent@example.tw", "陳爸爸", [Role.PARENT]),
]


def _user(username: str, full_name: str, password_hash: str, **extra) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "password": password_hash,
            "email": extra.pop("email", ""),
            "email_verified_at": extra.pop("email_verified_at", timezone.now()),
            **extra,
        },
    )
    return user


def _roles(user: User, roles: list[Role], school: School | None) -> None:
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role, school=school)


def load(ctx: DemoContext) -> None:
    staff_hash = demo_hash(STAFF_PASSWORD)
    term = Term.current()
    for spec in SCHOOLS:
        _load_school(ctx, spec, staff_hash, term)
    for account, name, roles in PLATFORM:
        user = _user(
            account, name, staff_hash, email=account if "@" in account else f"{account}@example.tw"
        )
        _roles(user, roles, None)
        ctx.objects[account] = user
        ctx.login(roles[0].label, "—", account, STAFF_PASSWORD)


def _load_school(ctx: DemoContext, spec: dict, staff_hash: str, term: Term) -> None:
    school, _ = School.objects.get_or_create(
        code=spec["code"],
        defaults={"name": spec["name"], "type": spec["type"], "city": spec["city"]},
    )
    SchoolPolicy.objects.get_or_create(school=school)
    ctx.objects[f"school:{school.code}"] = school
    departments = [
        Department.objects.get_or_create(school=school, code=code, defaults={"name": name})[0]
        for code, name in spec["departments"]
    ]
    teachers = []
    for account, name, roles in STAFF:
        user = _user(
            f"{school.code}:{account}",
            name,
            staff_hash,
            email=f"{account}.{school.code}@example.tw",
        )
        _roles(user, roles, school)
        teachers.append(user)
        ctx.objects[f"{school.code}:{account}"] = user
    ctx.login(Role.SCHOOL_ADMIN.label, school.code, "admin", STAFF_PASSWORD)
    ctx.login("任課教師/導師", school.code, "teacher1", STAFF_PASSWORD)
    ctx.login(Role.COUNSELOR.label, school.code, "counselor", STAFF_PASSWORD)

    if Student.objects.filter(school=school).exists():
        _print_students(ctx, school)
        return
    people = PeopleMaker(seed=int(school.code))
    homeroom = [t for t in teachers if "teacher" in t.username]
    serial = 0
    for grade, class_names in spec["classes"].items():
        entry_year = term.academic_year - grade + 1  # ROC academic year the cohort entered
        for index, class_name in enumerate(class_names):
            department = departments[index % len(departments)]
            classes = []
            # The cohort's class in every year it has been at school: history for later features.
            for year_grade in range(1, grade + 1):
                year = entry_year + year_grade - 1
                name = _class_name(class_name, grade, year_grade)
                classes.append(
                    SchoolClass.objects.create(
                        school=school,
                        academic_year=year,
                        grade=year_grade,
                        name=name,
                        department=department,
                        homeroom_teacher=homeroom[(grade - 1) * 2 + index],
                    )
                )
            for seat in range(1, STUDENTS_PER_CLASS + 1):
                serial += 1
                number = f"{entry_year}{serial:04d}"
                nid = people.national_id()
                name = people.name()
                user = User.objects.create(
                    username=f"{school.code}:{number}",
                    full_name=name,
                    password=demo_hash(nid),
                    must_change_password=True,
                )
                RoleAssignment.objects.create(user=user, role=Role.STUDENT, school=school)
                student = Student.objects.create(
                    user=user,
                    school=school,
                    student_number=number,
                    national_id=nid,
                    name=name,
                    department=department,
                    enrolment_date=dt.date(entry_year + ROC_OFFSET, 8, 1),
                )
                ClassEnrolment.objects.bulk_create(
                    ClassEnrolment(student=student, school_class=c, seat_number=seat)
                    for c in classes
                )
    # One student of each school has finished first login, so the student pages can be seen at once.
    ready = Student.objects.filter(school=school).order_by("student_number").first()
    assert ready is not None
    User.objects.filter(pk=ready.user_id).update(
        password=demo_hash(STUDENT_PASSWORD),
        must_change_password=False,
        email=f"{ready.student_number}@student.example.tw",
        email_verified_at=timezone.now(),
    )
    _print_students(ctx, school)


def _class_name(final_name: str, final_grade: int, year_grade: int) -> str:
    """The name a cohort's class had in an earlier grade: 301 was 201 and 101."""
    if final_name.isdigit():
        return f"{year_grade}{final_name[1:]}"
    digits = "一二三"
    return final_name.replace(digits[final_grade - 1], digits[year_grade - 1], 1)


def _print_students(ctx: DemoContext, school: School) -> None:
    students = list(Student.objects.filter(school=school).order_by("student_number")[:2])
    if students:
        ctx.login("學生（已設定）", school.code, students[0].student_number, STUDENT_PASSWORD)
    if len(students) > 1:
        ctx.login(
            "學生（首次登入）", school.code, students[1].student_number, students[1].national_id
        )
