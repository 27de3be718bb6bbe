import json
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qicha.core.audit import head_copy_path, parse_expected_head, save_head_copy, verify_chain
from qicha.core.audit_archive import archive_events


class Command(BaseCommand):
    help = "审计日志：verify 校验 SM3 哈希链；archive 导出（并可清理）保存期以前的记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="重新计算哈希链，指出第一条被篡改、删除或调换顺序的记录")
        verify.add_argument(
            "--expect-head", metavar="序号:哈希|文件",
            help="核对此前发出的链头（如 1234:5a9c…），或每日导出的链头文件、审计日志导出文件；数据库被回滚或截断即失败")
        archive = sub.add_parser("archive", help="把某日期以前的审计记录导出为 JSON Lines 归档")
        archive.add_argument("--before", type=date.fromisoformat, help="截止日期（不含），默认为保存期（天）以前")
        archive.add_argument("--output", required=True, help="归档文件路径")
        archive.add_argument("--purge", action="store_true", help="导出并校验后，从数据库删除这些记录（保存期内的记录不会被删除）")

    def handle(self, *args, action, **options):
        if action == "verify":
            expect = None
            if options.get("expect_head"):
                try:
                    expect = parse_expected_head(options["expect_head"])
                except ValueError as exc:
                    raise CommandError(str(exc)) from exc
            had_copies = head_copy_path().exists()
            checked, problem = verify_chain(expect)
            if problem:
                raise CommandError(f"审计链校验失败：{problem}")
            # The head this run vouches for, kept outside the database and printed for the daily report.
            seq, head_hash = save_head_copy("verify")
            self.stdout.write(f"审计链完整：共校验 {checked} 条记录。")
            self.stdout.write(f"链头：{seq}:{head_hash}（请把这一行发送到系统之外保存；下次可用 --expect-head 核对）")
            if expect is None and not had_copies:
                self.stdout.write(f"注意：此前没有链头副本（{head_copy_path()}），本次未能核对整体回滚；已写入第一份副本。")
            return
        before = options["before"] or timezone.localdate() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        if options["purge"] and before > timezone.localdate() - timedelta(days=settings.AUDIT_RETENTION_DAYS):
            raise CommandError(f"不能清理保存期（{settings.AUDIT_RETENTION_DAYS} 天）内的审计记录。")
        from qicha.core.errors import Invalid

        try:
            result = archive_events(before=before, output=options["output"], purge=options["purge"])
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))
