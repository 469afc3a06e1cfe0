"""Evidence demo: course learning outcomes in every state, diverse performances of every category,
an organizer import, a proxy certifier, with real small PDFs, images, audio and video."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licheng.curriculum.models import Course, CourseEnrolment
from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.files import store_upload
from licheng.lib.roc import Term
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.organizers import create_organizer, issue_key
from licheng.portfolio.domain.outcomes import certify_outcomes, name_proxy_certifier, return_outcome
from licheng.portfolio.domain.performances import create_performance, import_organizer_result
from licheng.portfolio.enums import OutcomeState, PerformanceSource, ReturnReason
from licheng.portfolio.models import LearningOutcome, Organizer, Performance
from licheng.schools.models import School, Student

from . import DemoContext

COURSES = [
    ("DEMO-CH", "國語文", "national_required", "teacher1"),
    ("DEMO-SC", "化學", "national_required", "teacher4"),
    ("DEMO-PJ", "專題實作", "project_practice", "teacher6"),
]

OUTCOMES = [
    # course, title, description, document, media, final state
    (
        "DEMO-CH",
        "閱讀心得：〈背影〉",
        "我比較了父子兩代的表達方式，學到以細節寫情感；下次我想改寫成劇本。",
        "pdf3",
        None,
        "certified",
    ),
    (
        "DEMO-SC",
        "酸鹼滴定實驗報告",
        "我負責滴定與記錄數據，學到判斷終點的方法，下次會重複三次取平均。",
        "pdf2",
        "mp4",
        "submitted",
    ),
    (
        "DEMO-PJ",
        "太陽能追日裝置",
        "我們小組完成追日裝置，學到馬達控制，下次會改用更省電的感測器。",
        "png",
        "mp4",
        "returned",
    ),
    ("DEMO-CH", "詩歌朗誦錄音", "謝謝老師", None, "mp3", "draft"),
]

PERFORMANCES = [
    (
        "cadre",
        "班長",
        {"level": "班級", "position": "班長", "unit": "301"},
        "我協調班上活動，學到溝通與分工。",
        "jpg",
    ),
    (
        "competition",
        "全市科展 化學組佳作",
        {"organizer": "臺北市政府教育局", "level": "縣市級", "award": "佳作", "team": "團體"},
        "我負責實驗設計與數據分析。",
        "pdf1",
    ),
    (
        "certificate",
        "英檢中級初試",
        {"issuer": "語言訓練測驗中心", "number": "GEPT-113-0001", "score": "中級"},
        "",
        "png",
    ),
    (
        "volunteer",
        "市立圖書館志工",
        {"organization": "臺北市立圖書館", "hours": 24},
        "整理書架並帶領小學生說故事。",
        None,
    ),
    (
        "self_directed",
        "自學 Python 資料分析",
        {"plan": "每週兩小時，八週", "result": "完成空氣品質資料視覺化"},
        "學到用程式回答問題，下次想加上地圖。",
        "pdf1",
    ),
    ("group_activity", "天文社", {"group": "天文社", "role": "器材長"}, "", None),
    ("work", "校園植物攝影集", {"work_type": "攝影", "team": "個人"}, "", "jpg"),
    ("workplace", "電機行暑期見習", {"employer": "大同電機行", "hours": 40}, "", None),
    (
        "advanced_course",
        "大學先修：微積分",
        {"university": "國立臺灣大學", "credits": 2},
        "",
        "pdf1",
    ),
    ("other", "國際交流接待", {"organizer": "學務處"}, "", "mp4"),
]


def _file(kind: str, name: str) -> SimpleUploadedFile:
    makers = {
        "pdf1": lambda: samples.pdf_bytes(name, pages=1),
        "pdf2": lambda: samples.pdf_bytes(name, pages=2),
        "pdf3": lambda: samples.pdf_bytes(name, pages=3),
        "png": lambda: samples.png_bytes(480, 320),
        "jpg": lambda: samples.jpg_bytes(480, 320),
        "mp3": lambda: samples.mp3_bytes(2.0),
        "mp4": lambda: samples.mp4_bytes(2.0),
    }
    extension = {"pdf1": "pdf", "pdf2": "pdf", "pdf3": "pdf"}.get(kind, kind)
    return SimpleUploadedFile(f"{name}.{extension}", makers[kind]())


def load(ctx: DemoContext) -> None:
    for school in School.objects.filter(code__in=["313301", "440301"]).order_by("code"):
        student = Student.objects.filter(school=school).order_by("student_number").first()
        if student is None:
            continue
        courses = _courses(ctx, school, student)
        if not LearningOutcome.objects.filter(student=student).exists():
            _outcomes(ctx, school, student, courses)
        if not Performance.objects.filter(student=student).exists():
            _performances(ctx, school, student)
    _organizer(ctx)


def _courses(ctx: DemoContext, school: School, student: Student) -> dict[str, Course]:
    term = Term.current()
    classmates = list(Student.objects.filter(school=school).order_by("student_number")[:6])
    courses = {}
    for code, name, category, teacher in COURSES:
        course, created = Course.objects.get_or_create(
            school=school,
            academic_year=term.academic_year,
            semester=term.semester,
            code=code,
            defaults={"name": name, "credits": 2, "category": category, "grade": 3},
        )
        if created:
            course.teachers.add(ctx.objects[f"{school.code}:{teacher}"])
            for mate in classmates:
                CourseEnrolment.objects.get_or_create(course=course, student=mate)
        courses[code] = course
    # teacher1 is the proxy certifier (代理人) of 專題實作 (R37), so one login sees two queues.
    name_proxy_certifier(
        courses["DEMO-PJ"],
        teacher=ctx.objects[f"{school.code}:teacher1"],
        actor=ctx.objects[f"{school.code}:admin"],
    )
    return courses


def _outcome(
    student: Student, course: Course, title: str, description: str, document, media
) -> LearningOutcome:
    """Created directly (not through create_outcome) so the demo loads outside the upload window."""
    stored = {
        field: store_upload(
            upload,
            rules.DOCUMENT if field == "document" else rules.MEDIA,
            owner=student,
            uploaded_by=student.user,
        )
        for field, upload in (("document", document), ("media", media))
        if upload is not None
    }
    return LearningOutcome.objects.create(
        student=student,
        course=course,
        academic_year=course.academic_year,
        semester=course.semester,
        title=title,
        description=description,
        state=OutcomeState.SUBMITTED,
        submitted_at=timezone.now(),
        **stored,
    )


def _outcomes(
    ctx: DemoContext, school: School, student: Student, courses: dict[str, Course]
) -> None:
    for code, title, description, document, media, state in OUTCOMES:
        course = courses[code]
        outcome = _outcome(
            student, course, title, description,
            _file(document, title) if document else None,
            _file(media, title) if media else None,
        )  # fmt: skip
        teacher = course.teachers.first()
        if state == "certified":
            certify_outcomes([outcome.pk], teacher=teacher)
        elif state == "returned":
            return_outcome(
                outcome,
                teacher=teacher,
                reason=ReturnReason.OTHER,
                note="請補充你在小組中負責的部分",
            )
        elif state == "draft":
            LearningOutcome.objects.filter(pk=outcome.pk).update(
                state=OutcomeState.DRAFT, submitted_at=None
            )
    # Classmates' submissions, so the teachers' queues are not empty.
    for mate in (
        Student.objects.filter(school=school).exclude(pk=student.pk).order_by("student_number")[:4]
    ):
        _outcome(
            mate,
            courses["DEMO-SC"],
            "滴定實驗報告",
            "我學到滴定終點判斷，下次會更小心控制流速。",
            _file("pdf1", "滴定"),
            None,
        )


def _performances(ctx: DemoContext, school: School, student: Student) -> None:
    today = timezone.localdate()
    for offset, (category, title, details, description, kind) in enumerate(PERFORMANCES):
        day = max(student.earliest_activity_date, today - dt.timedelta(days=30 + 40 * offset))
        try:
            create_performance(
                student,
                category=category,
                title=title,
                activity_date=day,
                details=details,
                description=description,
                link="https://example.tw/portfolio" if category == "work" else "",
                files=[_file(kind, title)] if kind else [],
                # The cadre record is registered by the school (R19: not counted).
                source=PerformanceSource.SCHOOL
                if category == "cadre"
                else PerformanceSource.STUDENT,
                actor=ctx.objects[f"{school.code}:admin"] if category == "cadre" else student.user,
            )
        except PortfolioError:
            continue  # the school closed its window: the demo shows the rest
    _second_version(student)


def _second_version(student: Student) -> None:
    """The student replaces one proof file, so the school's 舊版檔案 page has something to show."""
    from licheng.portfolio.domain.performance_edits import revise_performance

    item = (
        Performance.objects.filter(student=student, source=PerformanceSource.STUDENT)
        .exclude(files=None)
        .first()
    )
    if item is None:
        return
    # If the window is closed the first version simply stays.
    with contextlib.suppress(PortfolioError):
        revise_performance(
            item,
            title=item.title,
            activity_date=item.activity_date,
            details=dict(item.details),
            description=item.description,
            link=item.link,
            replace_file_ids={f.pk for f in item.files.all()[:1]},
            add_files=[_file("pdf2", f"{item.title}（修訂版）")],
            actor=student.user,
        )


