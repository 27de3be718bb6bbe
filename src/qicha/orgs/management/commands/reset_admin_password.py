from django.core.management.base import BaseCommand, CommandError

from qicha.core.errors import Invalid
from qicha.orgs.services.bootstrap import reset_admin_password


class Command(BaseCommand):
    help = "在服务器上为某个账号（通常是安全管理员、审计管理员）重置一次性密码并解除停用。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            password = reset_admin_password(username)
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已重置 {username} 的密码，一次性密码：{password}（首次登录须修改）")
