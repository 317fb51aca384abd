"""Password complexity as MLPS (等保) assessors expect it: a number of character classes."""

from __future__ import annotations

from typing import Any


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

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

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码长度至少 {self.min_length} 位"
