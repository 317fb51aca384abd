"""Password length and complexity as MLPS (等保) assessors expect them, from the security policy; and no reuse of the
policy's last N passwords."""

from __future__ import annotations

from typing import Any


def _policy() -> Any:
    from .policy import current

    return current()


class CharacterClassValidator:
    """The number of classes is the security policy's (安全设置), unless given."""

    def __init__(self, min_classes: int | None = None) -> None:
        self._min_classes = min_classes

    @property
    def min_classes(self) -> int:
        return self._min_classes or _policy().password_min_classes

    def validate(self, password: str, user: Any = None) -> None:
        from django.core.exceptions import ValidationError

        classes = sum(
            (
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        if classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须至少包含大写字母、小写字母、数字、特殊字符中的 {self.min_classes} 类"


class MinimumLengthValidator:
    """Django's minimum-length check with a Chinese message (its catalogue lacks the plural form)."""

    def __init__(self, min_length: int | None = None) -> None:
        self._min_length = min_length

    @property
    def min_length(self) -> int:
        return self._min_length or _policy().password_min_length

    def validate(self, password: str, user: Any = None) -> None:
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码长度至少 {self.min_length} 位"


class PasswordHistoryValidator:
    """A new password may not be any of the user's last N (the policy's 不得重复使用最近几次密码), the current one
    included."""

    def validate(self, password: str, user: Any = None) -> None:
        from django.contrib.auth.hashers import check_password
        from django.core.exceptions import ValidationError

        if user is None or getattr(user, "pk", None) is None:
            return
        count = _policy().password_history
        from .models import PasswordHistory

        earlier = [user.password, *PasswordHistory.objects.filter(user=user).order_by("-changed_at")
                   .values_list("password", flat=True)[: count - 1]]
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return f"新密码不能与最近 {_policy().password_history} 次使用过的密码相同"
