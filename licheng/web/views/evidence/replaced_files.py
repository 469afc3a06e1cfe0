"""The school administrator's list of kept files (舊版檔案) and their purge (清除).

Kept files are the ones an item no longer uses: replaced by a new file, or left when the
student deleted the item; the list says what each belonged to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.history import kept_files_of, purge_school_replaced_files

from ...permissions import admin_school_for


def _replaced_of(school):
    return kept_files_of(school).select_related(
        "stored_file", "replaced_by", "student__user", "outcome", "performance"
    )


def _chosen(request) -> list[int] | None:
    """The kept files the administrator ticked, or None for "all of them"."""
    if request.POST.get("scope") != "selected":
        return None
    return [int(v) for v in request.POST.getlist("file") if v.isdigit()]


@login_required
def replaced_files(request):
    """List the school's kept files with sizes; purge the ticked ones or all of them, after a
    confirmation that says how many files and bytes will go."""
    school = admin_school_for(request.user, request.GET.get("school"))
    rows = _replaced_of(school)
    chosen = _chosen(request) if request.method == "POST" else None
    doomed = rows if chosen is None else rows.filter(pk__in=chosen)
    step = request.POST.get("step") if request.method == "POST" else None
    if chosen == []:
        messages.error(request, _("請先勾選要清除的舊版檔案。"))
        step = None
    elif step == "purge" and request.POST.get("confirm") != "yes":
        messages.error(request, _("請勾選「我確定要永久刪除這些舊版檔案」後再清除。"))
        step = "confirm"
    elif step == "purge":
        try:
            count = purge_school_replaced_files(school, actor=request.user, ids=chosen)
        except PortfolioError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已清除 %(n)s 個舊版檔案。") % {"n": count})
        return redirect("web:replaced_files")
    confirming = step == "confirm" and doomed.exists()
    doomed_total = doomed.aggregate(t=Sum("stored_file__size"))["t"] if confirming else 0
    context = {
        "school": school,
        "rows": rows,
        "count": len(rows),
        "total": rows.aggregate(total=Sum("stored_file__size"))["total"] or 0,
        "confirming": confirming,
        "scope": "all" if chosen is None else "selected",
        "chosen": set(chosen or []),
        "doomed_count": doomed.count() if confirming else 0,
        "doomed_total": doomed_total or 0,
    }
    return render(request, "web/evidence/replaced_files.html", context)
