"""Forms shared by several pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from licheng.accounts.domain.passwords import change_password
from licheng.schools.models import School


class LoginForm(forms.Form):
    """Login (登入): students and school staff pick their school; others leave it empty."""

    school = forms.ModelChoiceField(
        label=_("學校"),
        queryset=School.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("（非學校帳號：家長、審查委員、主辦機構、中央）"),
    )
    username = forms.CharField(
        label=_("帳號"),
        max_length=150,
        help_text=_("學生請輸入學號；家長請輸入電子郵件"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("密碼"),
        max_length=128,
        strip=False,
        help_text=_("學生首次登入的密碼是身分證統一編號（英文字母大寫）"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        school = data.get("school")
        self.user = authenticate(
            self.request,
            username=data["username"],
            password=data["password"],
            school=school.code if school else None,
        )
        if self.user is None:
            raise ValidationError(
                _("帳號或密碼錯誤。學生請確認已選擇學校並輸入學號；連續錯誤多次帳號將暫時鎖定。"),
                code="invalid_login",
            )
        return data


class PasswordChangeForm(forms.Form):
    """Change password (變更密碼); at first login there is no old password to ask for."""

    old_password = forms.CharField(
        label=_("目前密碼"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密碼"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少 8 個字元（依學校設定），需包含數字、小寫及大寫英文字母；不可包含身分證統一編號或學號。"
        ),
    )
    new_password2 = forms.CharField(
        label=_("再次輸入新密碼"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("目前密碼不正確"), code="password_incorrect")
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("兩次輸入的新密碼不一致"))
        return data

    def save(self) -> None:
        try:
            change_password(self.user, new_password=self.cleaned_data["new_password1"])
        except ValidationError as exc:
            self.add_error("new_password1", exc)
            raise


class ResetPasswordForm(SetPasswordForm):
    """Setting a password from a reset e-mail goes through the same domain function."""

    def save(self, commit=True):
        change_password(self.user, new_password=self.cleaned_data["new_password1"])
        return self.user


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("電子郵件"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("我們會寄一封驗證信到這個地址，請點選信中的連結完成驗證。"),
    )