def _organizer(ctx: DemoContext) -> None:
    central = ctx.objects.get("central")
    organizer = Organizer.objects.filter(name="全國技能競賽主辦單位").first()
    if organizer is None:
        organizer = create_organizer(
            name="全國技能競賽主辦單位", contact_email="organizer@example.tw", actor=central
        )
        Organizer.objects.filter(pk=organizer.pk).update(user=ctx.objects.get("organizer"))
        _key, raw = issue_key(organizer, label="示範金鑰", actor=central)
        ctx.login("主辦機構 API 金鑰", "—", "X-API-Key", raw)
    for school in School.objects.filter(code__in=["313301", "440301"]):
        student = Student.objects.filter(school=school).order_by("student_number").first()
        if student is None:
            continue
        try:
            import_organizer_result(
                organizer,
                record_id=f"SKILL-{school.code}-{student.student_number}",
                student=student,
                category="competition",
                title="全國技能競賽 分區賽 第三名",
                activity_date=max(
                    student.earliest_activity_date, timezone.localdate() - dt.timedelta(days=60)
                ),
                details={
                    "organizer": "勞動部勞動力發展署",
                    "level": "全國",
                    "award": "第三名",
                    "team": "個人",
                },
                files=[_file("pdf1", "技能競賽獎狀")],
            )
        except PortfolioError:
            continue
