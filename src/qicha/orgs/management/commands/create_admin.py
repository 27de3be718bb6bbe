from django.core.management.base import BaseCommand, CommandError

from qicha.core.errors import Invalid
from qicha.orgs.services.bootstrap import ADMIN_ROLES, bootstrap_admin


class Command(BaseCommand):
    help = "创建三员管理员账号（系统管理员 sysadmin / 安全管理员 secadmin / 审计管理员 auditor），打印一次性初始密码。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=ADMIN_ROLES, required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--unit-name", help="系统中还没有单位时，创建的顶级单位名称")

    def handle(self, *args, username, role, full_name, unit_name, **options):
        try:
            user, password = bootstrap_admin(
                username=username, role_code=role, full_name=full_name or username, root_unit_name=unit_name
            )
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已创建 {user.username}（{role}），一次性初始密码：{password}")
        self.stdout.write("首次登录须修改密码。")
