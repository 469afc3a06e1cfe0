"""The student's course learning outcomes (我的課程學習成果): list, upload, fix and resubmit."""

from __future__ import annotations

from collections import Counter
from functools import cache

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.evidence import rules
from licheng.evidence.domain.files import quota_bytes, used_bytes
from licheng.evidence.domain.validation import EvidenceRejected, inspect_upload
from licheng.lib.i18n import in_brackets
from licheng.lib.roc import Term
from licheng.lib.text import char_count
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import (
    EDITABLE_STATES,
    create_outcome,
    delete_draft_outcome,
    draft_delete_error,
    revise_outcome,
)
from licheng.portfolio.hints import description_hints, outcome_hints, shown
from licheng.portfolio.models import DESCRIPTION_MAX_CHARS
from licheng.portfolio.queries import (
    courses_for_upload,
    get_own_outcome,
    outcomes_of,
    same_named_course_codes,
    student_of,
)
from licheng.portfolio.rules import window_error
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind

from .confirm import confirm_delete
from .performances import detail_name


class CourseChoiceField(forms.TypedChoiceField):
    """The course picker (R9). Its options are the student's courses this semester, read only when
    the form is drawn; a submitted id is checked by the upload itself, against the student's
    enrolment, in the query that reads the rest of what an upload is checked against
    (portfolio/domain/admission.py) — on deadline day, one query fewer per upload."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.error_messages["invalid_choice"] = gettext_lazy("請從清單中選擇課程")

    def valid_value(self, value):
        return True  # any id: create_outcome refuses a course the student may not pick (R9)


class OutcomeForm(forms.Form):
    course = CourseChoiceField(label=gettext_lazy("課程"))
    title = forms.CharField(label=gettext_lazy("成果名稱"), max_length=60)
    description = forms.CharField(
        label=gettext_lazy("簡述"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "js-hints", "data-count": "100"}),
        help_text=gettext_lazy("100 字以內：做了什麼、學到什麼、接下來的打算。"),
    )
    document = forms.FileField(
        label=gettext_lazy("文件檔（PDF、JPG、PNG，4 MB 以內）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    media = forms.FileField(
        label=gettext_lazy("影音檔（MP3、MP4，10 MB 以內）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".mp3,.mp4"}),
    )

    def __init__(self, *args, courses=None, with_course=True, **kwargs):
        """``courses``: a callable returning the courses to offer, called only to draw the form."""
        super().__init__(*args, **kwargs)
        if with_course:
            self.fields["course"].choices = lambda: [
                ("", _("請選擇課程")),
                *course_choices(courses()),
            ]
        else:
            del self.fields["course"]


def course_choices(courses) -> list[tuple[int, str]]:
    """The picker's options: all of this semester, so the course's name says enough — with its
    course code (課程代碼) when two courses share a name, as a 國語文 taught in two groups does."""
    names = Counter(course.name for course in courses)
    return [
        (
            course.pk,
            course.name if names[course.name] == 1 else f"{course.name}{in_brackets(course.code)}",
        )
        for course in courses
    ]


def _storage(student):
    used, quota = used_bytes(student), quota_bytes(student)
    return {
        "used": used,
        "quota": quota,
        "percent": min(100, round(100 * used / quota)) if quota else 0,
    }


# The outcome form's file inputs and the kinds each takes (R10).
FILE_SLOTS = {"document": rules.DOCUMENT, "media": rules.MEDIA}


def report_chosen_files(form) -> None:
    """After a refusal, say what became of each chosen file: the upload's checks run on it now
    (nothing is stored), so one answer names every problem; one that passed must be chosen again,
    since a browser never refills a file input."""
    for field, kinds in FILE_SLOTS.items():
        upload = form.files.get(field)
        if upload is None or field not in form.fields or field in form.errors:
            continue
        try:
            inspect_upload(upload, upload.name or "", upload.size or 0, kinds)
        except EvidenceRejected as exc:
            form.add_error(field, exc.message)
        else:
            form.add_error(field, _("檔案尚未上傳，請修正其他欄位後重新選擇檔案。"))


def _submit_requested(request) -> bool:
    return request.POST.get("action") != "draft"


@login_required
def outcomes(request):
    student = student_of(request.user)
    term = Term.current()
    courses = cache(lambda: list(courses_for_upload(student, term)))
    form = OutcomeForm(request.POST or None, request.FILES or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = create_outcome(
                student,
                course=data["course"],
                title=data["title"],
                description=data["description"],
                document=data["document"] or None,
                media=data["media"] or None,
                submit=_submit_requested(request),
                actor=request.user,
            )
        except PortfolioError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已上傳「%(title)s」。") % {"title": outcome.title})
            return redirect("web:outcome", pk=outcome.pk)
    if form.errors:
        report_chosen_files(form)
    window = window_for(
        student.school, WindowKind.OUTCOME_UPLOAD, term.academic_year, term.semester
    )
    items = list(outcomes_of(student))
    policy = policy_of(student.school)
    term_count = sum(1 for o in items if o.term == term and o.transfer_id is None)  # R11
    context = {
        "form": form,
        "term": term,
        "window": window,
        "window_message": window_error(window, timezone.localdate()),
        "items": items,
        "coded": same_named_course_codes(items),
        "term_count": term_count,
        # At the limit the page says so instead of offering a form that can only be refused.
        "quota_full": term_count >= policy.outcomes_per_semester,
        "policy": policy,
        "storage": _storage(student),
        "has_courses": bool(courses()),
    }
    return render(
        request, "web/evidence/outcomes.html", context, status=400 if form.errors else 200
    )


@login_required
def outcome(request, pk):
    item = get_own_outcome(request.user, pk)
    # An outcome from the previous school (R38) belongs to a course there: nobody here certifies it.
    editable = item.state in EDITABLE_STATES and item.course_id is not None
    form = OutcomeForm(
        request.POST or None,
        request.FILES or None,
        with_course=False,
        initial={"title": item.title, "description": item.description},
    )
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        try:
            revise_outcome(
                item,
                title=data["title"],
                description=data["description"],
                document=data["document"] or None,
                media=data["media"] or None,
                submit=_submit_requested(request),
                actor=request.user,
            )
        except PortfolioError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if _submit_requested(request):
                messages.success(request, _("已送出認證，請等候任課教師認證。"))
            else:
                messages.success(request, _("已儲存草稿。"))
            return redirect("web:outcome", pk=item.pk)
    if form.errors:
        report_chosen_files(form)
    context = {
        "item": item,
        "form": form,
        "editable": editable,
        "hints": shown(outcome_hints(item)),
    }
    return render(request, "web/evidence/outcome.html", context, status=400 if form.errors else 200)


@login_required
def outcome_delete(request, pk):
    """A confirmation page; the POST deletes the draft and frees its place (R11), or says why
    it cannot."""
    item = get_own_outcome(request.user, pk)
    return confirm_delete(
        request,
        item,
        refusal=draft_delete_error(item),
        delete=lambda: delete_draft_outcome(item, actor=request.user),
        deleted=_("已刪除草稿「%(title)s」。") % {"title": item.title},
        back="web:outcomes",
        template="web/evidence/outcome_delete.html",
    )


@login_required
def hints(request):
    """The quality hints for a description being typed (htmx partial); warns, never blocks."""
    student_of(request.user)
    text = request.POST.get("description", "")[:2000]
    # A team competition or work (個人或團體 = 團體) needs a statement of the student's own part.
    category = request.POST.get("category", "")
    group = request.POST.get(detail_name(category, "team")) == "團體"
    found = description_hints(text, group_work=group)
    return render(
        request,
        "web/evidence/_hints.html",
        {
            "hints": shown(found),
            "checked": bool(text.strip()),
            # a live count, as the limit counts it (a CJK character is one, R10)
            "count": char_count(text.strip()),
            "limit": DESCRIPTION_MAX_CHARS,
        },
    )
