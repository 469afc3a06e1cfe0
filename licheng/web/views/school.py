"""School administrators' settings (學校設定): quotas, password policy and windows."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licheng.lib.roc import Term
from licheng.schools.domain.policy import POLICY_FIELDS, PolicyError, policy_of, update_policy
from licheng.schools.domain.windows import WindowError, set_window, window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import SchoolPolicy

from ..permissions import admin_school_for

UNLIMITED = gettext_lazy("空白表示不限")
PASSWORD_LENGTH_RANGE = gettext_lazy("密碼最短長度須介於 6 到 64 之間")


class PolicyForm(forms.ModelForm):
    # The model's verbose names and messages are plain zh-Hant: the form says them in the
    # reader's language.
    class Meta:
        model = SchoolPolicy
        fields = POLICY_FIELDS
        labels = {
            "outcomes_per_semester": gettext_lazy("每學期課程學習成果上傳上限"),
            "outcomes_per_course": gettext_lazy("每門課程上傳上限"),
            "performances_per_year": gettext_lazy("每學年多元表現上傳上限"),
            "storage_quota_mb": gettext_lazy("每位學生儲存空間（MB）"),
            "password_min_length": gettext_lazy("密碼最短長度"),
            "reminder_days": gettext_lazy("期限前幾天提醒"),
        }
        help_texts = {"outcomes_per_course": UNLIMITED, "performances_per_year": UNLIMITED}
        error_messages = {
            "outcomes_per_semester": {"min_value": gettext_lazy("每學期上傳上限至少為 1")},
            "password_min_length": {
                "min_value": PASSWORD_LENGTH_RANGE,
                "max_value": PASSWORD_LENGTH_RANGE,
            },
        }


@login_required
def school_settings(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    policy = policy_of(school)
    form = PolicyForm(request.POST or None, instance=SchoolPolicy.objects.get(pk=policy.pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_policy(
                school, actor=request.user, **{f: form.cleaned_data[f] for f in POLICY_FIELDS}
            )
        except PolicyError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("學校設定已儲存。"))
            return redirect("web:school_settings")
    status = 400 if form.errors else 200
    return render(
        request, "web/school/settings.html", {"school": school, "form": form}, status=status
    )


class WindowForm(forms.Form):
    opens_on = forms.DateField(
        label=gettext_lazy("開始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("截止日期不可早於開始日期"))
        return data


def _window_rows(school, academic_year: int):
    rows = []
    for kind in WindowKind:
        for semester in (1, 2) if kind.per_semester else (0,):
            w = window_for(school, kind, academic_year, semester)
            rows.append({"window": w, "key": f"{kind.value}-{semester}", "custom": bool(w.pk)})
    return rows


@login_required
def school_windows(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    year = int(request.GET.get("year") or Term.of(timezone.localdate()).academic_year)
    errors: dict[str, str] = {}
    if request.method == "POST":
        key = request.POST.get("key", "")
        kind_value, _sep, sem = key.rpartition("-")
        form = WindowForm(request.POST)
        if kind_value in WindowKind.values and sem in ("0", "1", "2") and form.is_valid():
            try:
                set_window(
                    school,
                    kind=WindowKind(kind_value),
                    academic_year=year,
                    semester=int(sem),
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    actor=request.user,
                )
            except WindowError as exc:
                errors[key] = str(exc)
            else:
                messages.success(request, _("作業期程已儲存。"))
                return redirect(f"{request.path}?year={year}")
        else:
            errors[key] = "；".join(e for errs in form.errors.values() for e in errs) or _(
                "資料不正確"
            )
    rows = _window_rows(school, year)
    for row in rows:
        row["error"] = errors.get(row["key"])
    return render(
        request,
        "web/school/windows.html",
        {"school": school, "year": year, "rows": rows, "years": [year - 1, year, year + 1]},
        status=400 if errors else 200,
    )
