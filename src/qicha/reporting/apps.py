from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "qicha.reporting"
    label = "reporting"
    verbose_name = "月度报送"

    def ready(self):
        from . import plugins  # noqa: F401  (its exports, imports, demo data, reminders: core.registry)
