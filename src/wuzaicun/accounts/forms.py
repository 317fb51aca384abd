"""Input shapes for accounts pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from wuzaicun.core.forms import StyledForm
from wuzaicun.core.pickers import PickerField, PickerForm
from wuzaicun.regions.pickers import REGION_PICKER

from .roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误（连续5次错误将锁定15分钟）",
        "inactive": "该账号已停用",
    }


class UserCreateForm(StyledForm, PickerForm):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50, required=False)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    scope = PickerField(label="管辖范围", source=REGION_PICKER)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)


class UserEditForm(StyledForm, PickerForm):
    full_name = forms.CharField(label="姓名", max_length=50, required=False)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    scope = PickerField(label="管辖范围", source=REGION_PICKER)


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, strip=False)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data



def _policy_fields() -> dict[str, Any]:
    from .policy import FIELDS

    return {b.field: forms.IntegerField(label=f"{b.label}（{b.unit}）", min_value=b.low, max_value=b.high,
                                        help_text=f"等保三级要求 {b.low}–{b.high}{b.unit}") for b in FIELDS}


class SecurityPolicyForm(StyledForm):
    """安全设置: one whole-number field per policy item, its MLPS bounds on the input and in the help text, and the
    roles that must use two-factor login (the three administrators always)."""

    def clean_require_2fa_roles(self) -> list[str]:
        """The three administrators are always in (their boxes cannot be cleared: a page without the field, or with
        them unticked, keeps them)."""
        from .policy import mandatory_2fa_roles

        return sorted(set(self.cleaned_data.get("require_2fa_roles") or []) | mandatory_2fa_roles())


SecurityPolicyForm.base_fields.update(_policy_fields())
SecurityPolicyForm.base_fields["require_2fa_roles"] = forms.MultipleChoiceField(
    label="须使用双因素认证的角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False,
    help_text="勾选的角色登录时除密码外还须输入身份验证器上的动态验证码；系统管理员、安全管理员、审计管理员始终须使用（等保三级）")


class SecondFactorForm(StyledForm):
    code = forms.CharField(label="动态验证码", max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "placeholder": "6 位数字，或恢复码"}))


class ReplaceSecondFactorForm(StyledForm):
    """更换身份验证器: a current code of the authenticator in place (or a recovery code), then the new one's first code."""

    current_code = forms.CharField(label="当前动态验证码（原身份验证器上的 6 位数字，或一个恢复码）", max_length=20,
                                   strip=True, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                                             "autofocus": True}))
    code = forms.CharField(label="新身份验证器上的动态验证码", max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "6 位数字"}))
