from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "qicha.problems"
    label = "problems"
    verbose_name = "问题整改"
