"""The audit log (稽核紀錄): school administrators see their school's, central administrators all."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from licheng.accounts.enums import Role
from licheng.audit.labels import action_label, changes
from licheng.audit.queries import entries_for

from ..permissions import require_role


@login_required
def audit_log(request):
    require_role(request.user, Role.SCHOOL_ADMIN, Role.CENTRAL_ADMIN)
    entries = entries_for(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = action_label(entry.action)
        entry.changes = changes(entry.action, entry.before, entry.after)
    return render(request, "web/audit_log.html", {"page": page, "action": action})
