"""Sign-in events go to the audit log: login, logout, failure, lockout."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from qicha.core.audit import EventType, Outcome, record_event

# Something an account's owner must be told (their password was reset): sent with user, title and body. The notify
# app delivers it to their inbox and e-mail; orgs sits below notify and does not import it.
account_notice = Signal()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_event(EventType.LOGIN, actor=user, obj=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(EventType.LOGOUT, actor=user, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django masks the password in `credentials`; only the username is kept.
    record_event(
        EventType.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        outcome=Outcome.FAILURE,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_event(
        EventType.LOCKOUT,
        username=str(username or "")[:150],
        outcome=Outcome.DENIED,
        detail="连续登录失败次数达到上限，账户已锁定",
    )
