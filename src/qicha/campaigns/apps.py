from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "qicha.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self):
        from . import plugins  # noqa: F401  (its exports, imports, demo data, reminders: core.registry)
