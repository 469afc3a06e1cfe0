"""The homeroom teacher's binding queue (導師審核親子綁定) and the printable application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.domain import binding as domain
from licheng.accounts.enums import Role
from licheng.accounts.models import ParentBinding

from ...permissions import require_role
from . import application_pdf
from .binding import _applicant_email
from .forms import RefuseForm


def _decidable(user, pk: int) -> ParentBinding:
    """A binding ``user`` may decide: they are the homeroom teacher of the child; else 404."""
    binding = (
        ParentBinding.objects.select_related("student", "student__school").filter(pk=pk).first()
    )
    if binding is None or not domain.can_decide(user, binding):
        raise Http404
    return binding


@login_required
def binding_queue(request):
    require_role(request.user, Role.HOMEROOM)
    return render(
        request,
        "web/parents/queue.html",
        {"pending": domain.queue_for(request.user), "form": RefuseForm()},
    )


@login_required
@require_POST
def binding_decide(request, pk: int):
    require_role(request.user, Role.HOMEROOM)
    binding = _decidable(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            domain.approve_binding(binding, teacher=request.user)
            messages.success(
                request,
                _("已核准 %(parent)s 與 %(student)s 的綁定。")
                % {"parent": binding.parent_name, "student": binding.student.name},
            )
        elif action == "refuse":
            domain.refuse_binding(
                binding, teacher=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("已退回 %(parent)s 的申請，並以電子郵件通知家長。")
                % {"parent": binding.parent_name},
            )
        else:
            messages.error(request, _("請選擇核准或不核准"))
    except domain.BindingError as exc:
        messages.error(request, str(exc))
    return redirect("web:binding_queue")


def binding_pdf(request, pk: int):
    """The application as a PDF: for the applicant, the bound parent and the homeroom teacher."""
    email = _applicant_email(request)
    if email is None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    binding = (
        ParentBinding.objects.select_related("student", "student__school").filter(pk=pk).first()
    )
    allowed = binding is not None and (
        (email is not None and binding.email == domain.normalize_email(email))
        or (request.user.is_authenticated and binding.parent_id == request.user.pk)
        or domain.can_decide(request.user, binding)
    )
    if not allowed:
        raise Http404
    try:
        content = application_pdf.render(binding)
    except application_pdf.FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="binding-{binding.pk}.pdf"'
    return response
