"""Password rules of the 等保 baseline beyond Django's own validators."""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """At least N of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 类。"


class NotContainingUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (its own catalogue lacks this plural form)."""

    def get_error_message(self):
        return f"密码太短，至少包含 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"至少包含 {self.min_length} 个字符。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "密码太常见，容易被猜到，请换一个。"

    def get_help_text(self):
        return "不能使用常见密码。"


class PasswordHistoryValidator:
    """Not one of the user's last N passwords (等保: 口令不得重复使用)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or not getattr(user, "pk", None):
            return
        recent = user.password_history.all()[: self.count]
        if any(check_password(password, entry.password) for entry in recent):
            raise ValidationError(f"不能使用最近 {self.count} 次用过的密码。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近 {self.count} 次用过的密码相同。"
