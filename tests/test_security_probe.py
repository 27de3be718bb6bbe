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

from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.orgs import services as org_services
from qicha.orgs.models import DataScope, PasswordReset, Role, User
from qicha.orgs.models import SealedTOTPDevice as TOTPDevice

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
    reset = PasswordReset.objects.get(user=user("office"), status="pending")
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


def test_the_sysadmin_holds_no_credential_of_an_account_it_creates(login, unit):
    page = shown(login("sysadmin").post("/admin/users/new/", {"username": "district_office", "full_name": "区扫黑办",
                                                              "unit": unit("城东区民政局").pk}, follow=True))
    values = one_time_values(page)
    assert values
    for value in values:
        assert not can_sign_in("district_office", value), f"the creator signed in with {value!r}"


def test_the_resetter_cannot_release_their_own_reset_and_guesses_void_it(db, demo, login, user):
    both = user("sysadmin")
    both.roles.add(Role.objects.get(code="secadmin"))  # one person holding 系统 + 安全 (allowed by 三员)
    both = User.objects.get(pk=both.pk)
    org_services.reset_password(both, user("liaison_chengxi"))
    reset = PasswordReset.objects.get(user__username="liaison_chengxi", status="pending")
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
    assert client.get("/").get("Location") == "/otp/", "signed in without a second factor"
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
    inspection = inspection_services.start_inspection(office, inspection, version=inspection.version)
    assert sees_east()  # under way: the inspected unit's problems, evidence
    never_west()
    inspection_services.rate_target(office, inspection.targets.get(), "good")
    inspection_services.complete_inspection(office, inspection, version=inspection.version + 1)
    assert not sees_east()  # over: nothing
    never_west()
    # Its own inspection stays readable to it (the plan and what it recorded), not the unit's ledger.
    assert page.get(f"/supervision/inspections/{inspection.pk}/").status_code == 200
    assert Role.objects.get(code="inspector").scope == "inspection"


# --- 7. smaller leaks ----------------------------------------------------------------------------------------------

CLUE_FORM = {"source": "public_report", "domain": "subsistence", "content": "反映某村低保问题", "region": "某街道"}


def test_another_districts_reference_number_is_not_confirmed(demo, login):
    from .clue_helpers import intake

    intake(demo, source="public_report", reference_no="12345-2026-0001", unit_name="城西区民政局")
    form = CLUE_FORM | {"received_date": timezone.localdate().isoformat(), "reference_no": "12345-2026-0001"}
    page = shown(login("liaison_chengdong").post("/clues/new/", form))
    assert "已登记" not in page and "联系扫黑办" in page
    # Someone who may see the earlier clue is told plainly.
    assert "已登记" in shown(login("office").post("/clues/new/", form))


def test_a_registrant_learns_nothing_of_a_repeat_it_may_not_see(demo, login):
    from qicha.clues.models import Clue

    from .clue_helpers import PERSON_ID, intake

    intake(demo, source="public_report", unit_name="城西区民政局",
           subjects=[{"kind": "person", "name": "赵某某", "id_number": PERSON_ID}])
    form = CLUE_FORM | {"received_date": timezone.localdate().isoformat(), "person_0_name": "赵某某",
                        "person_0_id_number": PERSON_ID}
    liaison = login("liaison_chengdong")
    page = shown(liaison.post("/clues/new/", form, follow=True))
    mine = Clue.objects.filter(created_by__username="liaison_chengdong").get()
    assert mine.repeat_candidates.exists()  # the office will see the match
    assert "发现疑似重复的在先线索" not in page and "已自动认定" not in page and "疑似重复的在先线索（" not in page
    assert "未发现同一事项的在先举报" in page  # as if new
    assert mine.repeat_of_id is None
    listed = shown(liaison.get("/clues/?repeats=1"))
    assert f"/clues/{mine.pk}/" not in listed


def test_registrations_that_keep_matching_hidden_clues_are_paused(demo, login, settings, user):
    from qicha.clues import services as clue_services

    from .clue_helpers import id_number, intake

    settings.CLUE_HIDDEN_MATCHES_PER_HOUR = 3
    guesses = [id_number(f"11010519800101{n:03d}") for n in range(5)]
    for guess in guesses:
        intake(demo, source="public_report", unit_name="城西区民政局",
               subjects=[{"kind": "person", "name": "赵某某", "id_number": guess}])
    liaison = user("liaison_chengdong")
    fields = {"source": "public_report", "received_date": timezone.localdate(), "content": "试探", "domain": "other"}
    for guess in guesses[:3]:
        clue_services.register_clue(liaison, campaign=demo, **fields,
                                    subjects=[{"kind": "person", "name": "赵某某", "id_number": guess}])
    with pytest.raises(Exception, match="请稍后再试"):
        clue_services.register_clue(liaison, campaign=demo, **fields,
                                    subjects=[{"kind": "person", "name": "赵某某", "id_number": guesses[3]}])
    assert AuditEvent.objects.filter(action="clue_probe", actor_username="liaison_chengdong").exists()


def test_reveal_by_get_is_refused_and_export_reveals_are_audited_per_clue(demo, login, api):
    from .clue_helpers import bring_to, intake

    reporter = {"name": "王举报", "phone": "13912345678"}
    first = intake(demo, source="public_report", real_name=True, reporter=reporter, reference_no="R-1")
    second = intake(demo, source="public_report", real_name=True, reporter=reporter, reference_no="R-2")
    bring_to(first, "assigned")
    office = api("office")
    by_get = office.get(f"/api/v1/clues/{first.pk}?reveal=reporter&reason=核实身份")
    assert by_get.status_code == 422 and "13912345678" not in by_get.content.decode()
    assert not AuditEvent.objects.filter(event_type="reveal", object_id=str(first.pk)).exists()
    by_post = office.post(f"/api/v1/clues/{first.pk}/reveal", {"reason": "核实身份"}, content_type="application/json")
    assert by_post.json()["reporter"]["phone"] == "13912345678"
    login("office").post("/jobs/export/clues/", {"reason": "向上级报送举报人答复情况"})
    per_clue = AuditEvent.objects.filter(event_type="reveal", action="reporter_name", detail__contains="向上级报送")
    assert sorted(per_clue.values_list("object_id", flat=True)) == sorted([str(first.pk), str(second.pk)])


HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [
    f"/supervision/accountability/?campaign={HUGE}", f"/problems/?page={HUGE}", f"/problems/?unit={HUGE}",
    f"/problems/{HUGE}/", f"/clues/?batch={HUGE}",
])
def test_huge_integers_on_pages_answer_in_chinese_never_500(login, path):
    response = login("office").get(path)
    assert response.status_code in (200, 404, 422)


@pytest.mark.parametrize("path", [
    f"/api/v1/accountability?campaign={HUGE}", f"/api/v1/accountability/summary?campaign={HUGE}",
    f"/api/v1/problems?page={HUGE}", f"/api/v1/problems?unit={HUGE}", f"/api/v1/problems/{HUGE}",
])
def test_huge_integers_in_the_api_answer_422_json(api, path):
    response = api("office").get(path)
    assert response.status_code in (200, 404, 422) and response.json()  # JSON, never a 500 page
