"""Basic data (基本資料, R1–R3): staff edit registration data; students view it and ask for
corrections; staff record cadre posts, attendance and rewards/punishments."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from licheng.curriculum.queries import (
    get_student_for_staff,
    prior_records_by_term,
    school_term_records,
    staff_students,
    student_of,
)
from licheng.lib.roc import Term
from licheng.schools.domain import basic_data as domain
from licheng.schools.enums import CadreLevel, CorrectionState, RewardKind, StudentStatus
from licheng.schools.models import (
    CORRECTABLE_FIELDS,
    CadreRecord,
    CorrectionRequest,
    Department,
    RewardRecord,
    SchoolClass,
)
from licheng.schools.queries import class_enrolment

from ...permissions import admin_school_for

# <input type=date> needs ISO dates whatever the locale formats dates as.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StudentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    national_id = forms.CharField(label=gettext_lazy("身分證統一編號"), max_length=10)
    department = forms.ModelChoiceField(
        label=gettext_lazy("科別/學程"), queryset=Department.objects.none(), required=False
    )
    enrolment_date = forms.DateField(label=gettext_lazy("入學日期"), widget=DATE)
    status = forms.ChoiceField(label=gettext_lazy("學籍狀態"), choices=StudentStatus.choices)


class CadreForm(forms.Form):
    academic_year = forms.IntegerField(label=gettext_lazy("學年度"), min_value=1, max_value=999)
    semester = forms.TypedChoiceField(
        label=gettext_lazy("學期"), choices=[(1, "1"), (2, "2")], coerce=int
    )
    level = forms.ChoiceField(label=gettext_lazy("層級"), choices=CadreLevel.choices)
    unit = forms.CharField(label=gettext_lazy("單位"), max_length=50)
    position = forms.CharField(label=gettext_lazy("職稱"), max_length=50)


class AttendanceForm(forms.Form):
    academic_year = forms.IntegerField(label=gettext_lazy("學年度"), min_value=1, max_value=999)
    semester = forms.TypedChoiceField(
        label=gettext_lazy("學期"), choices=[(1, "1"), (2, "2")], coerce=int
    )
    personal_leave = forms.IntegerField(
        label=gettext_lazy("事假"), min_value=0, max_value=999, initial=0
    )
    sick_leave = forms.IntegerField(
        label=gettext_lazy("病假"), min_value=0, max_value=999, initial=0
    )
    official_leave = forms.IntegerField(
        label=gettext_lazy("公假"), min_value=0, max_value=999, initial=0
    )
    bereavement_leave = forms.IntegerField(
        label=gettext_lazy("喪假"), min_value=0, max_value=999, initial=0
    )
    absence = forms.IntegerField(label=gettext_lazy("曠課"), min_value=0, max_value=999, initial=0)


class RewardForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("獎懲類別"), choices=RewardKind.choices)
    count = forms.IntegerField(label=gettext_lazy("次數"), min_value=1, max_value=99, initial=1)
    reason = forms.CharField(label=gettext_lazy("事由"), max_length=100)
    given_on = forms.DateField(label=gettext_lazy("日期"), widget=DATE)


class PlacementForm(forms.Form):
    school_class = forms.ModelChoiceField(
        label=gettext_lazy("班級"), queryset=SchoolClass.objects.none()
    )
    seat = forms.IntegerField(label=gettext_lazy("座號"), min_value=1, max_value=99)


FORMS = {
    "student": StudentForm,
    "cadre": CadreForm,
    "attendance": AttendanceForm,
    "reward": RewardForm,
    "placement": PlacementForm,
}


def _form(kind: str, student, data=None) -> forms.Form:
    """One of the student page's forms, its choices limited to the student's school."""
    initial = {f: getattr(student, f) for f in domain.STUDENT_FIELDS} if kind == "student" else None
    form = FORMS[kind](data, prefix=kind, initial=initial)
    if kind == "student":
        form.fields["department"].queryset = Department.objects.filter(school=student.school)
    if kind == "placement":
        form.fields["school_class"].queryset = SchoolClass.objects.filter(
            school=student.school, academic_year=Term.current().academic_year
        )
    return form


def _apply(kind, form, student, user):
    data = form.cleaned_data
    if kind == "student":
        return domain.update_student(student, actor=user, **data)
    if kind == "cadre":
        return domain.add_cadre(student, actor=user, **data)
    if kind == "attendance":
        return domain.set_attendance(student, actor=user, **data)
    if kind == "placement":
        return domain.place_student(student, actor=user, **data)
    return domain.add_reward(student, actor=user, **data)


@login_required
def student_list(request):
    school = admin_school_for(request.user)
    q = request.GET.get("q", "").strip()[:50]
    students = staff_students(request.user).filter(school=school).select_related("department")
    if q:
        students = students.filter(student_number__startswith=q) | students.filter(name__contains=q)
    pending = CorrectionRequest.objects.filter(
        student__school=school, state=CorrectionState.PENDING
    ).select_related("student")
    return render(
        request,
        "web/records/students.html",
        {"school": school, "students": students[:200], "q": q, "pending": pending},
    )


@login_required
def student_detail(request, pk: int):
    student = get_student_for_staff(request.user, pk)
    kind = request.POST.get("form") if request.method == "POST" else None
    if kind in ("delete_cadre", "delete_reward"):
        model = CadreRecord if kind == "delete_cadre" else RewardRecord
        # Records brought from the previous school (R38) are not this school's to delete.
        rec = get_object_or_404(model, pk=request.POST.get("pk"), student=student, transfer=None)
        remove = domain.remove_cadre if kind == "delete_cadre" else domain.remove_reward
        remove(rec, actor=request.user)
        messages.success(request, _("已刪除。"))
        return redirect("web:records_student", pk=student.pk)
    forms_by_kind = {k: _form(k, student) for k in FORMS}
    if kind in FORMS:
        form = forms_by_kind[kind] = _form(kind, student, request.POST)
        if form.is_valid():
            try:
                _apply(kind, form, student, request.user)
            except domain.BasicDataError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("已儲存。"))
                return redirect("web:records_student", pk=student.pk)
    has_errors = any(f.errors for f in forms_by_kind.values())
    return render(
        request,
        "web/records/student_detail.html",
        {
            "student": student,
            "forms": forms_by_kind,
            "corrections": student.corrections.all(),
            "placement": class_enrolment(student, Term.current().academic_year),
            "prior_terms": prior_records_by_term(student),
            **school_term_records(student),
        },
        status=400 if has_errors else 200,
    )


@require_POST
@login_required
def resolve_correction(request, pk: int):
    school = admin_school_for(request.user)
    req = get_object_or_404(CorrectionRequest, pk=pk, student__school=school)
    try:
        if request.POST.get("action") == "accept":
            domain.accept_correction(req, actor=request.user)
            messages.success(request, _("已依申請更正資料。"))
        else:
            domain.refuse_correction(req, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已回覆不予更正。"))
    except domain.BasicDataError as exc:
        messages.error(request, str(exc))
    return redirect("web:records_student", pk=req.student_id)


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(
        label=gettext_lazy("要更正的欄位"),
        choices=[(f, gettext_lazy(label)) for f, label in CORRECTABLE_FIELDS.items()],
    )
    requested_value = forms.CharField(label=gettext_lazy("正確的資料"), max_length=100)
    explanation = forms.CharField(
        label=gettext_lazy("說明（選填）"), max_length=200, required=False
    )


@login_required
def my_basic_data(request):
    """R1: the student sees their registration data and files correction requests."""
    student = student_of(request.user)
    if student is None:
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.request_correction(student, actor=request.user, **form.cleaned_data)
        except domain.BasicDataError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("已送出更正申請，學校處理後會在此顯示結果。"))
            return redirect("web:records_my_basic")
    return render(
        request,
        "web/records/my_basic.html",
        {
            "student": student,
            "form": form,
            "corrections": student.corrections.all(),
            "placement": class_enrolment(student, Term.current().academic_year),
        },
        status=400 if form.errors else 200,
    )
