from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "qicha.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        # Each app declares its job kinds in `job_handlers.py`.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("job_handlers")
        from . import plugins  # noqa: F401  (its API routers: core.registry)
