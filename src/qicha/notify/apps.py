from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "qicha.notify"
    label = "notify"
    verbose_name = "待办与提醒"

    def ready(self):
        from qicha.orgs.signals import account_notice

        account_notice.connect(_account_notice, dispatch_uid="notify.account_notice")

        from qicha.core import registry

        from . import api

        registry.register_router(api.router)


def _account_notice(sender, user, title: str, body: str, **kwargs):
    """orgs tells an account's owner something (a password reset): their inbox, and e-mail when configured."""
    from .services import notify_users

    notify_users([user], kind="account", title=title, body=body)
