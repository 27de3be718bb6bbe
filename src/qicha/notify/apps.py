from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "qicha.notify"
    label = "notify"
    verbose_name = "待办与提醒"
