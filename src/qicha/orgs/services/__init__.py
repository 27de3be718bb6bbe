"""Every write on units, users and roles. Views, API and commands call these; nothing else saves the models."""

from .accounts import change_password, issue_api_token, password_help_texts, revoke_api_token
from .lockouts import unlock_account
from .resets import activate_account, release_password_reset, reset_password
from .roles import assign_roles, create_role, update_role
from .units import create_unit, update_unit
from .users import create_user, set_user_active, update_user

__all__ = [
    "activate_account",
    "assign_roles",
    "change_password",
    "create_role",
    "create_unit",
    "create_user",
    "issue_api_token",
    "password_help_texts",
    "release_password_reset",
    "reset_password",
    "revoke_api_token",
    "set_user_active",
    "update_role",
    "update_unit",
    "unlock_account",
    "update_user",
]
