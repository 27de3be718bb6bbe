"""Upgrade path (docs/operations.md §2): a database created by the previous release's demo migrates to the current
schema, keeps its data and its audit chain, and the current release serves it.

The previous release is the main line as it last landed (PREVIOUS_RELEASE): its code is taken from git
(`git archive`) and run with this virtualenv to migrate and load its own demo; then this checkout migrates a copy of
that database forward. The old demo's data directory (database, key file, audit head copy, attachments) is built
once per release commit and Python version and kept under var/upgrade/ (gitignored): later runs copy it instead of
rebuilding it. The repository's history must be present (a full clone, as CI has).
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS_RELEASE = "376ad18"  # the main line as it landed on 2026-12-04 (screenshots of the merged release)
PASSWORD = "Qc-Upgrade-2026!x"
pytestmark = pytest.mark.slow

COUNTS = ("import json; from qicha.problems.models import Problem, ProgressEntry; from qicha.clues.models import Clue;"
          "from qicha.orgs.models import User, Unit; from qicha.campaigns.models import Campaign;"
          "from qicha.core.models import AuditEvent;"
          "print(json.dumps({'problems': Problem.objects.count(), 'progress': ProgressEntry.objects.count(),"
          " 'clues': Clue.objects.count(), 'users': User.objects.count(), 'units': Unit.objects.count(),"
          " 'campaigns': Campaign.objects.count(), 'audit_events': AuditEvent.objects.count(),"
          " 'closed': sorted(Problem.objects.filter(status='closed').values_list('pk', flat=True))}))")


def _environment(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return env | {"QICHA_VAR_DIR": str(var), "QICHA_DATABASE_URL": f"sqlite:///{var / 'qicha.sqlite3'}",
                  "QICHA_DEMO": "1", "QICHA_DEMO_PASSWORD": PASSWORD, "QICHA_JOBS_IMMEDIATE": "1"}


def _run(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qicha", *args], env=env, capture_output=True, text=True,
                          timeout=900, cwd=env["QICHA_VAR_DIR"])
    assert done.returncode == 0, f"qicha {' '.join(args)}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def _last_json(output: str):
    return json.loads(output.strip().splitlines()[-1])


def _previous_demo(work: Path) -> Path:
    """The previous release's demo data directory, from the cache or built now (and then cached)."""
    commit = subprocess.run(["git", "rev-parse", f"{PREVIOUS_RELEASE}^{{commit}}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    cache = ROOT / "var" / "upgrade" / f"{commit[:12]}-py{sys.version_info[0]}.{sys.version_info[1]}"
    if (cache / "counts.json").exists():
        return cache
    old = work / "previous"
    old.mkdir()
    archive = work / "previous.tar"
    subprocess.run(["git", "archive", "-o", str(archive), commit, "src"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(old, filter="data")
    building = work / "building"
    var = building / "var"
    var.mkdir(parents=True)
    previous = _environment(var) | {"PYTHONPATH": str(old / "src")}
    probe = subprocess.run([sys.executable, "-c", "import qicha; print(qicha.__file__)"], env=previous,
                           capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(old)), "the previous release's code must be the one running"
    _run(previous, "migrate", "--no-input", "-v", "0")
    _run(previous, "load_demo")
    (building / "counts.json").write_text(_run(previous, "shell", "-c", COUNTS).strip().splitlines()[-1])
    for name in ("jobs.sqlite3", "jobs.sqlite3-wal", "jobs.sqlite3-shm"):  # the queue is not part of the release
        (var / name).unlink(missing_ok=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(cache, ignore_errors=True)
    # Moved into place whole: a run cut off half-way leaves no cache that looks complete.
    shutil.copytree(building, cache.with_name(cache.name + ".tmp"), dirs_exist_ok=True)
    os.replace(cache.with_name(cache.name + ".tmp"), cache)
    return cache


def test_the_previous_release_demo_database_migrates_forward_with_its_data_and_audit_chain(tmp_path):
    cache = _previous_demo(tmp_path)
    before = json.loads((cache / "counts.json").read_text())
    var = tmp_path / "var"
    shutil.copytree(cache / "var", var)
    env = _environment(var)

    pending = [line for line in _run(env, "showmigrations", "--plan").splitlines() if line.startswith("[ ]")]
    _run(env, "migrate", "--no-input", "-v", "0")
    plan = _run(env, "showmigrations", "--plan")
    assert "[ ]" not in plan
    assert all(line.replace("[ ]", "[X]", 1) in plan for line in pending), pending

    after = _last_json(_run(env, "shell", "-c", COUNTS))
    assert before["problems"] > 0 and before["clues"] > 0 and before["closed"]  # the demo was really there
    for key in ("problems", "progress", "clues", "users", "units", "campaigns", "closed"):
        assert after[key] == before[key], key
    assert after["audit_events"] >= before["audit_events"]
    # The chain written by the previous release still verifies under the current one, with the same keys.
    assert "审计链完整" in _run(env, "audit", "verify")
    served = _run(env, "shell", "-c",
                  "from django.test import Client; from django.conf import settings; settings.ALLOWED_HOSTS=['testserver'];"
                  f"c = Client(); r = c.post('/login/', {{'username': 'office', 'password': {PASSWORD!r}}});"
                  "print(r.status_code, c.get('/problems/').status_code, c.get('/').status_code,"
                  " c.get('/jobs/').status_code)")
    assert served.strip().splitlines()[-1] == "302 200 200 200"
