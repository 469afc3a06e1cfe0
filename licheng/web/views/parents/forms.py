"""Forms of the binding steps (親子綁定四步驟, seed 004). The domain re-checks everything."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import RELATIONS_BY_KIND, SchoolLevel
from licheng.schools.models import School


class CodeRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("電子郵件信箱"),
        help_text=_("驗證碼將寄到此信箱；此信箱也將是您的登入帳號。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    email = forms.EmailField(
        label=_("電子郵件信箱"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    code = forms.CharField(
        label=_("驗證碼"),
        max_length=6,
        min_length=6,
        help_text=_("信中的 6 位數字。驗證碼時效為 1 小時，使用後即失效。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _relation_choices():
    return [("", _("請選擇"))] + [
        (kind.label, [(r.value, r.label) for r in relations])
        for kind, relations in RELATIONS_BY_KIND.items()
    ]


class StudentForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("與學生的關係"),
        choices=_relation_choices,
        help_text=_("法定代理人：父親或母親；監護人：祖父、祖母、外祖父、外祖母或其他。"),
    )
    school_level = forms.ChoiceField(
        label=_("學生之學層"), choices=SchoolLevel.choices, widget=forms.RadioSelect
    )
    student_national_id = forms.CharField(
        label=_("學生身分證統一編號"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    school = forms.ModelChoiceField(
        label=_("學生就讀學校"), queryset=School.objects.order_by("code"), empty_label=_("請選擇")
    )


class StatementForm(forms.Form):
    accept = forms.BooleanField(
        label=_("本人已詳閱並同意以上條款聲明"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "js-statement-accept"}),
    )


class ParentForm(forms.Form):
    parent_national_id = forms.CharField(
        label=_("家長身分證統一編號"),
        max_length=10,
        help_text=_("核准後首次登入的密碼為身分證統一編號後 6 碼。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    parent_name = forms.CharField(
        label=_("家長姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("電子郵件信箱"),
        help_text=_("信箱為家長帳號及審核通知位址，須與取得驗證碼的信箱相同。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "readonly": True}),
    )
    phone = forms.CharField(
        label=_("行動電話/市話號碼"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    signature = forms.CharField(
        label=_("電子簽名"),
        max_length=50,
        help_text=_("請務必簽署全名，與家長姓名相同。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("未通過原因"), max_length=200, required=False)
