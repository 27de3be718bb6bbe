from django.apps import AppConfig


class LedgersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "qicha.ledgers"
    verbose_name = "专项治理台账"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import plugins  # noqa: F401
        from .bootstrap import ensure_builtin_definitions

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="ledgers_builtin_definitions")
        self._ensure = ensure_builtin_definitions


def _after_migrate(sender, **kwargs):
    sender._ensure()
