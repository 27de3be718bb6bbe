"""Upgrade path (docs/operations.md §2): a database created by the previous release's demo migrates to the current
schema, keeps its data and its audit chain, and the current release serves it.

The previous release is the main line as it last landed (PREVIOUS_RELEASE): its code is taken
from git (`git archive`) and run with this virtualenv to migrate and load its own demo; then this checkout migrates
the same database forward. The repository's history must be present (a full clone, as CI has).
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS_RELEASE = "1bd0c8c"  # the main line as it landed on 2026-12-03 (stop 22), before clues 0004 and the 12-04 merges
PASSWORD = "Qc-Upgrade-2026!x"
pytestmark = pytest.mark.slow

COUNTS = ("import json; from qicha.problems.models import Problem; from qicha.clues.models import Clue;"
          "from qicha.orgs.models import User; from qicha.core.models import AuditEvent;"
          "print(json.dumps([Problem.objects.count(), Clue.objects.count(), User.objects.count(),"
          " AuditEvent.objects.count()]))")


def _run(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qicha", *args], env=env, capture_output=True, text=True,
                          timeout=600, cwd=env["QICHA_VAR_DIR"])
    assert done.returncode == 0, f"qicha {' '.join(args)}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def test_the_previous_release_demo_database_migrates_forward_with_its_data_and_audit_chain(tmp_path):
    old = tmp_path / "previous"
    old.mkdir()
    archive = tmp_path / "previous.tar"
    subprocess.run(["git", "archive", "-o", str(archive), PREVIOUS_RELEASE, "src"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(old, filter="data")
    var = tmp_path / "var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"QICHA_VAR_DIR": str(var), "QICHA_DATABASE_URL": f"sqlite:///{var / 'qicha.sqlite3'}",
            "QICHA_DEMO": "1", "QICHA_DEMO_PASSWORD": PASSWORD, "QICHA_JOBS_IMMEDIATE": "1"}
    previous = env | {"PYTHONPATH": str(old / "src")}

    probe = subprocess.run([sys.executable, "-c", "import qicha; print(qicha.__file__)"], env=previous,
                           capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(old)), "the previous release's code must be the one running"
    _run(previous, "migrate", "--no-input", "-v", "0")
    _run(previous, "load_demo")
    before = json.loads(_run(previous, "shell", "-c", COUNTS).strip().splitlines()[-1])
    pending = _run(env, "showmigrations", "--plan")
    assert "[ ]" in pending  # the current release has migrations the previous one did not

    _run(env, "migrate", "--no-input", "-v", "0")
    assert "[ ]" not in _run(env, "showmigrations", "--plan")
    after = json.loads(_run(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
    assert after[:3] == before[:3] and after[3] >= before[3]
    # The chain written by the previous release still verifies under the current one, with the same keys.
    assert "审计链完整" in _run(env, "audit", "verify")
    served = _run(env, "shell", "-c",
                  "from django.test import Client; from django.conf import settings; settings.ALLOWED_HOSTS=['testserver'];"
                  f"c = Client(); r = c.post('/login/', {{'username': 'office', 'password': {PASSWORD!r}}});"
                  "print(r.status_code, c.get('/problems/').status_code, c.get('/').status_code)")
    assert served.strip().splitlines()[-1] == "302 200 200"
