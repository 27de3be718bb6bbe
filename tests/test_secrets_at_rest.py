"""Issue 13, finding 5 — secrets at rest: TOTP seeds sealed with SM4, var/ and every file in it for the service
account only, and exports with identities in clear deleted once downloaded or after a time limit."""

import importlib
import io
import os
import stat
import subprocess
import sys
from base64 import b32encode
from datetime import timedelta
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from qicha.jobs import services as job_services
from qicha.jobs.models import Job
from qicha.jobs.registry import result_dir
from qicha.orgs import services
from qicha.orgs.models import SealedTOTPDevice

from .clue_helpers import PERSON_ID, intake
from .conftest import DEMO_PASSWORD

REPORTER = {"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678"}


def raw_seed(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def enrol(user, settings) -> tuple[Client, str]:
    settings.DEMO_MODE = False
    services.change_password(user("office"), DEMO_PASSWORD, "Qc-Second-2026!")
    client = Client()
    client.post("/login/", {"username": "office", "password": "Qc-Second-2026!"})
    return client, client.get("/otp/").content.decode()


def test_a_totp_seed_is_not_readable_from_the_database(demo, user, settings):
    client, page = enrol(user, settings)
    device = SealedTOTPDevice.objects.get(user__username="office")
    stored = raw_seed(device)
    seed = device.bin_key
    assert len(seed) == 20 and seed.hex() not in stored.lower() and ":" in stored
    # What the phone is shown still matches, and its codes still sign in.
    shown = b32encode(seed).decode()
    assert " ".join(shown[i:i + 4] for i in range(0, len(shown), 4)) in page
    client.post("/otp/", {"code": f"{totp(seed):06d}"})
    assert client.get("/").status_code == 200


def test_existing_plain_seeds_are_sealed_by_the_migration(demo, user, settings):
    enrol(user, settings)
    device = SealedTOTPDevice.objects.get(user__username="office")
    seed = device.bin_key
    with connection.cursor() as cursor:  # as django-otp stored it before this release
        cursor.execute("UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s", [seed.hex(), device.pk])
    migration = importlib.import_module("qicha.orgs.migrations.0004_sealed_totp_seeds")
    migration.seal_existing_seeds(apps, None)
    assert seed.hex() not in raw_seed(device)
    assert SealedTOTPDevice.objects.get(pk=device.pk).bin_key == seed


def test_key_rotation_reseals_the_seeds(demo, user, settings):
    enrol(user, settings)
    device = SealedTOTPDevice.objects.get(user__username="office")
    seed, before = device.bin_key, raw_seed(device)
    out = StringIO()
    call_command("rotate_keys", "--drop-old", stdout=out)
    assert "otp_totp.TOTPDevice.key': 1" in out.getvalue()
    after = raw_seed(device)
    assert after.split(":")[0] != before.split(":")[0]
    assert SealedTOTPDevice.objects.get(pk=device.pk).bin_key == seed


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_files_are_for_the_service_account_only_after_make_run(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "QICHA_VAR_DIR": str(var), "QICHA_DEMO": "1", "QICHA_DEMO_PASSWORD": "Qc-Modes-2026!"}
    env.pop("QICHA_KEY_FILE", None)
    env.pop("QICHA_DATABASE_URL", None)
    for step in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):  # as `make run` does, with a lax umask
        result = subprocess.run([sys.executable, "-m", "qicha", *step], env=env, capture_output=True, text=True,
                                timeout=300, preexec_fn=lambda: os.umask(0o022))
        assert result.returncode == 0, result.stderr
    assert _mode(var) == 0o700
    files = [p for p in var.rglob("*") if p.is_file()]
    folders = [p for p in var.rglob("*") if p.is_dir()]
    assert {"qicha.sqlite3", "keys.json", "secret_key"} <= {p.name for p in files}
    assert any(p.parent.parent.parent.name == "files" for p in files)  # the demo's evidence files
    assert {str(p.relative_to(var)): oct(_mode(p)) for p in files if _mode(p) != 0o600} == {}
    assert {str(p.relative_to(var)): oct(_mode(p)) for p in folders if _mode(p) != 0o700} == {}


def _export(client, data=None) -> Job:
    response = client.post("/jobs/export/clues/", data or {})
    assert response.status_code == 302
    return Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_result_files_are_for_the_service_account_only(login, demo):
    job = _export(login("office"))
    path = result_dir(job.pk) / job.result_name
    assert _mode(path) == 0o600 and _mode(result_dir(job.pk)) == 0o700


def test_an_export_with_reporters_in_clear_is_deleted_once_downloaded(login, demo):
    intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-1")
    office = login("office")
    job = _export(office, {"reason": "向上级报送举报人答复情况"})
    page = office.get(f"/jobs/{job.pk}/").content.decode()
    assert "此文件含举报人明文：下载一次后即从服务器删除" in page
    first = office.get(f"/jobs/{job.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(first.streaming_content))).active
    assert any("13912345678" in str(row) for row in sheet.iter_rows(values_only=True))
    assert not result_dir(job.pk).exists()
    assert office.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "含明文的结果文件已在下载后删除" in office.get(f"/jobs/{job.pk}/").content.decode()
    # A masked export stays for the usual 7 days and can be downloaded again.
    masked = _export(office)
    assert office.get(f"/jobs/{masked.pk}/download/").status_code == 200
    assert office.get(f"/jobs/{masked.pk}/download/").status_code == 200


def test_the_api_hands_out_a_revealed_export_once(api, demo):
    intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-1")
    client = api("office")
    started = client.post("/api/v1/exports", {"ledger": "clues", "with_reporter": True, "reason": "核对答复"},
                          content_type="application/json")
    result_url = client.get(f"/api/v1/jobs/{started.json()['id']}").json()["result_url"]
    assert client.get(result_url).status_code == 200
    assert client.get(result_url).status_code == 404


def test_an_undownloaded_revealed_export_expires(login, demo, settings):
    settings.REVEALED_EXPORT_TTL_HOURS = 24
    intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-1")
    office = login("office")
    revealed = _export(office, {"reason": "向上级报送举报人答复情况"})
    masked = _export(office)
    assert job_services.purge_revealed_results(now=timezone.now() + timedelta(hours=23)) == 0
    assert job_services.purge_revealed_results(now=timezone.now() + timedelta(hours=25)) == 1
    assert not result_dir(revealed.pk).exists() and result_dir(masked.pk).exists()
    assert "超过保存时限并删除" in office.get(f"/jobs/{revealed.pk}/").content.decode()
