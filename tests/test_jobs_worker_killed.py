"""The worker killed (SIGKILL) in the middle of a problem-ledger import: the job ends 失败 with the reason, nothing
of the import is written, and 重试 imports the same stashed file in full.

Real processes, as production runs them: `python -m qicha run_huey` on Redis (CI's Redis at QICHA_REDIS_URL, on its
database 14; otherwise a redis-server of the test's own) and a database of the test's own (a SQLite file, or on the
PostgreSQL pass a PostgreSQL database). The import confirm of ROWS rows is caught in its one transaction:

* PostgreSQL: the test holds the audit chain's head row (SELECT … FOR UPDATE), which the confirm locks last, after
  it has checked and inserted every row. The worker is killed once the job's progress shows every row checked and
  its backend waits for that lock — everything written, nothing committed. No timing is guessed.
* SQLite: the worker is killed once the job is running and the database's write lock is held (the confirm's
  transaction is open): SQLite has no row locks to hold it there.

Then the job's page, once the lease has run out (QICHA_JOB_LEASE_SECONDS, short here), shows the job failed with
"后台进程中断，任务未完成，可重试" and a 重试 button; the problem count is unchanged; 重试 with a fresh worker imports
every row once, and the audit chain verifies.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
PASSWORD = "Qc-Killed-2026!x"
ROWS = 4000
LEASE = 10  # seconds: ten missed beats (one a second) on a loaded machine before a job counts as vanished
DEADLINE = 240  # seconds for any one wait: generous for two busy cores; each wait ends as soon as its state is seen

SETUP = """
import io, json, random
from datetime import date, timedelta
import django
django.setup()
import xlsxwriter
from huey.contrib.djhuey import HUEY
from qicha.campaigns.models import Campaign
from qicha.core.models import AuditEvent
from qicha.core.registry import PROBLEMS, load_demo_data
from qicha.orgs.models import User
from qicha.problems import importing
from qicha.problems.models import Problem

load_demo_data(PASSWORD, through=PROBLEMS)
office, campaign = User.objects.get(username="office"), Campaign.objects.get()
choices = importing.Choices.for_actor(office, campaign)
units = [u.name for u in choices.units if u.kind in ("district_bureau", "department", "subordinate")]
items = [str(item) for item in choices.check_items]
rng, buffer = random.Random(21), io.BytesIO()
book = xlsxwriter.Workbook(buffer, {"in_memory": True})
sheet = book.add_worksheet("问题整改台账")
sheet.write_row(0, 0, ["问题编号", "责任单位*", "查摆事项", "问题来源*", "问题描述*", "问题类别", "整改类型*",
                       "整改措施*", "整改时限*"])
for n in range(ROWS):
    sheet.write_row(n + 1, 0, ["", rng.choice(units), rng.choice(items), "自查发现",
                               f"第{n + 1}号问题：低保动态管理不到位，台账不完整。", "工作落实", "立即整改",
                               "逐项核查，建立长效机制。", (date(2026, 12, 31) + timedelta(days=n % 90)).isoformat()])
book.close()
# The preview runs here (immediate), the confirm is queued on Redis for the worker.
HUEY.immediate = True
preview = importing.start_preview(office, campaign, buffer.getvalue(), "全市问题整改台账.xlsx")
assert preview.status == "done" and preview.result["can_confirm"], preview.result
HUEY.immediate = False
confirm = importing.start_confirm(office, importing.preview_job(office, preview.pk))
print(json.dumps({"confirm": confirm.pk, "status": confirm.status, "problems": Problem.objects.count()}))
"""

PAGE = """
import json, time
import django
django.setup()
from django.conf import settings
from django.test import Client
from qicha.orgs.models import User

settings.ALLOWED_HOSTS = ["testserver"]
page = Client()
page.force_login(User.objects.get(username="office"))
deadline = time.monotonic() + DEADLINE
while True:  # the job page sweeps the job it shows: failed as soon as its lease has run out
    html = page.get(f"/jobs/{JOB}/").content.decode()
    if 'data-status="failed"' in html or time.monotonic() > deadline:
        break
    time.sleep(0.5)
