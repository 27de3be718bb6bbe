from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "qicha.vetting"
    label = "vetting"
    verbose_name = "村“两委”联审"

    def ready(self):
        from . import plugins  # noqa: F401  (routers, demo, reminders, negative-list check, cockpit panel)
