"""Administration of the evidence area: proxy certifiers (school), organizer API keys (central)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from licheng.accounts.enums import Role
from licheng.accounts.models import User
from licheng.curriculum.models import Course
from licheng.lib.roc import Term
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.organizers import create_organizer, issue_key, revoke_key
from licheng.portfolio.domain.outcomes import name_proxy_certifier, remove_proxy_certifier
from licheng.portfolio.models import Organizer, OrganizerKey, ProxyCertifier

from ...permissions import admin_school_for, require_role


@login_required
def proxy_certifiers(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    term = Term.current()
    courses = Course.objects.filter(
        school=school, academic_year=term.academic_year, semester=term.semester
    ).prefetch_related("teachers", "proxy_certifiers__teacher")
    teachers = User.objects.filter(roles__role=Role.TEACHER, roles__school=school).order_by(
        "full_name"
    )
    error = None
    if request.method == "POST":
        if request.POST.get("remove"):
            proxy = get_object_or_404(
                ProxyCertifier, pk=request.POST["remove"], course__school=school
            )
            remove_proxy_certifier(proxy, actor=request.user)
            messages.success(request, _("已移除代理人。"))
            return redirect("web:proxy_certifiers")
        course = get_object_or_404(Course, pk=request.POST.get("course") or 0, school=school)
        try:
            teacher = _chosen_teacher(request.POST.get("teacher", ""))
            name_proxy_certifier(course, teacher=teacher, actor=request.user)
        except PortfolioError as exc:
            # Shown in the course's own row, next to the selector it concerns.
            error = {"course": course.pk, "message": exc.message}
        else:
            messages.success(
                request,
                _("已指定 %(t)s 為「%(c)s」的代理人。")
                % {"t": teacher.full_name, "c": course.name},
            )
            return redirect("web:proxy_certifiers")
    return render(
        request,
        "web/evidence/proxy_certifiers.html",
        {"school": school, "courses": courses, "teachers": teachers, "term": term, "error": error},
        status=400 if error else 200,
    )


def _chosen_teacher(raw: str) -> User:
    """The user the form names; whether they may be the proxy is the domain's rule (R37).

    Any user is fetched, not only this school's teachers, so that a tampered id gets the domain's
    clear refusal rather than a bare 404; the refusal names no one of another school.
    """
    try:
        pk = int(raw.strip())
    except ValueError:
        pk = 0
    # In the range of a bigint key: PostgreSQL refuses a larger number outright.
    teacher = User.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if teacher is None:
        raise PortfolioError(_("請選擇教師"), "teacher")
    return teacher


ISSUE_ONCE = "organizer_keys.issue_once"


@login_required
def organizer_keys(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    new_key = None
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                create_organizer(
                    name=request.POST.get("name", ""),
                    contact_email=request.POST.get("contact_email", "").strip(),
                    actor=request.user,
                )
                messages.success(request, _("已新增主辦機構。"))
            elif action == "issue":
                organizer = get_object_or_404(Organizer, pk=request.POST.get("organizer") or 0)
                # The new key is shown on this response only, so it cannot redirect; a reload
                # re-sends the form. Each page carries a one-time token: a re-sent form issues
                # nothing and says so, instead of a second live key.
                if request.POST.get("once") != request.session.pop(ISSUE_ONCE, None):
                    messages.warning(
                        request,
                        _(
                            "這張表單已送出過（例如重新整理了頁面），沒有再核發金鑰；"
                            "金鑰只在核發當下顯示一次。"
                        ),
                    )
                    return redirect("web:organizer_keys")
                _key, new_key = issue_key(
                    organizer, label=request.POST.get("label", ""), actor=request.user
                )
            elif action == "revoke":
                key = get_object_or_404(OrganizerKey, pk=request.POST.get("key") or 0)
                if request.POST.get("confirm") != "yes":  # the organizer's imports stop at once
                    raise PortfolioError(_("請先勾選「確定撤銷」再撤銷金鑰"), "revoke")
                revoke_key(key, actor=request.user)
                messages.success(request, _("已撤銷金鑰 %(p)s…。") % {"p": key.prefix})
        except PortfolioError as exc:
            errors[exc.field] = exc.message
        if new_key is None and not errors:
            return redirect("web:organizer_keys")
    organizers = Organizer.objects.prefetch_related("keys")
    request.session[ISSUE_ONCE] = once = secrets.token_urlsafe(16)
    response = render(
        request,
        "web/evidence/organizer_keys.html",
        {"organizers": organizers, "new_key": new_key, "errors": errors, "once": once},
        status=400 if errors else 200,
    )
    response["Cache-Control"] = "no-store"  # a new key is on it: never kept by a cache
    return response