token = Client().post("/api/v1/auth/token", {"username": "office", "password": PASSWORD},
                      content_type="application/json").json()["token"]
api = Client(headers={"Authorization": f"Bearer {token}"}).get(f"/api/v1/jobs/{JOB}").json()
retry = page.post(f"/jobs/{JOB}/retry/")
again = page.post(f"/jobs/{JOB}/retry/")  # a second click: the job is retried once
print(json.dumps({"html": html, "api": api, "retry": [retry.status_code, retry.get("Location")],
                  "again": [again.status_code, again.get("Location")]}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """CI's Redis (QICHA_REDIS_URL's server, database 14, emptied first) or a redis-server of the test's own."""
    import redis

    given = os.environ.get("QICHA_REDIS_URL", "")
    if given:
        url = given.rsplit("/", 1)[0] + "/14"
        redis.Redis.from_url(url).flushdb()
        yield url
        redis.Redis.from_url(url).flushdb()
        return
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (make system-deps installs it)"
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client, deadline = redis.Redis(port=port), time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def database(tmp_path):
    """On the PostgreSQL pass a database of the test's own beside the suite's, else a SQLite file; dropped after."""
    if not os.environ.get("QICHA_DATABASE_URL", "").startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'var' / 'qicha.sqlite3'}"
        return
    import psycopg

    server = os.environ["QICHA_DATABASE_URL"].rsplit("/", 1)[0]
    name = f"qicha_killed_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Db:
    """Plain SQL on the test's database, from outside qicha (what the worker left, as committed)."""

    def __init__(self, url: str):
        self.postgres = url.startswith("postgres")
        self.url = url
        self.path = None if self.postgres else url.removeprefix("sqlite:///")

    def one(self, sql: str, *params):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            return conn.execute(sql, params).fetchone()

    def job(self, pk: int) -> dict:
        status, progress, message, result = self.one(
            "SELECT status, progress, message, result FROM jobs_job WHERE id = ?", pk)
        return {"status": status, "progress": progress, "message": message,
                "result": result if isinstance(result, dict) else json.loads(result or "{}")}

    def problems(self) -> int:
        return self.one("SELECT COUNT(*) FROM problems_problem")[0]

    def sqlite_write_locked(self) -> bool:
        conn = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()


def _wait(what: str, check, worker=None, interval: float = 0.05):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = check()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) while waiting for {what}")
        assert time.monotonic() < deadline, f"not seen within {DEADLINE} s: {what}"
        time.sleep(interval)


