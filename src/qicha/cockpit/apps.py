from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "qicha.cockpit"
    label = "cockpit"
    verbose_name = "统计看板"

    def ready(self):
        from . import plugins  # noqa: F401  (its panels, API router and 工作台 card)
