"""/healthz names the part that fails — database, Redis, the worker's heartbeat, the key files, disk space — with a
503, says nothing secret, and Redis going down does not take pages down.

Each failing part is made real: a database nobody listens on, a Redis server started (and stopped) by the test, a
key file that is not there, a free-space floor above what the disk has. The probe runs in a fresh `python` with the
environment an operator would set, as the monitor would meet it.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SECRET_PASSWORD = "Db-Pass-Not-For-Eyes-42"
PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""
BEAT = """
import django
django.setup()
from qicha.core.tasks import worker_heartbeat
worker_heartbeat.call_local()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(script: str, tmp_path: Path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_")}
    keys = tmp_path / "keys.json"
    if not keys.exists():
        from qicha.core.crypto import generate_keys

        keys.write_text(json.dumps(generate_keys()))
    base |= {"DJANGO_SETTINGS_MODULE": "qicha.settings", "QICHA_VAR_DIR": str(tmp_path / "var"),
             "QICHA_ALLOWED_HOSTS": "testserver", "QICHA_KEY_FILE": str(keys), "QICHA_HEALTH_MIN_FREE_MB": "1"}
    base |= env
    return subprocess.run([sys.executable, "-c", script], env=base, capture_output=True, text=True, timeout=120)


def _health(tmp_path: Path, **env) -> tuple[int, dict, str]:
    done = _run(PROBE, tmp_path, **env)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["status"], json.loads(result["body"]), result["body"]


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of the test's own on a free port (the machine's one is left alone)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (CI installs it)"
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0", client, server
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_healthy_embedded_install_answers_ok_in_json(client, settings):
    from qicha.core.crypto import keys

    keys()  # an installation has its key file from the first start
    settings.HEALTH_MIN_FREE_MB = 1
    response = client.get("/healthz")
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    # Without Redis there is no Redis to check and no separate worker to hear from.
    assert set(body["checks"]) == {"database", "keys", "disk"}
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_database_down_is_named_and_its_address_is_not_told(tmp_path):
    status, body, raw = _health(tmp_path, QICHA_DATABASE_URL=f"postgres://qicha:{SECRET_PASSWORD}@127.0.0.1:{_free_port()}/qicha")
    assert status == 503 and body["failing"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "detail": "数据库无法连接或无法查询"}
    assert SECRET_PASSWORD not in raw and "127.0.0.1" not in raw and "qicha:" not in raw


def test_missing_key_file_is_named_without_its_path(tmp_path):
    status, body, raw = _health(tmp_path, QICHA_KEY_FILE=str(tmp_path / "gone" / "keys.json"))
    assert status == 503 and body["failing"] == ["keys"]
    assert "gone" not in raw and str(tmp_path) not in raw


def test_damaged_key_file_is_named(tmp_path):
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"audit": "zz"}')
    status, body, _ = _health(tmp_path, QICHA_KEY_FILE=str(damaged))
    assert status == 503 and body["failing"] == ["keys"]


def test_disk_nearly_full_is_named(tmp_path):
    status, body, _ = _health(tmp_path, QICHA_HEALTH_MIN_FREE_MB=str(10**9))
    assert status == 503 and body["failing"] == ["disk"]
    assert "低于" in body["checks"]["disk"]["detail"]


def test_redis_down_names_redis_and_the_worker(tmp_path):
    status, body, _ = _health(tmp_path, QICHA_REDIS_URL=f"redis://:{SECRET_PASSWORD}@127.0.0.1:{_free_port()}/0")
    assert status == 503 and body["failing"] == ["redis", "worker"]
    assert "Redis" in body["checks"]["redis"]["detail"]


def test_worker_heartbeat_missing_then_fresh_then_stale(tmp_path, redis_server):
    url, client, _ = redis_server
    status, body, _ = _health(tmp_path, QICHA_REDIS_URL=url)
    assert status == 503 and body["failing"] == ["worker"]
    assert "没有心跳" in body["checks"]["worker"]["detail"]

    # The worker's own periodic task writes the heartbeat.
    done = _run(BEAT, tmp_path, QICHA_REDIS_URL=url)
    assert done.returncode == 0, done.stderr[-3000:]
    status, body, _ = _health(tmp_path, QICHA_REDIS_URL=url)
    assert status == 200 and set(body["checks"]) == {"database", "redis", "worker", "keys", "disk"}

    # A worker that stopped beating ten minutes ago.
    from qicha.core.health import HEARTBEAT_KEY

    client.set(HEARTBEAT_KEY, str(time.time() - 600))
    status, body, _ = _health(tmp_path, QICHA_REDIS_URL=url)
    assert status == 503 and body["failing"] == ["worker"]
    assert "秒没有心跳" in body["checks"]["worker"]["detail"]


def test_pages_keep_working_while_the_redis_cache_is_down(login, settings, redis_server):
    url, _, server = redis_server
    settings.CACHES = {"default": {"BACKEND": "qicha.core.cache.TolerantRedisCache", "LOCATION": url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    from django.core.cache import cache

    cache.set("qicha:probe:test", 1)
    assert cache.get("qicha:probe:test") == 1  # the cache is really Redis
    server.terminate()
    server.wait(timeout=10)

    liaison = login("liaison_chengxi")
    assert liaison.get("/").status_code == 200
    # A record out of scope is counted in the cache (越权访问尝试): still a plain 404 with Redis gone.
    assert liaison.get("/problems/999999999/").status_code == 404
    assert cache.get("qicha:probe:test") is None


def test_a_job_started_while_redis_is_down_fails_visibly(user, django_capture_on_commit_callbacks):
    """Not left "queued" for ever, not an error page: the job ends failed at once and its page says why."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    from qicha.jobs import services

    from . import test_jobs  # noqa: F401 — registers the "test.write_file" job kind

    HUEY.immediate = False  # (setting it puts back the storage huey had before immediate mode)
    storage, HUEY.storage = HUEY.storage, RedisStorage("qicha", host="127.0.0.1", port=_free_port(),
                                                       socket_connect_timeout=1)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.start_job(user("liaison_chengxi"), "test.write_file", {"n": 1})
    finally:
        HUEY.storage = storage
        HUEY.immediate = True
    job.refresh_from_db()
    assert job.status == "failed" and "Redis" in job.message and "重新提交" in job.message
