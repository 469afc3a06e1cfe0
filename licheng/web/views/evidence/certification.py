"""Teachers' certification queue (認證): per course, inline previews, certify many, return one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.accounts.enums import Role
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import certify_outcomes, return_outcome
from licheng.portfolio.enums import OutcomeState, ReturnReason
from licheng.portfolio.models import LearningOutcome
from licheng.portfolio.queries import certifiable_courses, get_certifiable_course, queue

from ...permissions import require_role


class ReturnForm(forms.Form):
    # No reason is chosen in advance: one click on 退回 must not return a student's work for a
    # reason the teacher never picked (R13).
    reason = forms.ChoiceField(
        label=gettext_lazy("退回原因"),
        choices=[("", gettext_lazy("請選擇退回原因")), *ReturnReason.choices],
        error_messages={"required": gettext_lazy("請選擇退回原因")},
    )
    note = forms.CharField(label=gettext_lazy("說明"), max_length=200, required=False)


@login_required
def certification(request):
    require_role(request.user, Role.TEACHER)
    courses = list(certifiable_courses(request.user))
    return render(request, "web/evidence/certification.html", {"courses": courses})


@login_required
def certification_course(request, course_pk):
    course = get_certifiable_course(request.user, course_pk)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("outcome") if v.isdigit()]
        if not ids:
            messages.error(request, _("請至少勾選一件成果。"))
        else:
            mine = LearningOutcome.objects.filter(course=course, pk__in=ids).values_list(
                "pk", flat=True
            )
            done = certify_outcomes(list(mine), teacher=request.user)
            messages.success(request, _("已認證 %(n)s 件。") % {"n": len(done)})
        return redirect("web:certification_course", course_pk=course.pk)
    items = list(queue(course))
    context = {
        "course": course,
        "pending": [o for o in items if o.state == OutcomeState.SUBMITTED],
        "done": [o for o in items if o.state != OutcomeState.SUBMITTED],
        "return_form": ReturnForm(),
    }
    return render(request, "web/evidence/certification_course.html", context)


@login_required
def outcome_return(request, pk):
    course_id = LearningOutcome.objects.filter(pk=pk).values_list("course_id", flat=True).first()
    if course_id is None:  # no such outcome, or one from the previous school (R38)
        raise Http404
    course = get_certifiable_course(request.user, course_id)
    # Through the course's queue: with the student and the files, and never a draft, which is
    # the student's own until sent (the queue, and who may read its files, leave drafts out).
    outcome = get_object_or_404(queue(course), pk=pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            return_outcome(
                outcome,
                teacher=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except PortfolioError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已退回「%(title)s」。") % {"title": outcome.title})
            return redirect("web:certification_course", course_pk=course.pk)
    return render(
        request,
        "web/evidence/outcome_return.html",
        {"course": course, "item": outcome, "form": form},
        status=400 if form.errors else 200,
    )
