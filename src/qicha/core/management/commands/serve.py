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

        self.stdout.write(f"qicha 已启动：http://{host}:{port}/  （数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}，按 Ctrl+C 停止）")
        serve(application, host=host, port=port, threads=threads, ident="qicha")
