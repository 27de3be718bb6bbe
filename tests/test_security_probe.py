"""The attacks an outside probe found (issue 13), each replayed against the platform: each must now fail.

1. the 系统管理员 takes over a business account through a password reset;
2. an inspector reads units it does not inspect;
3. out-of-scope attempts leave no trace;
6. a custom role with the power to reveal identities or sign off escapes the second factor;
7. the smaller leaks (duplicate reference numbers, repeat links, reveal by GET, export reveals, huge integers).
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.orgs import services as org_services
from qicha.orgs.models import DataScope, PasswordReset, Role, User

from .conftest import DEMO_PASSWORD

NEW_PASSWORD = "Qc-Mine-2026!z"


def shown(response) -> str:
    return response.content.decode()


def one_time_values(page: str) -> list[str]:
    """Everything a one-time message showed its reader: any token after a colon (a password, a code half)."""
    block = " ".join(re.findall(r'one-time-password[^>]*>(.*?)</div>', page, flags=re.S)) or page
    return re.findall(r"[：:]\s*([A-Za-z0-9!@#%+=?\-]{6,})", block)


def can_sign_in(username: str, password: str) -> bool:
    # The login page answers a redirect only when the password was accepted (to 工作台, /password/ or /otp/).
    return Client().post("/login/", {"username": username, "password": password}).status_code == 302


# --- 1. a reset never gives the resetter a usable credential ---------------------------------------------------------

def test_sysadmin_cannot_sign_in_as_the_office_after_resetting_its_password(login, api, user):
    office_page, office_api = login("office"), api("office")
    sysadmin = login("sysadmin")
    page = shown(sysadmin.post(f"/admin/users/{user('office').pk}/reset-password/", follow=True))
    values = one_time_values(page)
    assert values, "the reset shows its resetter something to hand over"
    for value in [*values, DEMO_PASSWORD]:
        assert not can_sign_in("office", value), f"the resetter signed in as the office with {value!r}"
        attempt = Client().post("/activate/", {"username": "office", "first_half": value, "second_half": value,
                                               "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert attempt.status_code in (200, 404)
        assert not can_sign_in("office", NEW_PASSWORD), "the resetter set the office's password alone"
    # The office's open session and API token ended with the reset.
    assert office_page.get("/")["Location"].startswith("/login/")
    assert office_api.get("/api/v1/me").status_code == 401


def test_a_reset_needs_both_halves_and_the_user_alone_sets_the_password(login, user):
    first = org_services.reset_password(user("sysadmin"), user("office"))
    reset = PasswordReset.objects.get(user=user("office"))
    # Without the 安全管理员's half the code does nothing, even when correct.
    refused = Client().post("/activate/", {"username": "office", "first_half": first, "second_half": first,
                                           "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "激活码不正确" in shown(refused)
    secadmin = login("secadmin")
    assert "office" in shown(secadmin.get("/admin/password-resets/"))
    page = shown(secadmin.post(f"/admin/password-resets/{reset.pk}/release/", follow=True))
    second = re.search(r"第二半激活码为：(\S+)", page).group(1)
    activated = Client().post("/activate/", {"username": "office", "first_half": first.lower(), "second_half": second,
                                             "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert activated.status_code == 302 and can_sign_in("office", NEW_PASSWORD)
    again = Client().post("/activate/", {"username": "office", "first_half": first, "second_half": second,
                                         "new_password1": "Qc-Other-2026!y", "new_password2": "Qc-Other-2026!y"})
    assert "激活码不正确" in shown(again)  # one use only
    # The user is told, and the 审计管理员 sees each step.
    assert Notification.objects.filter(user=user("office"), title="您的登录密码已被重置").exists()
    audit = shown(login("auditor").get("/audit/?username="))
    for label in ("重置密码", "发放第二半激活码", "凭激活码激活账号"):
        assert label in audit


def test_the_resetter_cannot_release_their_own_reset_and_guesses_void_it(db, demo, login, user):
    both = user("sysadmin")
    both.roles.add(Role.objects.get(code="secadmin"))  # one person holding 系统 + 安全 (allowed by 三员)
    both = User.objects.get(pk=both.pk)
    org_services.reset_password(both, user("liaison_chengxi"))
    reset = PasswordReset.objects.get(user__username="liaison_chengxi")
    with pytest.raises(Exception, match="不能发放自己发起的重置"):
        org_services.release_password_reset(both, reset)
    org_services.release_password_reset(user("secadmin"), reset)
    for _ in range(5):
        Client().post("/activate/", {"username": "liaison_chengxi", "first_half": "AAAA-AAAA", "second_half": "BBBB-BBBB",
                                     "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    reset.refresh_from_db()
    assert reset.status == "cancelled"


# --- 3. out-of-scope attempts are audited, rate-limited, and shown as 越权访问尝试 ----------------------------------

def test_walking_another_districts_ids_is_audited_and_rate_limited(demo, login, api, settings):
    from .problem_helpers import register

    settings.PROBE_AUDIT_PER_MINUTE = 3
    secret = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="城西问题")
    page, token = login("liaison_chengdong"), api("liaison_chengdong")
    start = timezone.now().replace(second=1)
    with time_machine.travel(start, tick=False):  # one minute of the rate limit, however slow the machine
        assert page.get(f"/problems/{secret.pk}/").status_code == 404
        assert token.get(f"/api/v1/problems/{secret.pk}").status_code == 404
        events = AuditEvent.objects.filter(event_type="access_denied", actor_username="liaison_chengdong")
        assert events.count() == 2
        first = events.order_by("seq").first()
        assert first.object_id == str(secret.pk) and f"/problems/{secret.pk}/" in first.object_repr
        assert first.outcome == "denied"
        for pk in range(secret.pk + 1, secret.pk + 30):
            page.get(f"/problems/{pk}/")
        assert events.count() == 4  # three recorded one by one, then one summary, then silence this minute
        assert events.filter(action="out_of_scope_flood").count() == 1
        audit = shown(login("auditor").get("/audit/?event_type=probes"))
        assert "越权访问尝试" in audit and f"/problems/{secret.pk}/" in audit
    with time_machine.travel(start + timedelta(minutes=1), tick=False):  # a new minute: recorded again
        page.get(f"/problems/{secret.pk}/")
    assert events.count() == 5


# --- 6. the second factor follows power, not role names ---------------------------------------------------------------

@pytest.mark.parametrize("power", ["clue.reveal", "problem.sign_off"])
def test_a_custom_role_that_reveals_or_signs_off_needs_the_second_factor(demo, user, settings, power):
    settings.DEMO_MODE = False
    secadmin = user("secadmin")
    role = org_services.create_role(secadmin, code="district_desk", name="区扫黑专干", scope=DataScope.SUBTREE,
                                    perms=["campaign.view", "problem.view", "clue.view", power])
    holder = user("liaison_chengxi")
    org_services.assign_roles(secadmin, holder, [role], version=holder.version)
    org_services.change_password(User.objects.get(pk=holder.pk), DEMO_PASSWORD, NEW_PASSWORD)
    client = Client()
    client.post("/login/", {"username": "liaison_chengxi", "password": NEW_PASSWORD})
    assert client.get("/")["Location"] == "/otp/"
    assert client.get("/api/v1/me").status_code == 401
    token = Client().post("/api/v1/auth/token", {"username": "liaison_chengxi", "password": NEW_PASSWORD},
                          content_type="application/json")
    assert token.status_code == 401 and token.json()["code"] == "otp_required"
    client.get("/otp/")
    device = TOTPDevice.objects.get(user=holder)
    client.post("/otp/", {"code": f"{totp(device.bin_key):06d}"})
    assert client.get("/").status_code == 200


def test_a_custom_role_without_such_power_may_skip_the_second_factor(demo, user, settings):
    settings.DEMO_MODE = False
    secadmin = user("secadmin")
    role = org_services.create_role(secadmin, code="district_reader", name="区查阅", scope=DataScope.SUBTREE,
                                    perms=["campaign.view", "problem.view"])
    holder = user("liaison_chengxi")
    org_services.assign_roles(secadmin, holder, [role], version=holder.version)
    org_services.change_password(User.objects.get(pk=holder.pk), DEMO_PASSWORD, NEW_PASSWORD)
    assert can_sign_in("liaison_chengxi", NEW_PASSWORD)


# --- 2. an inspector sees the units of its inspections, while they run, and nothing else ------------------------------

def test_an_inspector_sees_its_inspections_units_only_while_the_inspection_runs(demo, login, api, unit, user):
    from qicha.supervision.demo_inspectors import load_demo_inspectors
    from qicha.supervision.services import inspections as inspection_services
    from qicha.supervision.services.letters import record_letter

    from .problem_helpers import add_evidence, register

    load_demo_inspectors(DEMO_PASSWORD)
    assert Role.objects.get(code="inspector").scope == "inspection"
    east = register(demo, unit_name="城东区民政局", by="liaison_chengdong", description="城东低保问题")
    evidence = add_evidence(east).attachments.get()
    west = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="城西低保问题")
    office, today = user("office"), timezone.localdate()
    letter = record_letter(office, demo, "commitment", unit("城东区民政局"), signer="城东局长", signed_on=today,
                           scope="城东承诺")
    inspection = inspection_services.plan_inspection(
        office, demo, kind="special", title="城东专项督查", starts_on=today, ends_on=today,
        unit_ids=[unit("城东区民政局").pk], inspector_ids=[user("inspector_fa").pk])
    page, token = login("inspector_fa"), api("inspector_fa")

    def sees_east() -> bool:
        listed = "城东低保问题" in shown(page.get("/problems/"))
        detail = page.get(f"/problems/{east.pk}/").status_code == 200
        by_api = token.get(f"/api/v1/problems/{east.pk}").status_code == 200
        download = page.get(f"/problems/attachments/{evidence.pk}/").status_code == 200
        letter_seen = token.get(f"/api/v1/letters/{letter.pk}").status_code == 200
        assert listed == detail == by_api == download == letter_seen, "list, detail, API, download, letter disagree"
        return listed

    def never_west():
        assert "城西低保问题" not in shown(page.get("/problems/"))
        assert page.get(f"/problems/{west.pk}/").status_code == 404
        assert token.get(f"/api/v1/problems/{west.pk}").status_code == 404
        assert "城西低保问题" not in token.get("/api/v1/problems?page_size=100").content.decode()

    assert not sees_east()  # planned: not yet
    never_west()
    inspection = inspection_services.perform_inspection_action(office, inspection, "start")
    assert sees_east()  # under way: the inspected unit's problems, evidence
    never_west()
    inspection_services.rate_target(office, inspection.targets.get(), "good")
    inspection_services.perform_inspection_action(office, inspection, "complete", version=inspection.version + 1)
    assert not sees_east()  # over: nothing
    never_west()
    # Its own inspection stays readable to it (the plan and what it recorded), not the unit's ledger.
    assert page.get(f"/supervision/inspections/{inspection.pk}/").status_code == 200
