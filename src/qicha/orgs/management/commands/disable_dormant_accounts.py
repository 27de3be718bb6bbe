from django.conf import settings
from django.core.management.base import BaseCommand

from qicha.orgs.services.users import disable_dormant_accounts


class Command(BaseCommand):
    help = "停用超过 QICHA_INACTIVE_ACCOUNT_DAYS 天（默认 90 天）未登录的账号（每日定时执行）。"

    def handle(self, *args, **options):
        disabled = disable_dormant_accounts()
        self.stdout.write(f"已停用 {len(disabled)} 个超过 {settings.INACTIVE_ACCOUNT_DAYS} 天未使用的账号：{'、'.join(disabled) or '无'}")
