"""Fault drills (issue 21) on a private PostgreSQL cluster, a private Redis and a real gunicorn — nothing shared is
touched. Each drill prints what it saw; docs/operations.md §10 records the results.

    .venv/bin/python bench/fault_drills.py            # all drills (needs root: initdb as postgres, mount tmpfs)
    .venv/bin/python bench/fault_drills.py postgres   # one: postgres | redis | disk | backup

1. postgres: a signed-in user keeps loading the 工作台 while PostgreSQL is restarted (fast shutdown, 5 s down):
   requests during the outage get the Chinese 503 page, and the next ones succeed without restarting qicha.
2. redis:    Redis stopped: pages keep working, /healthz names redis and worker, an export fails visibly at once;
   Redis back: /healthz is ok again once the worker beats.
3. disk:     the attachment store is a 1 MB tmpfs; a 2 MB upload is refused with a plain message, no file is left.
4. backup:   `qicha backup` while progress is being added; restored into a new database, the audit chain verifies
   and the restored database is the original as of the restored chain head (same hash at the same sequence).

The worker killed mid-import needs no root and runs in CI: tests/test_jobs_worker_killed.py (a real `run_huey` on
Redis, SIGKILL inside the import's transaction, the job failed by its lease, 重试).
"""

import http.cookiejar
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
PASSWORD = "Qc-Drill-2026!x"
PGBIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    def __init__(self, base: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "qicha_csrftoken"), "")

    def request(self, path, data=None, files=None):
        headers, body = {}, None
        if files:
            boundary = "----qichadrill"
            parts = []
            for key, value in {**(data or {}), "csrfmiddlewaretoken": self.csrf()}.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
            for key, (name, content, ctype) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                             f"Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), dict(exc.headers)
        except OSError as exc:
            return 0, str(exc), {}

    def sign_in(self, username):
        self.request("/login/")
        status, _, _ = self.request("/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"{username} could not sign in ({status})"


class Stack:
    """A private PostgreSQL cluster, a private Redis, a demo database, gunicorn and (with Redis) the worker."""

    def __init__(self, work: Path, redis: bool = False):
        self.work, self.procs = work, []
        self.pg_port, self.web_port = free_port(), free_port()
        self.pgdata = work / "pgdata"
        self.pgdata.mkdir(parents=True)
        postgres = pwd.getpwnam("postgres")
        os.chown(work, postgres.pw_uid, postgres.pw_gid)
        os.chown(self.pgdata, postgres.pw_uid, postgres.pw_gid)
        self.as_pg([PGBIN / "initdb", "-D", self.pgdata, "-A", "trust", "-U", "postgres", "--no-sync"])
        self.pg("start")
        self.as_pg([PGBIN / "createdb", "-h", "127.0.0.1", "-p", self.pg_port, "qicha"])
        self.var = work / "var"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_")}
        self.env |= {"QICHA_VAR_DIR": str(self.var), "QICHA_DEMO": "1", "QICHA_DEMO_PASSWORD": PASSWORD,
                     "QICHA_ALLOWED_HOSTS": "127.0.0.1", "QICHA_DATABASE_URL": self.url("qicha"),
                     "QICHA_BIND": f"127.0.0.1:{self.web_port}", "QICHA_WEB_WORKERS": "2",
                     "QICHA_HEALTH_MIN_FREE_MB": "1", "QICHA_LOG_LEVEL": "ERROR"}
        if redis:
            self.redis_port = free_port()
            self.start_redis()
            self.env["QICHA_REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        else:
            self.env["QICHA_JOBS_IMMEDIATE"] = "1"
        self.qicha("migrate", "--no-input", "-v", "0")
        self.qicha("shell", "-c", "from qicha.core.registry import PROBLEMS, load_demo_data;"
                   f"load_demo_data({PASSWORD!r}, through=PROBLEMS)")
        self.web = self.spawn([VENV / "gunicorn", "-c", "python:qicha.gunicorn_conf", "qicha.wsgi"])
        if redis:
            self.worker = self.spawn([VENV / "python", "-m", "qicha", "run_huey", "-w", "1"])
        self.base = f"http://127.0.0.1:{self.web_port}"
        for _ in range(120):
            if Session(self.base).request("/login/")[0] == 200:
                break
            time.sleep(0.5)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{name}"

    def as_pg(self, command):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True, capture_output=True)

    def pg(self, action, *extra):
        self.as_pg([PGBIN / "pg_ctl", "-D", self.pgdata, "-w", "-l", self.pgdata / "log",
                    "-o", f"-p {self.pg_port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off", action, *extra])

    def start_redis(self):
        self.redis = subprocess.Popen(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--dir", str(self.work)],
                                      stdout=subprocess.DEVNULL)
        time.sleep(0.5)

    def spawn(self, command):
        proc = subprocess.Popen([str(c) for c in command], cwd=self.work, env=self.env,
                                stdout=open(self.work / f"{Path(str(command[-1])).name}.log", "w"),  # noqa: SIM115
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def qicha(self, *args, env=None):
        done = subprocess.run([VENV / "python", "-m", "qicha", *args], cwd=self.work, env=env or self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"qicha {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def close(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=30)
        if getattr(self, "redis", None) and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        self.pg("stop", "-m", "fast")


def health(base):
    status, body, _ = Session(base).request("/healthz")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def drill_postgres(work):
    stack = Stack(work)
    try:
        user = Session(stack.base)
        user.sign_in("liaison_chengdong")
        seen, stop = [], threading.Event()

        def load():
            while not stop.is_set():
                status, body, _ = user.request("/")
                title = re.search(r"<title>(.*?)</title>", body, re.S)
                seen.append((time.monotonic(), status, (title[1].strip() if title else body[:60]).replace("\n", " ")))
                time.sleep(0.2)

        thread = threading.Thread(target=load)
        thread.start()
        time.sleep(3)
        down = time.monotonic()
        stack.pg("stop", "-m", "fast")
        time.sleep(5)
        stack.pg("start")
        up = time.monotonic()
        time.sleep(5)
        stop.set()
        thread.join()
        before = [s for t, s, _ in seen if t < down]
        during = [(s, title) for t, s, title in seen if down <= t < up]
        after = [s for t, s, _ in seen if t >= up]
        print(f"postgres: before the restart {len(before)} requests, statuses {sorted(set(before))}")
        print(f"postgres: while down ({up - down:.1f} s) {len(during)} requests: "
              f"{sorted({f'{s} {title}' for s, title in during})}")
        print(f"postgres: after it is back {len(after)} requests, statuses {sorted(set(after))} "
              f"(first: {after[0] if after else None}); gunicorn pid unchanged: {stack.web.poll() is None}")
        print(f"postgres: /healthz now {health(stack.base)[0]}")
    finally:
        stack.close()


def drill_redis(work):
    stack = Stack(work, redis=True)
    try:
        user = Session(stack.base)
        user.sign_in("liaison_chengdong")
        time.sleep(65)  # the worker's first heartbeat (every minute)
        print(f"redis: with Redis up /healthz {health(stack.base)[0]}")
        stack.redis.terminate()
        stack.redis.wait()
        pages = {path: user.request(path)[0] for path in ("/", "/problems/", "/clues/", "/jobs/")}
        print(f"redis: Redis stopped — pages {pages}")
        status, body = health(stack.base)
        print(f"redis: /healthz {status}, failing {body['failing'] if isinstance(body, dict) else body}")
        status, _, headers = user.request("/jobs/export/problems/", {})
        job = re.search(r"/jobs/(\d+)/", headers.get("Location", ""))
        _, page, _ = user.request(f"/jobs/{job[1]}/") if job else (0, "", {})
        print(f"redis: export started → {status}; job page says: "
              f"{'后台任务队列暂时不可用' in page and '重新提交' in page}")
        stack.start_redis()
        for waited in range(0, 130, 5):  # noqa: B007 — printed below
            status, body = health(stack.base)
            if status == 200:
                break
            time.sleep(5)
        print(f"redis: Redis back — /healthz {status} after ~{waited} s "
              f"({body['checks'].get('worker') if isinstance(body, dict) else body})")
    finally:
        stack.close()


def drill_disk(work):
    stack = Stack(work)
    files = stack.var / "files"
    files.mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(files)], check=True)
    try:
        user = Session(stack.base)
        user.sign_in("liaison_chengdong")
        pk = stack.qicha("shell", "-c", "from qicha.problems.models import Problem;"
                         "print(Problem.objects.filter(unit__name='城东区民政局', status__in=['open','in_progress']).first().pk)"
                         ).strip().splitlines()[-1]
        evidence = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024) + b"\n%%EOF\n"
        status, body, _ = user.request(f"/problems/{pk}/progress/", {"text": "整改佐证", "percent": "50"},
                                       files={"files": ("整改佐证.pdf", evidence, "application/pdf")})
        message = re.search(r"服务器存储空间不足[^<]*", body)
        left = [str(p.relative_to(files)) for p in files.rglob("*") if p.is_file()]
        entries = stack.qicha("shell", "-c", f"from qicha.problems.models import ProgressEntry;"
                              f"print(ProgressEntry.objects.filter(problem_id={pk}).count())").strip().splitlines()[-1]
        print(f"disk: 2 MB upload onto a full 1 MB store → {status}: {message[0] if message else body[:200]}")
        print(f"disk: files left in the store: {left or 'none'}; progress entries on the problem: {entries}")
    finally:
        subprocess.run(["umount", str(files)], check=False)
        stack.close()


