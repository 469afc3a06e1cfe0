"""Course counselling records (課程諮詢紀錄, R7): counsellors write them for their advisees."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.accounts.enums import Role
from licheng.curriculum.domain import counselling as domain
from licheng.curriculum.queries import counselling_visible_to
from licheng.schools.models import Student

from ...permissions import require_role


class RecordForm(forms.Form):
    student = forms.ModelChoiceField(label=gettext_lazy("學生"), queryset=Student.objects.none())
    held_on = forms.DateField(
        label=gettext_lazy("諮詢日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=gettext_lazy("紀錄說明（100 字以內）"),
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 100}),
    )
    file = forms.FileField(
        label=gettext_lazy("附件（選填，pdf/jpg/png，2 MB 以內）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, advisees, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = advisees


@login_required
def counselling(request):
    require_role(request.user, Role.COUNSELOR)
    advisees = (
        Student.objects.filter(class_enrolments__school_class__counsellors__counsellor=request.user)
        .distinct()
        .order_by("student_number")
    )
    form = RecordForm(
        advisees,
        request.POST or None,
        request.FILES or None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.write_record(
                data["student"],
                counsellor=request.user,
                held_on=data["held_on"],
                description=data["description"],
                upload=data["file"] or None,
            )
        except domain.CounsellingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("已新增課程諮詢紀錄。"))
            return redirect("web:records_counselling")
    records = (
        counselling_visible_to(request.user)
        .filter(counsellor=request.user)
        .select_related("stored_file")[:100]
    )
    return render(
        request,
        "web/records/counselling.html",
        {"form": form, "records": records, "advisee_count": advisees.count()},
        status=400 if form.errors else 200,
    )


@login_required
def counsellor_assignments(request):
    """The school names course counsellors (課程諮詢教師) for this year's classes."""
    from licheng.accounts.models import User
    from licheng.lib.roc import Term
    from licheng.schools.models import SchoolClass

    from ...permissions import admin_school_for

    school = admin_school_for(request.user)
    year = Term.current().academic_year
    classes = SchoolClass.objects.filter(school=school, academic_year=year).prefetch_related(
        "counsellors__counsellor"
    )
    counsellors = User.objects.filter(roles__role=Role.COUNSELOR, roles__school=school).order_by(
        "full_name"
    )
    if request.method == "POST":
        cls = classes.filter(pk=request.POST.get("school_class")).first()
        who = counsellors.filter(pk=request.POST.get("counsellor")).first()
        if cls is None or who is None:
            messages.error(request, _("請選擇班級與課程諮詢教師"))
        elif request.POST.get("action") == "remove":
            domain.unassign_counsellor(cls, actor=request.user, counsellor=who)
            messages.success(request, _("已取消分配。"))
        else:
            domain.assign_counsellor(cls, actor=request.user, counsellor=who)
            messages.success(request, _("已分配。"))
        return redirect("web:records_counsellors")
    return render(
        request,
        "web/records/counsellors.html",
        {"school": school, "classes": classes, "counsellors": counsellors, "year": year},
    )
