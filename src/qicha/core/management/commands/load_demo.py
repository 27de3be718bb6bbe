import os

from django.core.management.base import BaseCommand, CommandError

from qicha.core.errors import Invalid
from qicha.core.registry import demo_steps, load_demo_data, resolve_demo_password


class Command(BaseCommand):
    help = "载入演示数据（单位、演示账号、七查七摆专项行动及各台账示例）。重复执行不会重复创建；密码取自 QICHA_DEMO_PASSWORD，未设置时随机生成并保存在 var/demo_password。"

    def handle(self, *args, **options):
        password = resolve_demo_password(os.environ.get("QICHA_DEMO_PASSWORD"))
        try:
            created = load_demo_data(password)
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write("已载入演示数据。" if created else "演示数据已存在，保留原有数据。")
        self.stdout.write("")
        self.stdout.write("演示账号（密码相同）：")
        for step in demo_steps():
            for username, full_name, unit, description in step.accounts:
                self.stdout.write(f"  {username:<18} {full_name:<6} {unit:<14} {description}")
        self.stdout.write(f"  演示密码：{password}")