def drill_backup(work):
    stack = Stack(work)
    try:
        user = Session(stack.base)
        user.sign_in("liaison_chengdong")
        pk = stack.qicha("shell", "-c", "from qicha.problems.models import Problem;"
                         "print(Problem.objects.filter(unit__name='城东区民政局', status__in=['open','in_progress']).first().pk)"
                         ).strip().splitlines()[-1]
        added, stop = [], threading.Event()

        def load():
            while not stop.is_set():
                added.append(user.request(f"/problems/{pk}/progress/", {"text": f"进展 {len(added)}", "percent": "50"})[0])

        thread = threading.Thread(target=load)
        thread.start()
        time.sleep(2)
        out = work / "backups"
        stack.qicha("backup", "--output", str(out))
        time.sleep(2)
        stop.set()
        thread.join()
        backup = next(out.iterdir())
        stack.as_pg([PGBIN / "createdb", "-h", "127.0.0.1", "-p", stack.pg_port, "restored"])
        restored_var = work / "restored-var"
        restored_var.mkdir()
        shutil.copy(stack.var / "keys.json", restored_var / "keys.json")  # the key file is kept apart from backups
        restored = stack.env | {"QICHA_DATABASE_URL": stack.url("restored"), "QICHA_VAR_DIR": str(restored_var)}
        stack.qicha("restore", str(backup), env=restored)
        verify = stack.qicha("audit", "verify", env=restored)
        head = re.search(r"(\d+):([0-9a-f]{16,})", verify)
        same = stack.qicha("shell", "-c", f"from qicha.core.models import AuditEvent;"
                           f"print(AuditEvent.objects.get(seq={head[1]}).hash == '{head[2]}')").strip().splitlines()[-1]
        count = "from qicha.problems.models import ProgressEntry; print(ProgressEntry.objects.filter(problem_id={pk}).count())"
        restored_n = stack.qicha("shell", "-c", count.format(pk=pk), env=restored).strip().splitlines()[-1]
        audited = stack.qicha("shell", "-c", "from qicha.core.models import AuditEvent;"
                              f"print(AuditEvent.objects.filter(object_id='{pk}', action='add_progress').count())",
                              env=restored).strip().splitlines()[-1]
        print(f"backup: {len(added)} progress entries added during the run ({sorted(set(added))}); backup {backup.name}")
        print(f"backup: restored audit chain: {verify.strip().splitlines()[-1]}")
        print(f"backup: the original has the same event at the restored head: {same}; restored progress entries "
              f"{restored_n} = audited add_progress events {audited}")
    finally:
        stack.close()


DRILLS = {"postgres": drill_postgres, "redis": drill_redis, "disk": drill_disk, "backup": drill_backup}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(DRILLS)
    print(f"load average before: {os.getloadavg()}")
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"qicha-drill-{name}-") as tmp:
            os.chmod(tmp, 0o755)
            started = time.monotonic()
            DRILLS[name](Path(tmp))
            print(f"{name}: drill took {time.monotonic() - started:.0f} s\n")
