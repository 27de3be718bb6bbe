import json

from django.core.management.base import BaseCommand, CommandError

from qicha.core.crypto import key_file, keys, reset_key_cache
from qicha.core.sensitive import rotate_field_key


class Command(BaseCommand):
    help = "轮换 SM4 字段加密密钥：生成新密钥、用它重新加密全部敏感字段；旧密钥保留在 old_fields 中，可用 --drop-old 删除。"

    def add_arguments(self, parser):
        parser.add_argument("--drop-old", action="store_true", help="重新加密完成后删除旧密钥")

    def handle(self, *args, drop_old, **options):
        import secrets

        path = key_file()
        if "环境变量" in keys().source or not path.exists():
            raise CommandError("密钥来自环境变量 QICHA_KEYS：请在密钥管理处生成新密钥后更新该变量，再运行本命令完成重新加密。")
        data = json.loads(path.read_text(encoding="utf-8"))
        data["old_fields"] = [data["field"], *data.get("old_fields", [])]
        data["field"] = secrets.token_bytes(16).hex()
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        reset_key_cache()
        counts = rotate_field_key()
        if drop_old:
            data["old_fields"] = []
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            reset_key_cache()
        self.stdout.write(f"已轮换 SM4 密钥（新密钥编号 {keys().field_id}），重新加密：{counts}")
