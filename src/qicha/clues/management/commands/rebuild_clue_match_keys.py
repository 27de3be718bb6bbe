"""`python -m qicha rebuild_clue_match_keys [--batch-size N]`: recompute every clue's repeat-matching keys.

Run once after an upgrade that changes the repeat matcher (docs/operations.md §2). Safe to rerun: keys already
current are left as they are, and an interrupted run keeps the batches it finished.
"""

from django.core.management.base import BaseCommand, CommandError

from qicha.clues.services import rebuild_match_keys
from qicha.clues.services.match_index import summary


class Command(BaseCommand):
    help = "按当前比对规则重建全部线索的重复举报比对索引（升级后运行一次；可重复运行，结果不变）"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批（一个事务）处理的线索数，默认 1000")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数")

        def progress(counts):
            self.stdout.write(f"已处理线索 {counts['clues']} 条（索引有变化 {counts['changed']} 条）")

        counts = rebuild_match_keys(batch_size=batch_size, progress=progress)
        self.stdout.write(f"重建完成：{summary(counts)}")
