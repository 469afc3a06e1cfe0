"""Demo admissions: an admission year with departments, reviewers, applications and scores.

Reviewers ``reviewer1`` (chair) and ``reviewer2`` review both departments; the review period is
open now. The vocational school's grade-12 students have a central record (received through
the central intake) and pick its certified items; the general school's apply with uploaded
PDFs, marked not certified (R39). Some are scored, one is flagged for 差分檢核. Each school's
set-up demo student is registered and has a draft to finish.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from licheng.accounts.models import User
from licheng.admissions.domain import applications, review, setup
from licheng.admissions.domain.weights import ExamSubject, ScoreWeights
from licheng.admissions.enums import ChannelKind, ItemKind, RequiredItem, SubjectKind, WeightPart
from licheng.admissions.models import AdmissionYear
from licheng.admissions.sources import portfolio_items
from licheng.lib.roc import Term
from licheng.schools.models import Student

from . import DemoContext

LEVELS = ("未達基本要求", "待加強", "尚可", "良好", "優秀")
RUBRIC = [
    ("學習歷程反思與成長", 30),
    ("專業潛能與相關表現", 30),
    ("多元表現與領導能力", 20),
    ("就讀動機與未來規劃", 20),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF standing in for a student's scanned document."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, title)
    return bytes(pdf.output())


def _rubric() -> list[setup.CriterionSpec]:
    return [
        setup.CriterionSpec(name, weight, tuple(f"{level}：{name}" for level in LEVELS))
        for name, weight in RUBRIC
    ]


def load(ctx: DemoContext) -> None:
    year_number = Term.current().academic_year + 1
    committee = User.objects.get(username="committee")
    if AdmissionYear.objects.filter(year=year_number).exists():
        return
    today = timezone.localdate()
    year = setup.create_year(year_number, actor=committee)
    uni = year.channels.get(kind=ChannelKind.UNIVERSITY_APPLICATION)
    tech = year.channels.get(kind=ChannelKind.TECH_SELECTION)
    period = {
        "review_opens_on": today - dt.timedelta(days=3),
        "review_closes_on": today + dt.timedelta(days=30),
    }
    csie = setup.save_department(
        uni,
        actor=committee,
        code="001012",
        university="國立臺灣大學",
        name="資訊工程學系",
        required_items=[RequiredItem.D2],
        discrepancy_threshold=Decimal(12),
        **period,
    )
    mech = setup.save_department(
        tech,
        actor=committee,
        code="101301",
        university="國立臺北科技大學",
        name="機械工程系",
        max_project_outcomes=3,
        hide_names=True,
        **period,
    )
    setup.save_department(
        uni, actor=committee, code="001022", university="國立政治大學", name="教育學系"
    )
    setup.set_weights(
        csie,
        ScoreWeights(
            parts={WeightPart.PORTFOLIO_REVIEW: Decimal(60), WeightPart.INTERVIEW: Decimal(40)}
        ),
        actor=committee,
    )
    setup.set_weights(
        mech,
        ScoreWeights(
            parts={
                WeightPart.UNIFIED_EXAM: Decimal(30),
                WeightPart.PROJECT_REVIEW: Decimal(25),
                WeightPart.PORTFOLIO_REVIEW: Decimal(25),
                WeightPart.INTERVIEW: Decimal(20),
            },
            subjects=(
                ExamSubject("國文", SubjectKind.COMMON, Decimal(1)),
                ExamSubject("英文", SubjectKind.COMMON, Decimal(1)),
                ExamSubject("專業科目（一）", SubjectKind.PROFESSIONAL, Decimal(2)),
                ExamSubject("專業科目（二）", SubjectKind.PROFESSIONAL, Decimal(2)),
            ),
        ),
        actor=committee,
    )
    chair = User.objects.get(username="reviewer1")
    member = User.objects.get(username="reviewer2")
    for dept in (csie, mech):
        setup.set_rubric(dept, _rubric(), actor=committee)
        setup.add_reviewer(dept, chair, is_chair=True, actor=committee)
        setup.add_reviewer(dept, member, is_chair=False, actor=committee)
    _apply(csie, "313301", chair, member)
    _apply(mech, "440301", chair, member, central=True)


def _central_record(students: list[Student]) -> None:
    """Last year's annual selection of these students, received by the central repository
    through its real intake: certified outcomes (one of them 專題實作) and performances."""
    import hashlib
    import json
    import zipfile

    from licheng.central.domain.intake import ingest_package

    year = Term.current().academic_year - 1
    files: dict[str, bytes] = {}

    def entry(content: bytes, name: str) -> dict:
        sha = hashlib.sha256(content).hexdigest()
        files[sha] = content
        return {
            "name": name,
            "content_type": "application/pdf",
            "size": len(content),
            "sha256": sha,
        }

    entries = []
    for student in students:
        n = student.student_number
        items = [
            {
                "id": f"{n}-o1",
                "type": "course_outcome",
                "academic_year": year,
                "semester": 1,
                "title": "四連桿機構設計與實作",
                "description": "以 CAD 設計並加工四連桿，記錄量測與修正過程。",
                "course_code": f"{year}440301V11A0101",
                "course_name": "機械專題實作",
                "certified_on": f"{year + 1911}-01-15",
                "files": [entry(_pdf(f"Project {n}"), "專題成果.pdf")],
            },
            {
                "id": f"{n}-o2",
                "type": "course_outcome",
                "academic_year": year,
                "semester": 2,
                "title": "CNC 車床實習報告",
                "description": "練習車削並分析尺寸誤差的原因。",
                "course_code": f"{year}440301V11A0202",
                "course_name": "機械加工實習",
                "certified_on": f"{year + 1911}-06-20",
                "files": [entry(_pdf(f"CNC {n}"), "實習報告.pdf")],
            },
            {
                "id": f"{n}-p1",
                "type": "performance",
                "academic_year": year,
                "semester": None,
                "title": "全國技能競賽分區賽 銅牌",
                "description": "參加機電整合職類。",
                "category": "competition",
                "activity_date": f"{year + 1911}-04-10",
                "link": "",
                "files": [entry(_pdf(f"Award {n}"), "獎狀.pdf")],
            },
        ]
        entries.append(
            {
                "national_id": student.national_id,
                "student_number": n,
                "name": student.name,
                "items": items,
            }
        )
    school = students[0].school
    manifest = {
        "format_version": "1.0",
        "package_kind": "annual",
        "school": {"code": school.code, "name": school.name},
        "academic_year": year,
        "semester": None,
        "created_at": timezone.now().isoformat(),
        "students": entries,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for sha, content in files.items():
            archive.writestr(f"files/{sha}", content)
    out.seek(0)
    ingest_package(out, school=school)


def _apply(dept, school_code: str, chair: User, member: User, *, central: bool = False) -> None:
    """Grade-12 students of the school apply; the first (the demo login) keeps a draft."""
    seniors = list(
        Student.objects.filter(school__code=school_code)
        .order_by("student_number")
        .select_related("user", "school")[:9]
    )
    if central:
        _central_record(seniors)
    for index, student in enumerate(seniors):
        registration = applications.register(
            student, dept.channel, consent=True, actor=student.user
        )
        app = applications.start_application(registration, dept, actor=student.user)
        if central:
            # R27: this department gets all three certified items from the central record.
            picked = [p.ref for p in portfolio_items(student)]
            applications.pick_items(app, picked, actor=student.user)
        applications.save_documents(
            app,
            d1_text=f"我是{student.name}。高中三年擔任資訊社幹部，帶領社員參加科展與程式競賽，"
            "從失敗中學會分工與溝通。",
            d2_reflection="從課程學習成果中，我發現自己最投入的是動手實作與除錯的過程。",
            d2_motivation=f"希望在{dept.name}深入學習，把興趣變成專業。",
            d2_plan="大一打好數學與程式基礎，大二起參與專題研究，畢業後投入相關產業。",
            actor=student.user,
        )
        if not central:  # no central record: the student uploads PDFs, marked not certified
            applications.add_upload(
                app,
                ItemKind.SELF_PORTFOLIO,
                io.BytesIO(_pdf(f"Portfolio {student.student_number}")),
                name="學習歷程資料.pdf",
                title="學習歷程資料（課程學習成果與多元表現）",
                actor=student.user,
            )
        applications.add_upload(
            app,
            ItemKind.FORM_A,
            io.BytesIO(_pdf(f"Form A {student.student_number}")),
            name="自我推薦摘要表.pdf",
            title="自我推薦摘要表",
            actor=student.user,
        )
        if index == 0:
            continue  # the demo student finishes the application themselves
        app = applications.submit(app, actor=student.user)
        criteria = list(dept.criteria.all())
        if index <= 6:
            base = [5, 4, 4, 3, 5, 3][index - 1]
            review.score_application(
                app, reviewer=chair, levels={c.pk: base for c in criteria}, comment="反思具體。"
            )
            # The third applicant gets far apart scores: 差分檢核.
            levels = {c.pk: 2 if index == 3 else base for c in criteria}
            if index != 3:
                levels[criteria[-1].pk] = max(1, base - 1)  # a small, ordinary disagreement
            review.score_application(app, reviewer=member, levels=levels, comment="")
