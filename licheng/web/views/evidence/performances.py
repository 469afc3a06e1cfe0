"""The student's diverse performances (我的多元表現): list and upload, fields per category."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.lib.roc import Term
from licheng.portfolio.categories import FIELDS, choice_label
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.performances import (
    create_performance,
    own_count,
    performance_errors,
)
from licheng.portfolio.enums import PerformanceCategory
from licheng.portfolio.queries import performances_of, student_of
from licheng.portfolio.rules import window_error
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PerformanceForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("類別"),
        choices=[("", gettext_lazy("請選擇類別")), *PerformanceCategory.choices],
    )
    title = forms.CharField(label=gettext_lazy("名稱"), max_length=100)
    activity_date = forms.DateField(
        label=gettext_lazy("活動日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=gettext_lazy("簡述"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "js-hints", "data-count": "100"}),
        help_text=gettext_lazy("100 字以內"),
    )
    link = forms.CharField(
        label=gettext_lazy("外部連結（http/https）"), required=False, max_length=500
    )
    files = MultipleFileField(
        label=gettext_lazy("證明文件（PDF、JPG、PNG 4 MB；MP3、MP4 10 MB；最多 3 個）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.mp3,.mp4"}),
    )


def detail_name(category: str, name: str) -> str:
    """A category field's form name. Categories share field names (a competition and a cadre
    post both have a level), and the page carries every category's set, so each is named with its
    category: the browser sends all of them, and only the chosen category's are read."""
    return f"detail_{category}_{name}"


def posted_details(post, category: str) -> dict[str, str]:
    """The chosen category's fields, as the domain names them (R15)."""
    return {f.name: post.get(detail_name(category, f.name), "") for f in FIELDS.get(category, ())}


def category_fieldsets(data=None, errors=None):
    """The category's own fields, grouped so the page shows the chosen category's set.
    ``errors`` are the domain's, keyed ``detail_<field>``: they belong to the chosen category."""
    data, errors = data or {}, errors or {}
    return [
        {
            "category": value,
            "label": label,
            "fields": [
                {
                    "name": detail_name(value, f.name),
                    "id": f"id_{value}_{f.name}",
                    "label": f.label,
                    "required": f.required,
                    "kind": f.kind,
                    "choices": [(c, choice_label(c)) for c in f.choices],
                    "value": data.get(detail_name(value, f.name), ""),
                    "error": errors.get(f"detail_{f.name}")
                    if data.get("category") == value
                    else None,
                }
                for f in FIELDS[value]
            ],
        }
        for value, label in PerformanceCategory.choices
    ]


def unchecked_problems(form, student, category: str) -> dict[str, str]:
    """When the form itself refused the post, what the domain says of the rest (R15–R17), so
    one answer names every problem; fields the form could not read are checked as empty."""
    data = form.cleaned_data
    _details, problems = performance_errors(
        student,
        category=category,
        title=data.get("title", ""),
        activity_date=data.get("activity_date"),
        details=posted_details(form.data, category),
        description=data.get("description", ""),
        link=data.get("link", "").strip(),
    )
    return problems


def report_problems(form, problems: dict[str, str]) -> dict[str, str]:
    """Put each problem on its own field (the form's own message wins where it has one) and
    return the category fields' ones, keyed ``detail_<field>``, for ``category_fieldsets``."""
    detail_errors: dict[str, str] = {}
    for field, message in problems.items():
        if field.startswith("detail_"):
            detail_errors[field] = message
        elif field not in form.fields:
            form.add_error(None, message)
        elif field not in form.errors:
            form.add_error(field, message)
    if detail_errors and not form.errors:
        # The category fields are drawn outside the form: this makes the page say so and the
        # answer a 400 like any other refusal.
        form.add_error(None, _("表單有錯誤，請依欄位旁的說明修正。"))
    if form.errors and form.files.getlist("files") and "files" not in form.errors:
        # A browser never refills a file input; without this the next submit would quietly
        # save the item with no proof files.
        form.add_error("files", _("證明文件尚未上傳，請修正其他欄位後重新選擇檔案。"))
    return detail_errors


@login_required
def performances(request):
    student = student_of(request.user)
    form = PerformanceForm(request.POST or None, request.FILES or None)
    detail_errors: dict[str, str] = {}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = create_performance(
                    student,
                    category=data["category"],
                    title=data["title"],
                    activity_date=data["activity_date"],
                    details=posted_details(request.POST, data["category"]),
                    description=data["description"],
                    link=data["link"].strip(),
                    files=request.FILES.getlist("files"),
                    actor=request.user,
                )
            except PortfolioError as exc:
                problems = exc.errors
            else:
                messages.success(request, _("已上傳「%(title)s」。") % {"title": item.title})
                return redirect("web:performances")
        else:
            problems = unchecked_problems(form, student, form.cleaned_data.get("category", ""))
        detail_errors = report_problems(form, problems)
    year = Term.current().academic_year
    window = window_for(student.school, WindowKind.PERFORMANCE_UPLOAD, year)
    context = {
        "form": form,
        "fieldsets": category_fieldsets(request.POST, detail_errors),
        "items": list(performances_of(student)),
        "year": year,
        "own_count": own_count(student, year),
        "limit": policy_of(student.school).performances_per_year,
        "window": window,
        "window_message": window_error(window, timezone.localdate()),
        "earliest": student.earliest_activity_date,
    }
    return render(
        request, "web/evidence/performances.html", context, status=400 if form.errors else 200
    )