def _python(env: dict, script: str, cwd: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_killed_mid_import_leaves_a_failed_job_nothing_written_and_a_retry_that_imports_it_all(
        tmp_path, database, redis_url):
    var = tmp_path / "var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DJANGO_SETTINGS_MODULE": "qicha.settings", "QICHA_VAR_DIR": str(var), "QICHA_DATABASE_URL": database,
            "QICHA_REDIS_URL": redis_url, "QICHA_EMBEDDED_WORKER": "0", "QICHA_DEMO": "1",
            "QICHA_DEMO_PASSWORD": PASSWORD, "QICHA_JOB_HEARTBEAT_SECONDS": "1",
            "QICHA_JOB_LEASE_SECONDS": str(LEASE), "QICHA_LOG_LEVEL": "ERROR"}
    migrate = subprocess.run([sys.executable, "-m", "qicha", "migrate", "--no-input", "-v", "0"], env=env, cwd=var,
                             capture_output=True, text=True, timeout=900)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    setup = _python(env, f"PASSWORD, ROWS = {PASSWORD!r}, {ROWS}\n{SETUP}", var)
    job, before = setup["confirm"], setup["problems"]
    assert setup["status"] == "queued"
    db = Db(database)

    held = None
    if db.postgres:  # hold the audit chain's head: the confirm's last lock, taken after every row is inserted
        import psycopg

        held = psycopg.connect(database)
        held.execute("SELECT seq FROM core_auditchainhead WHERE id = 1 FOR UPDATE")

    worker_log = (tmp_path / "worker-1.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "qicha", "run_huey", "-w", "1"], env=env, cwd=var,
                              stdout=worker_log, stderr=subprocess.STDOUT)
    try:
        if db.postgres:
            seen = _wait("every row checked, the worker's backend waiting for the audit chain's head", lambda: (
                db.job(job)["progress"] >= 95 and db.one(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND position('core_auditchainhead' in query) > 0")[0] == 1
                and db.job(job)), worker)
        else:
            # Held across two probes 20 ms apart: the worker's own one-statement writes (the claim, the lease)
            # hold the lock for well under a millisecond; the confirm's transaction for the whole import.
            seen = _wait("the confirm running, inside its transaction", lambda: (
                db.job(job)["status"] == "running" and db.sqlite_write_locked()
                and not time.sleep(0.02) and db.sqlite_write_locked() and db.job(job)), worker, interval=0.005)
        worker.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=60)
        worker_log.close()
        if held is not None:
            held.rollback()  # the killed worker's orphaned backend gets the lock, finds its client gone, rolls back
            held.close()
    assert seen["status"] == "running", seen
    if db.postgres:
        assert "已检查" in seen["message"], seen  # the progress reported from inside the transaction reached the page
        _wait("the killed worker's backend gone", lambda: db.one(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )[0] == 0)
    assert db.problems() == before, "nothing of the killed import may be written"
    assert db.job(job)["status"] == "running"  # until its lease runs out

    page = _python(env, f"PASSWORD, JOB, DEADLINE = {PASSWORD!r}, {job}, {DEADLINE}\n{PAGE}", var)
    shown_failed = time.monotonic() - killed_at
    assert 'data-status="failed"' in page["html"], page["html"][-3000:]
    assert "后台进程中断，任务未完成，可重试" in page["html"] and 'data-testid="job-retry"' in page["html"]
    assert page["api"]["status"] == "failed" and page["api"]["can_retry"] is True
    failed = db.job(job)
    assert failed["status"] == "failed" and failed["result"] == {"interrupted": True}
    assert db.problems() == before
    status, location = page["retry"]
    assert status == 302 and location.startswith("/jobs/"), page["retry"]
    retried = int(location.rstrip("/").rsplit("/", 1)[-1])
    assert retried != job and page["again"] == [302, f"/jobs/{job}/"]  # the second click is refused on the page

    worker_log = (tmp_path / "worker-2.log").open("w")
    retry_started = time.monotonic()
    worker = subprocess.Popen([sys.executable, "-m", "qicha", "run_huey", "-w", "1"], env=env, cwd=var,
                              stdout=worker_log, stderr=subprocess.STDOUT)
    try:
        done = _wait("the retry finished", lambda: db.job(retried)["status"] in ("done", "failed") and db.job(retried),
                     worker, interval=0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=120)
        worker_log.close()
    assert done["status"] == "done", done
    # The drill's figures (docs/operations.md §10; shown with `pytest -s`).
    print(f"\nworker killed at {seen['progress']}% ({seen['message']}) of {ROWS} rows on "
          f"{'PostgreSQL' if db.postgres else 'SQLite'}; shown failed {shown_failed:.1f} s later (lease {LEASE} s); "
          f"problems {before} before, {db.problems()} after the retry, which took {time.monotonic() - retry_started:.1f} s "
          f"with a fresh worker; load average {os.getloadavg()[0]:.1f}")
    assert done["result"]["created"] == ROWS and db.problems() == before + ROWS
    verify = subprocess.run([sys.executable, "-m", "qicha", "audit", "verify"], env=env, cwd=var,
                            capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0 and "审计链完整" in verify.stdout, verify.stdout + verify.stderr
