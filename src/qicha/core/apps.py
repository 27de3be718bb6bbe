from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qicha.core"
    label = "core"
    verbose_name = "公共"
