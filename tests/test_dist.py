"""The offline release: `make dist` builds one archive; on a machine with no registry it installs with
`pip install --no-index --find-links wheelhouse qicha`, migrates and serves under gunicorn.

The archive is built by the test (the registry is reachable where tests run; downloads are kept in build/wheelhouse)
unless QICHA_DIST_ARCHIVE names a prebuilt one.
"""

import json
import os
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _archive() -> Path:
    prebuilt = os.environ.get("QICHA_DIST_ARCHIVE")
    if prebuilt:
        return Path(prebuilt)
    done = subprocess.run(["make", "dist"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return ROOT / "dist" / f"qicha-{_version()}.tar.gz"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_offline_archive_installs_without_a_registry_migrates_and_serves(tmp_path):
    archive = _archive()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path, filter="data")
    top = tmp_path / f"qicha-{_version()}"
    # What the IT officer needs besides the wheels is in the archive.
    for part in ("docs/operations.md", "deploy/qicha.env", "deploy/nginx/qicha.conf",
                 "deploy/systemd/qicha-web.service", "deploy/systemd/qicha-worker.service"):
        assert f"{top.name}/{part}" in names, part

    venv = tmp_path / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True)
    # --no-index and no pip configuration: nothing but the wheelhouse may be used.
    offline = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}
    for key in [k for k in offline if k.startswith(("QICHA_", "DJANGO_"))]:
        del offline[key]
    done = subprocess.run(
        [venv / "bin/pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
         "--find-links", top / "wheelhouse", "qicha"],
        env=offline, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]

    # The installed package carries the 七查七摆 template, templates and the built front end.
    probe = subprocess.run(
        [venv / "bin/python", "-c",
         "import importlib.resources as r, json; p = r.files('qicha');"
         "print(json.dumps([p.joinpath('campaigns/data/qicha_seven.json').is_file(),"
         " p.joinpath('templates/base.html').is_file(), p.joinpath('static/vendor/htmx/htmx.min.js').is_file()]))"],
        env=offline, capture_output=True, text=True, check=True)
    assert json.loads(probe.stdout) == [True, True, True]

    var = tmp_path / "var"
    port = _free_port()
    env = {**offline, "QICHA_VAR_DIR": str(var), "QICHA_DATABASE_URL": f"sqlite:///{var / 'qicha.sqlite3'}",
           "QICHA_BIND": f"127.0.0.1:{port}", "QICHA_WEB_WORKERS": "1", "QICHA_HEALTH_MIN_FREE_MB": "1"}
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        done = subprocess.run([venv / "bin/python", "-m", "qicha", *command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]

    server = subprocess.Popen([venv / "bin/gunicorn", "-c", "python:qicha.gunicorn_conf", "qicha.wsgi"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        assert status == 200, body
        health = json.loads(body)
        assert health["status"] == "ok" and set(health["checks"]) == {"database", "keys", "disk"}

        status, body = _get(f"{base}/login/")
        assert status == 200 and "登录" in body
        status, _ = _get(f"{base}/static/vendor/htmx/htmx.min.js")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
