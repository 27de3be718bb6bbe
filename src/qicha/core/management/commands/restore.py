from django.core.management.base import BaseCommand, CommandError

from qicha.core.audit import head_copy_path, save_head_copy, verify_chain
from qicha.core.backup import restore_backup
from qicha.core.errors import Invalid


class Command(BaseCommand):
    help = "从备份目录恢复：先逐个核对清单中的 SHA-256，全部无误才写入；恢复后校验审计链。"

    def add_arguments(self, parser):
        parser.add_argument("source", help="qicha-backup-… 目录")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然覆盖")

    def handle(self, *args, source, force, **options):
        try:
            manifest = restore_backup(source, force=force)
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        # A restore rolls the chain back on purpose: the backup's own chain is checked, then the head copies of the
        # abandoned timeline are set aside (kept, for the auditor) and a new copy starts from the restored head.
        checked, problem = verify_chain(use_copies=False)
        if problem:
            raise CommandError(f"已恢复，但审计链校验失败：{problem}（密钥文件是否与备份对应？）")
        copies = head_copy_path()
        if copies.exists():
            aside = copies.with_name(f"{copies.stem}.before-restore-{manifest['created_at'].replace(':', '')[:17]}.log")
            copies.replace(aside)
            self.stdout.write(f"恢复前的链头副本已另存为 {aside}。")
        seq, head_hash = save_head_copy("restore")
        self.stdout.write(f"恢复完成（备份时间 {manifest['created_at']}），审计链完整：{checked} 条记录，链头 {seq}:{head_hash}。")
