"""Edit or delete one of the student's own diverse performances (修改/刪除多元表現)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.performance_edits import (
    change_error,
    delete_performance,
    revise_performance,
    selection_error,
)
from licheng.portfolio.queries import get_own_performance

from .confirm import confirm_delete
from .performances import (
    MultipleFileField,
    MultipleFileInput,
    PerformanceForm,
    category_fieldsets,
    detail_name,
    posted_details,
    report_problems,
    unchecked_problems,
)


class PerformanceEditForm(PerformanceForm):
    """The upload form without the category (its fields define the item), plus file choices."""

    replace = forms.MultipleChoiceField(
        label=gettext_lazy("要換掉的證明文件（舊檔仍會保存）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(
        label=gettext_lazy("新增證明文件（PDF、JPG、PNG 4 MB；MP3、MP4 10 MB；合計最多 3 個）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.mp3,.mp4"}),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]
        self.fields["replace"].choices = [(str(f.pk), f.original_name) for f in item.files.all()]


@login_required
def performance_edit(request, pk):
    item = get_own_performance(request.user, pk)
    refusal = change_error(item)
    initial = {
        "title": item.title,
        # An <input type="date"> reads only ISO dates, whatever the locale format is.
        "activity_date": item.activity_date.isoformat(),
        "description": item.description,
        "link": item.link,
    }
    form = PerformanceEditForm(
        request.POST or None, request.FILES or None, item=item, initial=initial
    )
    detail_errors: dict[str, str] = {}
    if request.method == "POST" and not refusal:
        if form.is_valid():
            data = form.cleaned_data
            try:
                revise_performance(
                    item,
                    title=data["title"],
                    activity_date=data["activity_date"],
                    details=posted_details(request.POST, item.category),
                    description=data["description"],
                    link=data["link"].strip(),
                    replace_file_ids=set(data["replace"]),
                    add_files=request.FILES.getlist("files"),
                    actor=request.user,
                )
            except PortfolioError as exc:
                problems = exc.errors
            else:
                messages.success(
                    request, _("已儲存「%(title)s」的修改。") % {"title": data["title"]}
                )
                return redirect("web:performance_edit", pk=item.pk)
        else:
            problems = unchecked_problems(form, item.student, item.category)
        detail_errors = report_problems(form, problems)
    if request.method == "POST":
        values = {**request.POST.dict(), "category": item.category}
    else:
        values = {
            "category": item.category,
            **{detail_name(item.category, k): v for k, v in (item.details or {}).items()},
        }
    fieldset = next(
        s for s in category_fieldsets(values, detail_errors) if s["category"] == item.category
    )
    if request.method == "POST" and refusal:
        form.add_error(None, refusal)
    context = {"item": item, "form": form, "fieldset": fieldset, "refusal": refusal}
    return render(
        request,
        "web/evidence/performance_edit.html",
        context,
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def performance_delete(request, pk):
    """A confirmation page; the POST deletes, or says why it cannot (R19, selection)."""
    item = get_own_performance(request.user, pk)
    return confirm_delete(
        request,
        item,
        refusal=change_error(item) or selection_error(item),
        delete=lambda: delete_performance(item, actor=request.user),
        deleted=_("已刪除「%(title)s」。") % {"title": item.title},
        back="web:performances",
        template="web/evidence/performance_delete.html",
    )
