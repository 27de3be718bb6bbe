import os

from django.core.management.base import BaseCommand, CommandError

from qicha.core.errors import Invalid
from qicha.orgs.demo import DEMO_USERS, load_demo, resolve_demo_password


class Command(BaseCommand):
    help = "载入演示数据（单位、演示账号、七查七摆专项行动）。重复执行不会重复创建；密码取自 QICHA_DEMO_PASSWORD，未设置时随机生成并保存在 var/demo_password。"

    def handle(self, *args, **options):
        password = resolve_demo_password(os.environ.get("QICHA_DEMO_PASSWORD"))
        try:
            created = load_demo(password)
            from qicha.campaigns.models import Campaign
            from qicha.clues.demo import load_sample_clues

            campaign = Campaign.objects.order_by("id").first()
            from qicha.supervision.demo_inspectors import load_demo_inspectors

            load_demo_inspectors(password)
            if campaign is not None:
                from qicha.supervision.demo import load_sample_letters
                from qicha.supervision.inspection_demo import load_sample_inspections

                load_sample_clues(campaign)
                load_sample_letters(campaign)
                load_sample_inspections(campaign)
                from qicha.reporting.demo import load_reporting_demo

                load_reporting_demo(password)  # after the clues: the past months' snapshots include them
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write("已载入演示数据。" if created else "演示数据已存在，保留原有数据。")
        self.stdout.write("")
        self.stdout.write("演示账号（密码相同）：")
        for username, full_name, unit, _, description in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {full_name:<6} {unit:<14} {description}")
        from qicha.supervision.demo_inspectors import DEMO_INSPECTORS

        for username, full_name, unit in DEMO_INSPECTORS:
            self.stdout.write(f"  {username:<18} {full_name:<6} {unit:<14} 督导员：参加督导检查，记录检查情况和发现的问题")
        from qicha.reporting.demo import DEMO_LEADERS

        for username, full_name, unit in DEMO_LEADERS:
            self.stdout.write(f"  {username:<18} {full_name:<6} {unit:<14} 单位领导：审核本单位的月度报送")
        self.stdout.write(f"  演示密码：{password}")
