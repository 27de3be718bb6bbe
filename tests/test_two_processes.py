"""Two gunicorn worker processes acting on the same record at the same moment: exactly one wins.

The optimistic version check (`core.workflow` compare-and-set) is proven in-process elsewhere; here it is proven
across processes, as production runs it: a real gunicorn with two single-threaded workers on one database file, two
office sessions signing off the same submitted problem with the same version at once (released together by a
barrier). Exactly one request closes it; the other is told of the conflict on the page; one audit event.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
PASSWORD = "Qc-Procs-2026!x"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "qicha_csrftoken")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def sign_in(self, username: str) -> None:
        self.request("/login/")
        status, _ = self.request("/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"{username} could not sign in"


def _qicha(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qicha", *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def own_database():
    """On the PostgreSQL pass: a database of this test's own beside the suite's, dropped afterwards."""
    if not os.environ.get("QICHA_DATABASE_URL", "").startswith("postgres"):
        yield None
        return
    import psycopg

    server = os.environ["QICHA_DATABASE_URL"].rsplit("/", 1)[0]
    name = f"qicha_procs_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_worker_processes_signing_off_the_same_problem_exactly_one_wins(tmp_path: Path, own_database):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"QICHA_VAR_DIR": str(tmp_path), "QICHA_DEMO": "1", "QICHA_DEMO_PASSWORD": PASSWORD,
            "QICHA_JOBS_IMMEDIATE": "1", "QICHA_ALLOWED_HOSTS": "127.0.0.1",
            "QICHA_BIND": f"127.0.0.1:{port}", "QICHA_WEB_WORKERS": "2", "QICHA_THREADS": "1"}
    if own_database:
        env["QICHA_DATABASE_URL"] = own_database
    _qicha(env, "migrate", "--no-input", "-v", "0")
    # The demo organisation and problems (what the sign-off needs), as `load_demo` loads them.
    _qicha(env, "shell", "-c", "from qicha.core.registry import PROBLEMS, load_demo_data;"
           f"load_demo_data({PASSWORD!r}, through=PROBLEMS)")
    found = _qicha(env, "shell", "-c", "import json; from qicha.problems.models import Problem;"
                   "p = Problem.objects.filter(status='submitted').first(); print(json.dumps([p.pk, p.version]))")
    pk, version = json.loads(found.strip().splitlines()[-1])

    server = subprocess.Popen([Path(sys.executable).parent / "gunicorn", "-c", "python:qicha.gunicorn_conf", "qicha.wsgi"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        sessions = [Session(base), Session(base)]
        for session in sessions:
            session.sign_in("office")
        barrier = threading.Barrier(2)
        results = [None, None]
        data = {"opinion": "经审核，同意销号。", "version": version,
                **{f"check_{key}": "on" for key in ("facts_clear", "rectified", "responsibility_fixed",
                                                     "public_satisfied", "loophole_closed", "weakness_fixed")}}

        def act(i: int) -> None:
            barrier.wait()
            results[i] = sessions[i].request(f"/problems/{pk}/actions/sign_off/", data)

        threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(status for status, _ in results)
        assert statuses == [302, 422], statuses
        loser = next(body for status, body in results if status == 422)
        alerts = " ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', loser, re.S))
        assert re.search(r"已被他人处理|已被他人修改|刷新页面|当前状态", alerts), alerts or loser[:3000]
    finally:
        server.terminate()
        server.wait(timeout=30)

    closed = _qicha(env, "shell", "-c",
                    "import json; from qicha.problems.models import Problem; from qicha.core.models import AuditEvent;"
                    f"p = Problem.objects.get(pk={pk});"
                    f"print(json.dumps([p.status, p.version, AuditEvent.objects.filter(object_id=str(p.pk), "
                    "event_type='transition', after__status='closed').count()]))")
    assert json.loads(closed.strip().splitlines()[-1]) == ["closed", version + 1, 1]
