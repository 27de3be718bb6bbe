from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "qicha.clues"
    label = "clues"
    verbose_name = "线索核查与案件督办"

    def ready(self):
        from . import plugins  # noqa: F401  (its exports, imports, demo data, reminders: core.registry)
