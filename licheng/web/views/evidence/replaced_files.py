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


@login_required
def replaced_files(request):
    """List the school's kept files with sizes; purging asks for a confirmation first."""
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
