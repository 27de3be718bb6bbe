"""The shipped deployment files (deploy/): the environment-file template lists every setting qicha reads, nginx
accepts the site (`nginx -t`) and lets through the uploads qicha accepts, systemd accepts the units
(`systemd-analyze verify`), and the production configuration of the template passes `check --deploy`."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SRC = ROOT / "src" / "qicha"


def _template() -> dict[str, str]:
    """QICHA_NAME → value for every line of the template, commented out or not."""
    names = {}
    for line in (DEPLOY / "qicha.env").read_text(encoding="utf-8").splitlines():
        match = re.match(r"#?(QICHA_[A-Z0-9_]+)=(.*)$", line.strip())
        if match:
            names[match[1]] = match[2]
    return names


def _names_read() -> set[str]:
    settings = (SRC / "settings.py").read_text(encoding="utf-8")
    names = {f"QICHA_{n}" for n in re.findall(r"\benv(?:_int|_bool)?\(\s*\"([A-Z0-9_]+)\"", settings)}
    for path in SRC.rglob("*.py"):
        names |= set(re.findall(r"environ(?:\.get)?[(\[]\s*\"(QICHA_[A-Z0-9_]+)\"", path.read_text(encoding="utf-8")))
    return names


def test_the_environment_template_lists_every_setting_read():
    read = _names_read()
    assert len(read) > 40  # the scan found settings.py's env() calls
    missing = sorted(read - set(_template()))
    assert not missing, f"deploy/qicha.env does not list {missing}"
    lines = (DEPLOY / "qicha.env").read_text(encoding="utf-8").splitlines()
    for name in read:  # each with its meaning and default in the comment above it (or above its group)
        at = next(i for i, line in enumerate(lines) if re.match(rf"#?{name}=", line))
        while re.match(r"#?QICHA_", lines[at - 1]):
            at -= 1
        assert "默认" in lines[at - 1], f"{name}: no default given"


def test_nginx_accepts_the_site_and_lets_through_what_qicha_accepts(tmp_path, settings):
    site = (DEPLOY / "nginx" / "qicha.conf").read_text(encoding="utf-8")
    body = re.search(r"client_max_body_size (\d+)m;", site)
    assert body and int(body[1]) > settings.ATTACHMENT_MAX_MB  # qicha, not nginx, refuses one oversize file
    timeout = int(re.search(r"proxy_read_timeout (\d+)s;", site)[1])
    assert timeout > 120  # gunicorn's QICHA_REQUEST_TIMEOUT answers first
    # Django sends these itself; a second copy from nginx would confuse browsers.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Strict-Transport-Security", "Referrer-Policy"):
        assert f"add_header {header}" not in site
    for page in ("502.html", "413.html"):
        assert "<h1>" in (DEPLOY / "nginx" / "errors" / page).read_text(encoding="utf-8")

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is needed (make system-deps installs nginx-light)"
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  include {DEPLOY / 'nginx' / 'qicha.conf'};\n}}\n")
    done = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed (Debian's systemd package)"
    venv = Path(sys.executable).parent.parent
    for unit in (DEPLOY / "systemd").iterdir():
        # The units name the installed paths; point them at this checkout's virtualenv so the binaries exist.
        text = unit.read_text(encoding="utf-8").replace("/opt/qicha/venv", str(venv))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    units = sorted(str(p) for p in tmp_path.iterdir())
    done = subprocess.run([analyze, "verify", *units], capture_output=True, text=True,
                          env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"})
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                # A build machine has neither the service account nor the target units of a server.
                if line.strip() and "Failed to resolve user" not in line]
    assert done.returncode == 0 or not problems, done.stdout + done.stderr
    assert not problems, problems
    web = (DEPLOY / "systemd" / "qicha-web.service").read_text(encoding="utf-8")
    assert "gunicorn -c python:qicha.gunicorn_conf qicha.wsgi" in web and "EnvironmentFile=/etc/qicha/qicha.env" in web
    worker = (DEPLOY / "systemd" / "qicha-worker.service").read_text(encoding="utf-8")
    assert "-m qicha run_huey" in worker


def test_the_production_template_passes_the_deploy_check(tmp_path):
    """The template's production lines, with a real secret key and keys, on PostgreSQL and Redis addresses."""
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"audit": secrets.token_hex(32), "field": secrets.token_hex(16),
                                "index": secrets.token_hex(32)}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QICHA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {name: value for name, value in _template().items() if value}
    env |= {"QICHA_SECRET_KEY": secrets.token_urlsafe(50), "QICHA_KEY_FILE": str(keys),
            "QICHA_VAR_DIR": str(tmp_path / "var"), "QICHA_STATIC_ROOT": str(tmp_path / "static"),
            "QICHA_DATABASE_URL": "postgres://qicha:secret@127.0.0.1:5432/qicha"}
    assert env["QICHA_ENV"] == "production" and env["QICHA_REDIS_URL"].startswith("redis://")
    done = subprocess.run([sys.executable, "-m", "qicha", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr
    # Production caches on Redis (shared by the web workers); sessions stay in the database.
    probe = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s;"
         "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"],
        capture_output=True, text=True, env={**env, "DJANGO_SETTINGS_MODULE": "qicha.settings"}, timeout=60)
    assert probe.stdout.split() == ["qicha.core.cache.TolerantRedisCache", "django.contrib.sessions.backends.db"]
