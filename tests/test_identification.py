"""等保 identification: password history and expiry, dormant accounts, TOTP for the 三员 and the office, demo mode."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from qicha.orgs import services
from qicha.orgs.models import SealedTOTPDevice as TOTPDevice

from .conftest import DEMO_PASSWORD


@pytest.fixture
def real(settings):
    """Outside demo mode: demo accounts are treated like real ones."""
    settings.DEMO_MODE = False
    return settings


def change(client, old, new):
    return client.post("/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_last_five_passwords_cannot_be_reused(demo, user):
    u = user("liaison_beihu")
    passwords = [DEMO_PASSWORD] + [f"Qc-Round-{i}x!" for i in range(5)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        services.change_password(u, old, new)
    from qicha.core.errors import Invalid

    with pytest.raises(Invalid) as caught:
        services.change_password(u, passwords[-1], passwords[2])
    assert "不能使用最近 5 次用过的密码" in caught.value.details["new_password1"]
    services.change_password(u, passwords[-1], DEMO_PASSWORD)  # six changes ago: allowed again


def test_password_expires_after_90_days(demo, user, real):
    real.INACTIVE_ACCOUNT_DAYS = 365  # keep the dormant-account rule out of this test
    u = user("liaison_beihu")
    services.change_password(u, DEMO_PASSWORD, "Qc-Fresh-2026!")
    client = Client()
    client.post("/login/", {"username": "liaison_beihu", "password": "Qc-Fresh-2026!"})
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client = Client()
        client.post("/login/", {"username": "liaison_beihu", "password": "Qc-Fresh-2026!"})
        assert client.get("/")["Location"] == "/password/"


def test_dormant_accounts_cannot_sign_in(demo, user, real):
    u = user("liaison_beihu")
    u.last_login = timezone.now() - timedelta(days=91)
    u.save()
    response = Client().post("/login/", {"username": "liaison_beihu", "password": DEMO_PASSWORD})
    assert "用户名或密码错误" in response.content.decode()


def test_disable_dormant_command(demo, user, real):
    from django.core.management import call_command

    u = user("liaison_beihu")
    u.last_login = timezone.now() - timedelta(days=120)
    u.save()
    call_command("disable_dormant_accounts")
    assert not user("liaison_beihu").is_active and user("liaison_nanshan").is_active


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor", "office"])
def test_second_factor_is_mandatory(demo, real, user, username):
    services.change_password(user(username), DEMO_PASSWORD, "Qc-Second-2026!")
    client = Client()
    client.post("/login/", {"username": username, "password": "Qc-Second-2026!"})
    assert client.get("/")["Location"] == "/otp/"
    assert client.get("/api/v1/me").status_code == 401  # the session is not yet verified
    page = client.get("/otp/").content.decode()
    assert "绑定动态口令" in page and "<svg" in page
    device = TOTPDevice.objects.get(user__username=username)
    wrong = client.post("/otp/", {"code": "000000"}).content.decode()
    assert "动态口令不正确或已过期" in wrong
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # django-otp throttles after a failure
        client.post("/otp/", {"code": f"{totp(device.bin_key):06d}"})
        assert client.get("/").status_code == 200
    # The API token needs the code too.
    anonymous = Client()
    refused = anonymous.post("/api/v1/auth/token", {"username": username, "password": "Qc-Second-2026!"}, content_type="application/json")
    assert refused.status_code == 401 and refused.json()["code"] == "otp_required"
    device.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(seconds=65)):
        ok = anonymous.post("/api/v1/auth/token", {"username": username, "password": "Qc-Second-2026!",
                                                   "otp": f"{totp(device.bin_key):06d}"}, content_type="application/json")
        assert ok.status_code == 200


def test_second_factor_is_optional_for_liaisons(demo, real, user):
    services.change_password(user("liaison_beihu"), DEMO_PASSWORD, "Qc-Second-2026!")
    client = Client()
    client.post("/login/", {"username": "liaison_beihu", "password": "Qc-Second-2026!"})
    assert client.get("/").status_code == 200


def test_demo_accounts_skip_the_second_factor_in_demo_mode(login):
    assert login("sysadmin").get("/").status_code == 200


def _start(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qicha", "check"], capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )


def test_production_refuses_demo_mode(tmp_path):
    result = _start({"QICHA_ENV": "production", "QICHA_DEMO": "1", "QICHA_SECRET_KEY": "x" * 50, "QICHA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0 and "生产环境（QICHA_ENV=production）不能开启演示模式" in result.stderr


def test_production_needs_the_key_file(tmp_path):
    result = _start({"QICHA_ENV": "production", "QICHA_SECRET_KEY": "k3Y-" + "0123456789abcdef" * 4, "QICHA_VAR_DIR": str(tmp_path), "QICHA_DEMO": ""})
    assert result.returncode != 0 and "找不到密钥文件" in result.stderr


def test_tokens_die_with_a_password_change(api, demo, user):
    client = api("liaison_beihu")
    assert client.get("/api/v1/me").status_code == 200
    services.change_password(user("liaison_beihu"), DEMO_PASSWORD, "Qc-Changed-2026!")
    assert client.get("/api/v1/me").status_code == 401


def test_otp_next_parameter_cannot_leave_the_site(demo, real, user):
    services.change_password(user("office"), DEMO_PASSWORD, "Qc-Second-2026!")
    client = Client()
    client.post("/login/", {"username": "office", "password": "Qc-Second-2026!"})
    client.get("/otp/")
    device = TOTPDevice.objects.get(user__username="office")
    response = client.post("/otp/?next=https://evil.example/", {"code": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/"
