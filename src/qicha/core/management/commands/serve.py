import os

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 waitress 启动 qicha（默认 127.0.0.1:8000；QICHA_HOST、QICHA_PORT 可改）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("QICHA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("QICHA_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("QICHA_THREADS", "8")))

    def handle(self, *args, host, port, threads, **options):
        from django.core.management.base import CommandError
        from waitress import serve

        from qicha.core.checks import keys_match_data

        self.check(display_num_errors=False)
        problem = keys_match_data()
        if problem:
            raise CommandError(f"无法启动：{problem}")

        from qicha.wsgi import application

        if settings.EMBEDDED_WORKER:
            self._start_embedded_worker()

        self.stdout.write(f"qicha 已启动：http://{host}:{port}/  （数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}，按 Ctrl+C 停止）")
        serve(application, host=host, port=port, threads=threads, ident="qicha")

    def _start_embedded_worker(self):
        """Run the Huey consumer's worker and scheduler threads inside this process (no broker needed).

        Huey installs its own SIGINT/SIGTERM handlers for a loop we do not run; Python's defaults are put back so
        Ctrl+C still stops the server, and the daemon threads end with it.
        """
        import signal

        from django.utils.module_loading import autodiscover_modules
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:
            return
        autodiscover_modules("tasks")  # as `run_huey` does: every app's tasks and periodic tasks
        consumer = HUEY.create_consumer(**settings.HUEY.get("consumer", {}))
        consumer.start()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.stdout.write(f"后台任务线程已启动（{consumer.workers} 个，队列：{settings.HUEY['huey_class']}）")
