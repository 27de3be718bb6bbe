from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "qicha.orgs"
    label = "orgs"
    verbose_name = "组织与用户"

    def ready(self):
        from . import (
            plugins,  # noqa: F401  (its demo data: core.registry)
            signals,  # noqa: F401  (login/logout/failure/lockout audit)
        )
        from .builtin_roles import ensure_builtin_roles

        post_migrate.connect(_ensure_roles, sender=self)
        self._ensure = ensure_builtin_roles


def _ensure_roles(sender, **kwargs):
    sender._ensure()
