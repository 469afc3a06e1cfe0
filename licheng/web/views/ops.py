"""Health probes, metrics and the backup record (維運)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from licheng.accounts.enums import Role
from licheng.ops import health
from licheng.ops import metrics as ops_metrics
from licheng.ops.domain.backups import STALE_AFTER, is_stale, last_verified, queue_manual_backup
from licheng.ops.enums import BackupStatus
from licheng.ops.models import BackupRun
from licheng.ops.tasks import run_backup

from ..permissions import require_role


@never_cache
def healthz(request):
    """The process is alive and answering; it checks nothing else on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """503 naming each unreachable dependency, so a load balancer stops sending traffic here."""
    checks = health.run_checks()
    failing = [c.name for c in checks if not c.ok]
    body = {
        "status": "unavailable" if failing else "ok",
        "checks": {c.name: "ok" if c.ok else f"unavailable ({c.detail})" for c in checks},
        "failing": failing,
    }
    return JsonResponse(body, status=503 if failing else 200)


@never_cache
def metrics(request):
    """Prometheus exposition; absent unless LICHENG_METRICS is on, token-guarded if one is set."""
    if not settings.METRICS_ENABLED:
        raise Http404
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    return HttpResponse(ops_metrics.exposition(), content_type="text/plain; version=0.0.4")


@login_required
def backups(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    runs = Paginator(BackupRun.objects.order_by("-created_at"), 30).get_page(
        request.GET.get("page")
    )
    run = last_verified()
    return render(
        request,
        "web/ops/backups.html",
        {
            "page": runs,
            "run": run,
            "stale": is_stale(run),
            "stale_hours": int(STALE_AFTER.total_seconds() // 3600),
        },
    )


@login_required
@require_POST
def backup_now(request):
    """Queue a backup outside the schedule (before an upgrade, say); one at a time."""
    require_role(request.user, Role.CENTRAL_ADMIN)
    busy = BackupRun.objects.filter(status__in=[BackupStatus.QUEUED, BackupStatus.RUNNING])
    if busy.exists():
        messages.error(request, _("已有備份在排程或執行中，請待其完成後再試。"))
        return redirect("web:ops_backups")
    run = queue_manual_backup(actor=request.user)
    run_backup.enqueue(run.pk)
    messages.success(request, _("已排入備份；完成並驗證後會列在下方。"))
    return redirect("web:ops_backups")
