"""Issue 13, finding 8: nothing cached, styles under the CSP too, and production that refuses weak settings."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from qicha.core.models import Attachment


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_api_calls_and_downloads_are_not_cached(login, api, demo):
    office = login("office")
    assert _no_store(office.get("/"))
    assert _no_store(api("office").get("/api/v1/me"))
    attachment = Attachment.objects.filter(progress_entries__isnull=False).first()
    download = office.get(f"/problems/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert _no_store(download)
    export = login("auditor").get("/audit/export/")
    assert export.status_code == 200 and _no_store(export)


def _qicha(*args, **env) -> subprocess.CompletedProcess:
    keys = {"audit": secrets.token_hex(32), "field": secrets.token_hex(16), "index": secrets.token_hex(32)}
    base = {"QICHA_ENV": "production", "QICHA_DEMO": "", "QICHA_DEBUG": "", "QICHA_KEYS": json.dumps(keys),
            "QICHA_SECRET_KEY": secrets.token_urlsafe(50), "QICHA_ALLOWED_HOSTS": "qicha.intranet.gov.cn",
            "QICHA_HTTPS": "", "QICHA_BEHIND_TLS_GATEWAY": ""}
    # A production server's environment: not the test process's (the browser tests relax Django's async guard).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "-m", "qicha", *args], capture_output=True, text=True,
                          env={**inherited, **base, **env}, timeout=120)


def test_production_passes_the_deploy_checks(tmp_path):
    result = _qicha("check", "--deploy", QICHA_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_behind_a_tls_gateway_the_deploy_check_says_who_does_hsts(tmp_path):
    result = _qicha("check", "--deploy", QICHA_VAR_DIR=str(tmp_path), QICHA_BEHIND_TLS_GATEWAY="1")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "qicha.I001" in output and "HSTS 与 http→https 跳转由 TLS 网关负责" in output
    assert "security.W" not in output


@pytest.mark.parametrize("env, message", [
    ({"QICHA_DEBUG": "1"}, "生产环境（QICHA_ENV=production）不能开启调试模式"),
    ({"QICHA_SECRET_KEY": "short-key-123"}, "QICHA_SECRET_KEY 太短或是示例值"),
    ({"QICHA_SECRET_KEY": "x" * 64}, "QICHA_SECRET_KEY 太短或是示例值"),
    ({"QICHA_SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 5}, "QICHA_SECRET_KEY 太短或是示例值"),
    ({"QICHA_HTTPS": "0"}, "生产环境须经 HTTPS 访问"),
])
def test_production_refuses_weak_settings(tmp_path, env, message):
    result = _qicha("check", QICHA_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0 and message in result.stderr


def test_no_inline_styles_in_templates_or_scripts():
    from pathlib import Path

    import qicha

    package = Path(qicha.__file__).parent
    offenders = [str(p.relative_to(package)) for p in (package / "templates").rglob("*.html")
                 if " style=" in p.read_text(encoding="utf-8") or "<style" in p.read_text(encoding="utf-8")]
    script = (package / "static" / "qicha" / "app.js").read_text(encoding="utf-8")
    assert not offenders and "style=" not in script and 'setAttribute("style"' not in script


def test_the_csp_allows_no_inline_styles(login):
    csp = login("office").get("/")["Content-Security-Policy"]
    styles = csp.split("style-src")[1].split(";")[0]
    assert "'self'" in styles and "unsafe-inline" not in styles
