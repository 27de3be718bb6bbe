from django.core.management.base import BaseCommand

from qicha.jobs.services import fail_interrupted_jobs


class Command(BaseCommand):
    help = "把被中断（后台进程被停止）而停在“进行中”的任务标为失败并说明原因。在后台进程启动前执行（qicha-worker 的 ExecStartPre）。"

    def handle(self, *args, **options):
        count = fail_interrupted_jobs()
        self.stdout.write(f"中断的任务：{count} 个已标为失败" if count else "没有中断的任务")
