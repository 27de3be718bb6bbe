from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qicha.api"
    label = "api"
    verbose_name = "接口"
