"""School records (issue 4): published course plans with codes, three years of course records with
make-up and retake grades, cadre posts, attendance, rewards, counselling records, a correction
request, and plans waiting in the central administrator's queue."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile

from licheng.accounts.models import User
from licheng.curriculum.domain.counselling import assign_counsellor, write_record
from licheng.curriculum.domain.plans import create_plan, publish_plan, submit_plan
from licheng.curriculum.enums import CourseCategory as C
from licheng.curriculum.models import CourseEnrolment, CoursePlan
from licheng.lib.roc import Term
from licheng.schools.domain.basic_data import request_correction
from licheng.schools.enums import CadreLevel, RewardKind, SchoolType
from licheng.schools.models import (
    AttendanceRecord,
    CadreRecord,
    RewardRecord,
    School,
    SchoolClass,
    Student,
)

from .. import samples
from . import DemoContext

# Per grade: (subject, credits, category, teacher account). teacher1 teaches 國語文 throughout,
# so their grade grid has students in every term.
SUBJECTS = {
    1: [("國語文", 4, C.NATIONAL_REQUIRED, "teacher1"), ("數學", 4, C.NATIONAL_REQUIRED, "teacher2"),
        ("英語文", 4, C.NATIONAL_REQUIRED, "teacher3"), ("物理", 2, C.NATIONAL_REQUIRED, "teacher4"),
        ("歷史", 2, C.NATIONAL_REQUIRED, "teacher5"), ("探究與實作", 2, C.SCHOOL_REQUIRED, "teacher4"),
        ("程式設計入門", 2, C.MULTIPLE_ELECTIVE, "teacher6")],
    2: [("國語文", 4, C.NATIONAL_REQUIRED, "teacher1"), ("數學", 4, C.NATIONAL_REQUIRED, "teacher2"),
        ("英語文", 4, C.NATIONAL_REQUIRED, "teacher3"), ("化學", 2, C.NATIONAL_REQUIRED, "teacher4"),
        ("地理", 2, C.NATIONAL_REQUIRED, "teacher5"), ("英文閱讀與寫作", 2, C.SCHOOL_ELECTIVE, "teacher3"),
        ("自主學習", 2, C.FLEXIBLE, "teacher6")],
    3: [("國語文", 4, C.NATIONAL_REQUIRED, "teacher1"), ("數學甲", 4, C.SCHOOL_ELECTIVE, "teacher2"),
        ("英語文", 4, C.NATIONAL_REQUIRED, "teacher3"), ("公民與社會", 2, C.NATIONAL_REQUIRED, "teacher5"),
        ("生物", 2, C.SCHOOL_ELECTIVE, "teacher4"), ("專題實作", 3, C.PROJECT_PRACTICE, "teacher6")],
}  # fmt: skip
SYLLABUS = "一、課程目標：{name}核心概念與應用。\n二、教學內容：依 108 課綱{category}規劃。\n三、評量：平時 40%、期中 30%、期末 30%。"
CLUBS = ["吉他社", "熱舞社", "機器人研究社", "攝影社", "辯論社"]


def load(ctx: DemoContext) -> None:
    central = ctx.objects["central"]
    for key, school in list(ctx.objects.items()):
        if key.startswith("school:") and not CoursePlan.objects.filter(school=school).exists():
            _load_school(ctx, school, central)


def _terms_so_far(year: int) -> list[Term]:
    current = Term.current()
    return [t for t in (Term(year, 1), Term(year, 2)) if t <= current]


def _load_school(ctx: DemoContext, school: School, central: User) -> None:
    rng = random.Random(int(school.code))
    admin = ctx.objects[f"{school.code}:admin"]
    current = Term.current()
    classes = list(
        SchoolClass.objects.filter(school=school).order_by("academic_year", "grade", "name")
    )
    for year, grade in sorted({(c.academic_year, c.grade) for c in classes}):
        students = list(
            Student.objects.filter(
                class_enrolments__school_class__academic_year=year,
                class_enrolments__school_class__grade=grade,
                school=school,
            )
        )
        for term in _terms_so_far(year):
            for name, credits, category, teacher in SUBJECTS[grade]:
                if category == C.PROJECT_PRACTICE and school.type != SchoolType.TECHNICAL:
                    name, category = "多元選修：小論文寫作", C.MULTIPLE_ELECTIVE
                plan = create_plan(
                    school, actor=admin, teachers=[ctx.objects[f"{school.code}:{teacher}"]],
                    syllabus=SYLLABUS.format(name=name, category=category.label),
                    academic_year=year, semester=term.semester, name=name, credits=credits,
                    category=category, grade=grade, department=None,
                )  # fmt: skip
                submit_plan(plan, actor=admin)
                course = publish_plan(plan, actor=central).course
                graded = term < current
                CourseEnrolment.objects.bulk_create(
                    [
                        _record(course, s, rng, graded, year < current.academic_year)
                        for s in students
                    ]
                )
    _waiting_plans(school, admin, current)
    _cadres_attendance_rewards(school, classes, rng, current)
    _counselling(ctx, school, admin, classes, current)


def _record(course, student, rng: random.Random, graded: bool, past_year: bool) -> CourseEnrolment:
    record = CourseEnrolment(course=course, student=student)
    if not graded:
        return record  # the current term: the teachers are still entering grades
    original = Decimal(min(100, max(20, round(rng.gauss(74, 14)))))
    record.original_grade = original
    if original < 60 and rng.random() < 0.75:
        record.makeup_grade = Decimal(rng.randint(40, 78))  # 補考
        if record.makeup_grade < 60 and past_year and rng.random() < 0.6:
            record.retake_grade = Decimal(rng.randint(60, 85))  # 重補修 the next year
    return record


def _waiting_plans(school: School, admin: User, current: Term) -> None:
    """A submitted plan in the central queue and a draft, for the plan pages."""
    nxt = current.next()
    for name, submit in (("在地文化探索", True), ("第二外國語（日語）", False)):
        plan = create_plan(
            school, actor=admin, syllabus=f"{name}：以專題方式認識在地與世界。",
            academic_year=nxt.academic_year, semester=nxt.semester, name=name, credits=2,
            category=C.MULTIPLE_ELECTIVE, grade=1, department=None,
        )  # fmt: skip
        if submit:
            submit_plan(plan, actor=admin)


def _cadres_attendance_rewards(school, classes, rng: random.Random, current: Term) -> None:
    cadres, attendance, rewards = [], [], []
    for cls in classes:
        seats = list(cls.enrolments.select_related("student").order_by("seat_number"))
        for term in _terms_so_far(cls.academic_year):
            for enrolment, position in zip(seats[:3], ("班長", "副班長", "學藝股長"), strict=False):
                cadres.append(CadreRecord(student=enrolment.student, academic_year=term.academic_year, semester=term.semester, level=CadreLevel.CLASS, unit=cls.name, position=position))  # fmt: skip
            if len(seats) > 5:
                club = CLUBS[(cls.pk + term.semester) % len(CLUBS)]
                cadres.append(CadreRecord(student=seats[5].student, academic_year=term.academic_year, semester=term.semester, level=CadreLevel.CLUB, unit=club, position="社長"))  # fmt: skip
            if term >= current:
                continue
            for enrolment in seats:
                attendance.append(AttendanceRecord(
                    student=enrolment.student, academic_year=term.academic_year, semester=term.semester,
                    school_days=100, personal_leave=rng.choice([0, 0, 1, 2, 4]),
                    sick_leave=rng.choice([0, 1, 2, 3, 7]), official_leave=rng.choice([0, 0, 2]),
                    absence=rng.choice([0, 0, 0, 0, 1, 3]),
                ))  # fmt: skip
                if rng.random() < 0.12:
                    kind = rng.choice(
                        [
                            RewardKind.COMMENDATION,
                            RewardKind.COMMENDATION,
                            RewardKind.MINOR_MERIT,
                            RewardKind.WARNING,
                        ]
                    )
                    reason = {
                        "commendation": "熱心服務",
                        "minor_merit": "代表學校參加競賽獲獎",
                        "warning": "上課遲到",
                    }[kind]
                    given = term.start + dt.timedelta(days=rng.randint(20, 150))
                    rewards.append(RewardRecord(student=enrolment.student, academic_year=term.academic_year, semester=term.semester, kind=kind, count=1, reason=reason, given_on=given))  # fmt: skip
    top = max(c.academic_year for c in classes)
    president = (
        Student.objects.filter(
            school=school,
            class_enrolments__school_class__academic_year=top,
            class_enrolments__school_class__grade=2,
        )
        .order_by("student_number")
        .first()
    )
    if president:
        cadres.append(CadreRecord(student=president, academic_year=top, semester=1, level=CadreLevel.SCHOOL, unit="學生會", position="會長"))  # fmt: skip
    CadreRecord.objects.bulk_create(cadres, ignore_conflicts=True)
    AttendanceRecord.objects.bulk_create(attendance, ignore_conflicts=True)
    RewardRecord.objects.bulk_create(rewards)


def _counselling(ctx: DemoContext, school, admin, classes, current: Term) -> None:
    counsellor = ctx.objects[f"{school.code}:counselor"]
    for cls in classes:
        if cls.academic_year == current.academic_year:
            assign_counsellor(cls, actor=admin, counsellor=counsellor)
    ready = Student.objects.filter(school=school).order_by("student_number").first()
    if ready is None:
        return
    today = dt.date.today()
    notes = [
        (
            today - dt.timedelta(days=60),
            "討論高二選修方向：對資訊與設計有興趣，建議修程式設計與美術相關多元選修。",
            True,
        ),
        (
            today - dt.timedelta(days=20),
            "檢視學習歷程檔案：課程學習成果已上傳 3 件，提醒補上反思與個人貢獻說明。",
            False,
        ),
    ]
    for held_on, text, attach in notes:
        upload = (
            ContentFile(samples.pdf_bytes("Course plan"), name="選課規劃.pdf") if attach else None
        )
        write_record(ready, counsellor=counsellor, held_on=held_on, description=text, upload=upload)
    request_correction(
        ready,
        actor=ready.user,
        field="enrolment_date",
        requested_value=(ready.enrolment_date + dt.timedelta(days=1)).isoformat(),
        explanation="入學日期應為新生報到日",
    )
