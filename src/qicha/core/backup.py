"""Backup and restore: the database (SQLite online backup or pg_dump), the attachment files, and a manifest
of SHA-256 hashes that restore checks before it writes anything. The key file is backed up separately, on
purpose: keys and ciphertext must not travel together.
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from .errors import Invalid

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    import os

    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return env, args


def create_backup(target_dir: str) -> Path:
    from qicha import __version__

    from .audit import EventType, record_event
    from .models import AuditChainHead

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(target_dir) / f"qicha-backup-{stamp}"
    out.mkdir(parents=True, exist_ok=False)
    db = settings.DATABASES["default"]
    record_event(EventType.EXPORT, action="backup", detail=f"备份至 {out}")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out / "db.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        database_file = "db.sqlite3"
    else:
        env, args = _pg_env_and_args(db)
        subprocess.run(["pg_dump", *args, "-Fc", "-f", str(out / "db.dump"), db["NAME"]], check=True, env=env)
        database_file = "db.dump"
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, out / "files")
    files = sorted(p for p in out.rglob("*") if p.is_file())
    head = AuditChainHead.objects.filter(pk=1).first()
    manifest = {
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "qicha_version": __version__,
        "engine": connection.vendor,
        "database_file": database_file,
        "audit_head": {"seq": head.seq, "hash": head.hash} if head else None,
        "files": {str(p.relative_to(out)): {"size": p.stat().st_size, "sha256": _sha256(p)} for p in files},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def verify_backup(source: Path) -> dict:
    """Check every file against the manifest; raise Invalid naming the first problem."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise Invalid(f"{source} 中没有 {MANIFEST}，不是 qicha 备份目录。")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, meta in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise Invalid(f"备份不完整：缺少文件 {name}。")
        if _sha256(path) != meta["sha256"]:
            raise Invalid(f"备份文件 {name} 的哈希与清单不符（已损坏或被改动），未做任何恢复。")
    extra = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()} - set(manifest["files"]) - {MANIFEST}
    if extra:
        raise Invalid(f"备份目录中有清单之外的文件：{', '.join(sorted(extra)[:3])}，未做任何恢复。")
    return manifest


def restore_backup(source_dir: str, *, force: bool = False) -> dict:
    source = Path(source_dir)
    manifest = verify_backup(source)
    if manifest["engine"] != connection.vendor:
        raise Invalid(f"备份来自 {manifest['engine']}，当前数据库是 {connection.vendor}，请在同类数据库上恢复。")
    tables = connection.introspection.table_names()
    if "core_auditevent" in tables and not force:
        from .models import AuditEvent

        if AuditEvent.objects.exists():
            raise Invalid("目标数据库不是空的。为防止覆盖现有数据，请恢复到空数据库，或确认后加 --force。")
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connection.close()
        source_db = sqlite3.connect(source / manifest["database_file"])
        target = sqlite3.connect(db["NAME"])
        with target:
            source_db.backup(target)
        source_db.close()
        target.close()
    else:
        env, args = _pg_env_and_args(db)
        subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", db["NAME"],
                        str(source / manifest["database_file"])], check=True, env=env)
    files = source / "files"
    if files.exists():
        shutil.copytree(files, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest
