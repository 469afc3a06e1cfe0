"""Annual selection (年度勾選, R20, R22–R24) and the annual package built from it (R22).

A student ticks, inside the school's selection window (R23), at most the year's national caps of
certified course learning outcomes (R14) and diverse performances; earlier years' performances
may be ticked and count against this year's cap (R20). Once the central repository has received
the school's annual package, the selection of that year is frozen (R24).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from licheng.audit.domain import record
from licheng.lib.exchange import FORMAT_VERSION
from licheng.lib.roc import Term
from licheng.portfolio.enums import OutcomeState, PerformanceState
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import School, Student

from ..models import AnnualSelection, SelectedItem
from .caps import caps_for
from .items import outcome_entry, performance_entry
from .precheck import Problem, SubmissionError


class SelectionError(ValueError):
    pass


def selection_year(school: School, today: dt.date) -> int:
    """The year a student selects for today: the one whose selection window is open, else the
    year that ended last (its window is the next to open)."""
    this_year = Term.of(today).academic_year
    for year in (this_year - 1, this_year):
        if window_for(school, WindowKind.SELECTION, year).is_open(today):
            return year
    return this_year - 1


def candidate_outcomes(student: Student, academic_year: int) -> QuerySet[LearningOutcome]:
    """The year's outcomes the student uploaded (only certified ones can be ticked, R14)."""
    return (
        LearningOutcome.objects.filter(student=student, academic_year=academic_year)
        .exclude(state=OutcomeState.DRAFT)
        .select_related("course", "document", "media")
        .order_by("semester", "course__code", "pk")
    )


def candidate_performances(student: Student, academic_year: int) -> QuerySet[Performance]:
    """This year's performances and earlier years' (R20)."""
    return (
        Performance.objects.filter(student=student, academic_year__lte=academic_year)
        .exclude(state=PerformanceState.DRAFT)
        .prefetch_related("files")
        .order_by("-academic_year", "-activity_date", "pk")
    )


def sent_in_earlier_years(student: Student, academic_year: int) -> dict[int, int]:
    """Performance id → the earlier year whose submitted selection carried it."""
    return dict(
        SelectedItem.objects.filter(
            selection__student=student,
            selection__academic_year__lt=academic_year,
            selection__submitted_at__isnull=False,
            performance__isnull=False,
        ).values_list("performance_id", "selection__academic_year")
    )


def selection_of(student: Student, academic_year: int) -> AnnualSelection | None:
    return (
        AnnualSelection.objects.filter(student=student, academic_year=academic_year)
        .prefetch_related("items")
        .first()
    )


def check_window(school: School, academic_year: int, today: dt.date) -> None:
    """R23: selection only inside the school's selection window."""
    window = window_for(school, WindowKind.SELECTION, academic_year)
    if not window.is_open(today):
        raise SelectionError(
            f"{academic_year}學年度的勾選期間為 {window.opens_on:%Y-%m-%d} 至 "
            f"{window.closes_on:%Y-%m-%d}，目前不在期間內"
        )


@transaction.atomic
def save_selection(
    student: Student,
    academic_year: int,
    *,
    outcome_ids: Iterable[int],
    performance_ids: Iterable[int],
    actor: Any,
    today: dt.date | None = None,
) -> AnnualSelection:
    """Save the student's ticks for the year (儲存勾選), replacing the previous ones, audited."""
    check_window(student.school, academic_year, today or timezone.localdate())
    selection, _created = AnnualSelection.objects.select_for_update().get_or_create(
        student=student, academic_year=academic_year
    )
    if selection.is_frozen:
        raise SelectionError("學校已提交本學年度資料，勾選已鎖定")  # R24
    outcomes = _checked_outcomes(student, academic_year, set(outcome_ids))
    performances = _checked_performances(student, academic_year, set(performance_ids))
    before = sorted(_keys(selection.items.all()))
    selection.items.all().delete()
    SelectedItem.objects.bulk_create(
        [SelectedItem(selection=selection, outcome=o) for o in outcomes]
        + [SelectedItem(selection=selection, performance=p) for p in performances]
    )
    selection.save(update_fields=["updated_at"])
    record(
        "selection.save",
        actor=actor,
        obj=selection,
        school=student.school,
        before={"items": before},
        after={"items": sorted(_keys(selection.items.all()))},
    )
    return selection


def _keys(items: Iterable[SelectedItem]) -> list[str]:
    return [f"o{i.outcome_id}" if i.outcome_id else f"p{i.performance_id}" for i in items]


def _checked_outcomes(student: Student, year: int, ids: set[int]) -> list[LearningOutcome]:
    caps = caps_for(year)
    if len(ids) > caps.max_outcomes:  # R22
        raise SelectionError(f"課程學習成果最多勾選 {caps.max_outcomes} 件，你勾選了 {len(ids)} 件")
    outcomes = list(LearningOutcome.objects.filter(pk__in=ids, student=student, academic_year=year))
    if len(outcomes) != len(ids):
        raise SelectionError(f"勾選的課程學習成果不是你在{year}學年度上傳的")
    for outcome in outcomes:
        if outcome.state != OutcomeState.CERTIFIED:  # R14
            raise SelectionError(f"「{outcome.title}」尚未通過教師認證，不能勾選")
    return outcomes


