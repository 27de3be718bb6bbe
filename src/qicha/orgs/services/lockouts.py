"""Locked accounts (django-axes locks a username after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME): the
系统管理员 unlocks one early, audited; a password reset clears the lock too."""

from axes.utils import reset as reset_attempts
from django.db import transaction

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid

from ..models import User
from ..queries import lockout_of
from ._guard import require_permission


def clear_lock(user: User) -> int:
    """Forget the failed sign-ins of `user` (call inside the act that does it); returns how many were kept."""
    return reset_attempts(username=user.username)


def unlock_account(actor, user: User) -> User:
    """解锁: the 系统管理员 lifts a lockout before it runs out (the user is told nothing new: the password stays)."""
    require_permission(actor, "org.manage_users")
    locked = lockout_of(user)
    if locked is None:
        raise Invalid(f"用户“{user.username}”未被锁定，无需解锁。")
    with transaction.atomic():
        clear_lock(user)
        record_event(EventType.UPDATE, actor=actor, obj=user, action="unlock",
                     before={"locked": True, "failures": locked.failures},
                     after={"locked": False, "failures": 0},
                     detail=f"解除登录锁定（连续登录失败 {locked.failures} 次）")
    return user
