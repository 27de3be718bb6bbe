from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qicha.documents"
    label = "documents"
    verbose_name = "总结文档"

    def ready(self):
        from . import plugins  # noqa: F401  (its API router: core.registry)
