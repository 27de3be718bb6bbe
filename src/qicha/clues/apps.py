from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "qicha.clues"
    label = "clues"
    verbose_name = "线索核查与案件督办"
