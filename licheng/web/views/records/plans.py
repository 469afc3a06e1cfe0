"""Course plans (課程計畫): school administrators draft and submit; the central admin publishes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from licheng.accounts.enums import Role
from licheng.accounts.models import User
from licheng.curriculum.domain import plans as domain
from licheng.curriculum.enums import CourseCategory, PlanState
from licheng.curriculum.queries import get_plan_for, plans_for
from licheng.lib.roc import Term
from licheng.schools.models import Department

from ...permissions import admin_school_for, require_role


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("科目名稱"), max_length=100)
    academic_year = forms.IntegerField(label=gettext_lazy("學年度"), min_value=1, max_value=999)
    semester = forms.TypedChoiceField(
        label=gettext_lazy("學期"), choices=[(1, "1"), (2, "2")], coerce=int
    )
    grade = forms.TypedChoiceField(
        label=gettext_lazy("年級"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int
    )
    credits = forms.IntegerField(label=gettext_lazy("學分數"), min_value=0, max_value=20)
    category = forms.ChoiceField(label=gettext_lazy("課程類別"), choices=CourseCategory.choices)
    department = forms.ModelChoiceField(
        label=gettext_lazy("科別/學程"), queryset=Department.objects.none(), required=False
    )
    teachers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("任課教師"), queryset=User.objects.none(), required=False
    )
    syllabus = forms.CharField(
        label=gettext_lazy("教學大綱"), required=False, max_length=5000, widget=forms.Textarea
    )
    syllabus_pdf = forms.FileField(
        label=gettext_lazy("教學大綱 PDF（選填，4 MB 以內）"), required=False
    )

    def __init__(self, school, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(school=school)
        self.fields["teachers"].queryset = User.objects.filter(
            roles__role=Role.TEACHER, roles__school=school
        ).order_by("full_name")


def _save(form, school, user, plan=None):
    data = dict(form.cleaned_data)
    upload = data.pop("syllabus_pdf")
    teachers = list(data.pop("teachers"))
    try:
        if plan is None:
            plan = domain.create_plan(school, actor=user, teachers=teachers, **data)
        else:
            plan = domain.update_plan(plan, actor=user, teachers=teachers, **data)
        if upload:
            domain.attach_syllabus_pdf(plan, actor=user, upload=upload)
    except domain.PlanError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None
    return plan


@login_required
def plan_list(request):
    school = admin_school_for(request.user)
    term = Term.current()
    form = PlanForm(
        school,
        request.POST or None,
        request.FILES or None,
        initial={"academic_year": term.academic_year, "semester": term.semester},
    )
    if request.method == "POST" and form.is_valid():
        plan = _save(form, school, request.user)
        if plan is not None:
            messages.success(request, _("已新增課程計畫草稿。"))
            return redirect("web:records_plan", pk=plan.pk)
    plans = plans_for(request.user).filter(school=school).select_related("course", "department")
    return render(
        request,
        "web/records/plans.html",
        {"school": school, "plans": plans, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def plan_detail(request, pk: int):
    require_role(request.user, Role.SCHOOL_ADMIN)
    plan = get_plan_for(request.user, pk)
    school = plan.school
    initial = {f: getattr(plan, f) for f in domain.PLAN_FIELDS}
    initial["teachers"] = list(plan.teachers.all())
    initial["syllabus"] = plan.syllabus
    form = PlanForm(school, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "submit":
            try:
                domain.submit_plan(plan, actor=request.user)
            except domain.PlanError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已送交中央審查公告。"))
            return redirect("web:records_plan", pk=plan.pk)
        if form.is_valid() and _save(form, school, request.user, plan) is not None:
            messages.success(request, _("課程計畫已儲存。"))
            return redirect("web:records_plan", pk=plan.pk)
    return render(
        request,
        "web/records/plan_detail.html",
        {"plan": plan, "form": form, "editable": plan.state == PlanState.DRAFT},
        status=400 if form.errors else 200,
    )


@login_required
def plan_review(request):
    """The central administrator's queue of submitted plans (中央審查公告)."""
    require_role(request.user, Role.CENTRAL_ADMIN)
    plans = (
        plans_for(request.user)
        .filter(state=PlanState.SUBMITTED)
        .select_related("school", "department")
        .prefetch_related("teachers")
        .order_by("submitted_at")
    )
    published = (
        plans_for(request.user)
        .filter(state=PlanState.PUBLISHED)
        .select_related("school", "course")
        .order_by("-published_at")[:20]
    )
    return render(request, "web/records/plan_review.html", {"plans": plans, "published": published})


@require_POST
@login_required
def plan_decide(request, pk: int):
    require_role(request.user, Role.CENTRAL_ADMIN)
    plan = get_plan_for(request.user, pk)
    try:
        if request.POST.get("action") == "publish":
            plan = domain.publish_plan(plan, actor=request.user)
            messages.success(request, _("已公告，課程代碼 %(code)s。") % {"code": plan.course.code})
        else:
            domain.return_plan(plan, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回學校。"))
    except domain.PlanError as exc:
        messages.error(request, str(exc))
    return redirect("web:records_plan_review")
