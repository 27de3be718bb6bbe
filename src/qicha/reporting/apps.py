from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "qicha.reporting"
    label = "reporting"
    verbose_name = "月度报送"
