from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "qicha.screening"
    verbose_name = "数据比对"

    def ready(self):
        from . import plugins  # noqa: F401
