"""The school administrator's list of replaced files (舊版檔案) and their purge (清除)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import purge_school_replaced_files
from licheng.portfolio.models import ReplacedFile

from ...permissions import admin_school_for


def _replaced_of(school):
    return ReplacedFile.objects.filter(
        Q(outcome__student__school=school) | Q(performance__student__school=school)
    ).select_related(
        "stored_file",
        "replaced_by",
        "outcome__student__user",
        "outcome__course",
        "performance__student__user",
    )


@login_required
def replaced_files(request):
    """List the school's replaced files with sizes; purging asks for a confirmation first."""
    school = admin_school_for(request.user, request.GET.get("school"))
    rows = _replaced_of(school)
    total = rows.aggregate(total=Sum("stored_file__size"))["total"] or 0
    confirming = request.method == "POST" and request.POST.get("step") != "purge"
    if request.method == "POST" and request.POST.get("step") == "purge":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("請勾選「我確定要永久刪除這些舊版檔案」後再清除。"))
            confirming = True
        else:
            try:
                count = purge_school_replaced_files(school, actor=request.user)
            except PortfolioError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已清除 %(n)s 個舊版檔案。") % {"n": count})
            return redirect("web:replaced_files")
    context = {
        "school": school,
        "rows": rows,
        "count": len(rows),
        "total": total,
        "confirming": confirming and bool(rows),
    }
    return render(request, "web/evidence/replaced_files.html", context)
