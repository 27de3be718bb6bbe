from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qicha.supervision"
    label = "supervision"
    verbose_name = "督导检查"

    def ready(self):
        from . import plugins  # noqa: F401  (its exports, imports, demo data, reminders: core.registry)
