from django.core.management.base import BaseCommand

from qicha.core.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump）与附件，生成带 SHA-256 清单的备份目录。密钥文件请另行备份。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="备份存放目录（默认 ./backups）")

    def handle(self, *args, output, **options):
        path = create_backup(output)
        self.stdout.write(f"备份完成：{path}")
        self.stdout.write("提醒：密钥文件（QICHA_KEY_FILE，默认 var/keys.json）须另行妥善备份，没有它加密字段和审计链无法校验。")
