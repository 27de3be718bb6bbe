"""Backup and restore: a backup restored into an empty database has the same records and a valid audit chain."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def qicha(var: Path, *args, keys: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QICHA_VAR_DIR": str(var), "QICHA_DATABASE_URL": f"sqlite:///{var / 'qicha.sqlite3'}",
           "QICHA_KEY_FILE": str(keys), "QICHA_DEMO_PASSWORD": "Qc-Backup-2026!", "QICHA_DEMO": "1"}
    return subprocess.run([sys.executable, "-m", "qicha", *args], capture_output=True, text=True, env=env, timeout=300)


def counts(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("orgs_unit", "orgs_user", "problems_problem", "campaigns_selfinspection", "core_auditevent", "core_attachment")}


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    source, keys = root / "source", root / "keys.json"
    assert qicha(source, "migrate", "-v", "0", keys=keys).returncode == 0
    assert qicha(source, "load_demo", keys=keys).returncode == 0
    result = qicha(source, "backup", "--output", str(root / "backups"), keys=keys)
    assert result.returncode == 0, result.stderr
    backup = next((root / "backups").iterdir())
    return root, source, keys, backup


def test_restore_into_an_empty_database_gives_the_same_records(backed_up):
    root, source, keys, backup = backed_up
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database_file"] == "db.sqlite3" and any(name.startswith("files/") for name in manifest["files"])
    target = root / "target"
    result = qicha(target, "restore", str(backup), keys=keys)
    assert result.returncode == 0, result.stderr
    assert "审计链完整" in result.stdout
    assert counts(target / "qicha.sqlite3") == counts(source / "qicha.sqlite3")
    blobs = [p for p in (target / "files").rglob("*") if p.is_file()]
    assert blobs  # the demo's evidence PDFs came back
    assert "审计链完整" in qicha(target, "audit", "verify", keys=keys).stdout


def test_a_damaged_backup_restores_nothing(backed_up, tmp_path):
    root, source, keys, backup = backed_up
    import shutil

    damaged = tmp_path / backup.name
    shutil.copytree(backup, damaged)
    blob = next(p for p in (damaged / "files").rglob("*") if p.is_file())
    blob.write_bytes(blob.read_bytes() + b"x")
    target = tmp_path / "target"
    result = qicha(target, "restore", str(damaged), keys=keys)
    assert result.returncode != 0 and "哈希与清单不符" in result.stderr
    assert not (target / "qicha.sqlite3").exists()


def test_restore_refuses_a_database_with_data(backed_up):
    root, source, keys, backup = backed_up
    result = qicha(source, "restore", str(backup), keys=keys)
    assert result.returncode != 0 and "目标数据库不是空的" in result.stderr


def test_a_restore_sets_the_abandoned_head_copies_aside(backed_up, tmp_path):
    root, source, keys, backup = backed_up
    target = tmp_path / "target"
    target.mkdir()
    # The copies of the timeline the restore abandons (say, a later head): kept for the auditor, no longer checked.
    (target / "audit-heads.log").write_text('{"at": "2026-12-01T02:47:00+08:00", "seq": 99999, "hash": "ab", "why": "daily", "mac": "x"}\n', encoding="utf-8")
    result = qicha(target, "restore", str(backup), keys=keys)
    assert result.returncode == 0, result.stderr
    assert "恢复前的链头副本已另存为" in result.stdout
    assert [p.name for p in target.glob("audit-heads.before-restore-*.log")]
    assert "审计链完整" in qicha(target, "audit", "verify", keys=keys).stdout
