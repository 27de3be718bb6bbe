from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "qicha.problems"
    label = "problems"
    verbose_name = "问题整改"

    def ready(self):
        from . import plugins  # noqa: F401  (its exports, imports, demo data, reminders: core.registry)