def _checked_performances(student: Student, year: int, ids: set[int]) -> list[Performance]:
    caps = caps_for(year)
    if len(ids) > caps.max_performances:  # R22; earlier years' count too (R20)
        raise SelectionError(
            f"多元表現最多勾選 {caps.max_performances} 件（含以前學年度的項目），你勾選了 {len(ids)} 件"
        )
    performances = list(
        Performance.objects.filter(pk__in=ids, student=student, academic_year__lte=year).exclude(
            state=PerformanceState.DRAFT
        )
    )
    if len(performances) != len(ids):
        raise SelectionError("勾選的多元表現不是你上傳的，或屬於以後的學年度")
    return performances


# --- the school's side: pre-check, package, freezing -------------------------------------


def _selections(school: School, academic_year: int) -> QuerySet[AnnualSelection]:
    items = SelectedItem.objects.select_related(
        "outcome__course",
        "outcome__document",
        "outcome__media",
        "outcome__certified_by",
        "performance",
    ).prefetch_related("performance__files")
    return (
        AnnualSelection.objects.filter(student__school=school, academic_year=academic_year)
        .select_related("student")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("student__student_number")
    )


def precheck_annual(school: School, academic_year: int) -> dict[Student, list[Problem]]:
    """Pre-check (預檢) of the year's selections, per student."""
    caps = caps_for(academic_year)
    result: dict[Student, list[Problem]] = {}
    selected = {s.student_id: s for s in _selections(school, academic_year)}
    students = (
        Student.objects.filter(
            school=school, class_enrolments__school_class__academic_year=academic_year
        )
        .distinct()
        .order_by("student_number")
    )
    for student in students:
        selection = selected.pop(student.pk, None)
        problems = _selection_problems(selection, caps) if selection else []
        if selection is None or not selection.items.all():
            problems.append(Problem("沒有勾選任何項目", blocking=False))
        if problems:
            result[student] = problems
    for selection in selected.values():  # selected in that year, no longer seated in a class
        if problems := _selection_problems(selection, caps):
            result[selection.student] = problems
    return result


def _selection_problems(selection: AnnualSelection, caps: Any) -> list[Problem]:
    problems = []
    items = list(selection.items.all())
    outcomes = [i.outcome for i in items if i.outcome is not None]
    performances = [i.performance for i in items if i.performance is not None]
    if len(outcomes) > caps.max_outcomes:
        problems.append(
            Problem(f"課程學習成果 {len(outcomes)} 件，超過上限 {caps.max_outcomes} 件")
        )
    if len(performances) > caps.max_performances:
        problems.append(
            Problem(f"多元表現 {len(performances)} 件，超過上限 {caps.max_performances} 件")
        )
    for outcome in outcomes:
        if outcome.state != OutcomeState.CERTIFIED:
            problems.append(Problem(f"「{outcome.title}」未通過認證（R14）"))
        if not outcome.files:
            problems.append(Problem(f"「{outcome.title}」缺少檔案"))
    for performance in performances:
        if not performance.description.strip():
            problems.append(Problem(f"多元表現「{performance.title}」沒有簡述", blocking=False))
    return problems


def annual_manifest(
    school: School, academic_year: int, *, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The annual package's manifest and where each of its files is (R22)."""
    sources: dict[str, Any] = {}
    selections = [s for s in _selections(school, academic_year) if s.items.all()]
    if not selections:
        raise SubmissionError("沒有任何學生勾選項目，沒有資料可以提交")
    entries = []
    for n, selection in enumerate(selections, 1):
        items = [
            outcome_entry(i.outcome, sources)
            if i.outcome is not None
            else performance_entry(i.performance, sources)  # type: ignore[arg-type]
            for i in selection.items.all()
        ]
        student = selection.student
        entries.append(
            {
                "national_id": student.national_id,
                "student_number": student.student_number,
                "name": student.name,
                "items": items,
            }
        )
        if progress is not None:
            progress(n, len(selections))
    manifest = {
        "format_version": FORMAT_VERSION,
        "package_kind": "annual",
        "school": {"code": school.code, "name": school.name},
        "academic_year": academic_year,
        "semester": None,
        "created_at": timezone.now().isoformat(),
        "students": entries,
    }
    return manifest, sources


def freeze_selections(school: School, academic_year: int, national_ids: list[str]) -> int:
    """R24: the selections the central repository received are frozen."""
    return AnnualSelection.objects.filter(
        student__school=school,
        academic_year=academic_year,
        student__national_id__in=national_ids,
        submitted_at=None,
    ).update(submitted_at=timezone.now())
