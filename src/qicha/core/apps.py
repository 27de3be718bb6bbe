from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qicha.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from . import checks  # noqa: F401  (registers the key checks)
