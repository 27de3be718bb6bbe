"""Every write on units, users and roles. Views, API and commands call these; nothing else saves the models."""

from .accounts import change_password, issue_api_token, password_help_texts, revoke_api_token
from .roles import assign_roles, create_role, update_role
from .units import create_unit, update_unit
from .users import create_user, reset_password, set_user_active, update_user

__all__ = [
    "assign_roles",
    "change_password",
    "create_role",
    "create_unit",
    "create_user",
    "issue_api_token",
    "password_help_texts",
    "reset_password",
    "revoke_api_token",
    "set_user_active",
    "update_role",
    "update_unit",
    "update_user",
]
