"""Builders for admission tests: a year with its channels, a department with a rubric, applicants."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.admissions.domain import applications, review, setup
from licheng.admissions.enums import ChannelKind, ItemKind
from licheng.admissions.models import AdmissionYear, Channel, Department
from licheng.admissions.sources import PortfolioItem
from tests.factories import staff


def _pdf(pages: int = 1) -> bytes:
    """A valid PDF of blank A4 pages (what a scanner would give, minus the pixels)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_BYTES = _pdf()
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def committee_member():
    return staff(Role.COMMITTEE, None, full_name="甄選會承辦人")


def admission_year(actor=None, year: int = 115) -> AdmissionYear:
    existing = AdmissionYear.objects.filter(year=year).first()
    return existing or setup.create_year(year, actor=actor)


def channel(kind: ChannelKind = ChannelKind.UNIVERSITY_APPLICATION, year: int = 115) -> Channel:
    return admission_year(year=year).channels.get(kind=kind)


def department(
    kind: ChannelKind = ChannelKind.UNIVERSITY_APPLICATION,
    *,
    code: str = "001012",
    open_review: bool = True,
    threshold: Decimal = Decimal(15),
    **values,
) -> Department:
    today = timezone.localdate()
    values.setdefault("university", "國立臺灣大學")
    values.setdefault("name", "資訊工程學系")
    if open_review:
        values.setdefault("review_opens_on", today - dt.timedelta(days=1))
        values.setdefault("review_closes_on", today + dt.timedelta(days=10))
    dept = setup.save_department(
        channel(kind), actor=None, code=code, discrepancy_threshold=threshold, **values
    )
    setup.set_rubric(
        dept,
        [
            setup.CriterionSpec("學習歷程反思", 40, tuple(f"等級{i}描述" for i in range(1, 6))),
            setup.CriterionSpec("專業潛能", 60, tuple(f"等級{i}說明" for i in range(1, 6))),
        ],
        actor=None,
    )
    return dept


def seat(dept: Department, user=None, *, chair: bool = False):
    user = user or staff(Role.REVIEWER, None)
    setup.add_reviewer(dept, user, is_chair=chair, actor=None)
    return user


def portfolio(
    n_outcomes: int = 4, n_projects: int = 0, n_performances: int = 3
) -> list[PortfolioItem]:
    items = [PortfolioItem(f"o{i}", ItemKind.OUTCOME, f"課程成果{i}") for i in range(n_outcomes)]
    items += [
        PortfolioItem(f"p{i}", ItemKind.PROJECT_OUTCOME, f"專題{i}") for i in range(n_projects)
    ]
    items += [
        PortfolioItem(f"m{i}", ItemKind.PERFORMANCE, f"多元表現{i}") for i in range(n_performances)
    ]
    return items


def submitted_application(student, dept: Department, *, refs=("o0", "m0")):
    """A released application: registered with consent, items picked, documents written."""
    registration = applications.register(student, dept.channel, consent=True, actor=student.user)
    app = applications.start_application(registration, dept, actor=student.user)
    applications.pick_items(app, refs, actor=student.user, available=portfolio(n_projects=2))
    applications.save_documents(
        app,
        d1_text="我參加了科展並擔任組長。",
        d2_reflection="反思",
        d2_motivation="動機",
        d2_plan="計畫",
        actor=student.user,
    )
    applications.add_upload(
        app,
        ItemKind.FORM_A,
        io.BytesIO(PDF_BYTES),
        name="formA.pdf",
        title="表A",
        actor=student.user,
    )
    return applications.submit(app, actor=student.user)


def score(app, user, levels: tuple[int, int], comment: str = ""):
    criteria = list(app.department.criteria.all())
    return review.score_application(
        app,
        reviewer=user,
        levels={c.pk: lv for c, lv in zip(criteria, levels, strict=True)},
        comment=comment,
    )
