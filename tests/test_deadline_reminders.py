"""Reminders before deadlines (R-NTF-2): problems and clues due soon on the lead days, overdue clues every day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from qicha.clues.reminders import send_clue_due_soon_digests, send_clue_overdue_digests
from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.orgs import services as org_services
from qicha.orgs.models import Role, User
from qicha.problems.reminders import send_due_soon_digests

from . import clue_helpers, problem_helpers
from .test_notify import leader_of

TODAY = date(2026, 11, 26)  # default lead days 7, 3, 1 and the day itself: 12-03, 11-29, 11-27, 11-26


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    return time_machine


def received(kind: str, today=TODAY) -> dict[str, Notification]:
    rows = Notification.objects.filter(kind=kind, dedupe_key=f"{kind}:{today.isoformat()}").select_related("user")
    return {n.user.username: n for n in rows}


def links(notification: Notification) -> list[str]:
    return [item["link"] for item in notification.items]


# --- problems due soon -------------------------------------------------------------------------------------------

@pytest.fixture
def due_world(demo):
    """钱承办 owns problems due in 1 and 7 days (and one in 5, not a lead day); 城西 has an ownerless one due in 3;
    城东联络员 owns one due today; one due tomorrow is already closed. 城东 and 城西 have leaders."""
    leaders = [leader_of("城东区民政局"), leader_of("城西区民政局")]
    reg = problem_helpers.register
    world = {
        "in7": reg(demo, unit_name="城东区民政局社会救助股", person="handler", days=7, description="七天后到期的问题"),
        "in1": reg(demo, unit_name="城东区民政局社会救助股", person="handler", days=1, description="明天到期的问题"),
        "in5": reg(demo, unit_name="城东区民政局社会救助股", person="handler", days=5, description="五天后到期的问题"),
        "in3": reg(demo, unit_name="城西区民政局", by="liaison_chengxi", days=3, description="城西无人负责的问题"),
        "today": reg(demo, person="liaison_chengdong", days=0, description="今天到期的问题"),
    }
    closed = reg(demo, unit_name="城东区民政局社会救助股", person="handler", days=1, description="已销号的问题")
    world["closed"] = problem_helpers.bring_to(closed, "closed")
    return world | {"leaders": leaders}


def test_due_soon_digest_reaches_owners_and_the_liaisons_of_ownerless_problems(due_world):
    sent = send_due_soon_digests(TODAY)
    got = received("due_soon_digest")
    assert set(got) == {"handler", "liaison_chengxi", "liaison_chengdong"}  # no leader: nothing is late yet
    assert sent == 3

    mine = got["handler"]
    assert mine.title == "到期提醒：您负责的 2 个问题即将到期"
    # Soonest first; the one due in 5 days (not a lead day) and the closed one are not listed.
    assert links(mine) == [f"/problems/{due_world['in1'].pk}/", f"/problems/{due_world['in7'].pk}/"]
    assert "明天到期的问题" in mine.items[0]["text"] and "还剩 1 天" in mine.items[0]["text"]
    assert "还剩 7 天" in mine.items[1]["text"]
    assert mine.link == "/problems/?due_within_days=7&mine=1"

    assert got["liaison_chengxi"].title == "到期提醒：1 个问题即将到期"
    assert links(got["liaison_chengxi"]) == [f"/problems/{due_world['in3'].pk}/"]
    assert "未落实责任人" in got["liaison_chengxi"].items[0]["text"]
    assert "还剩 3 天" in got["liaison_chengxi"].items[0]["text"]
    assert "今天到期" in got["liaison_chengdong"].items[0]["text"]


def test_reminded_only_on_the_lead_days_not_every_day(demo):
    problem = problem_helpers.register(demo, person="liaison_chengdong", days=7, description="一周后到期")
    reminded = []
    for offset in range(9):
        day = TODAY + timedelta(days=offset)
        send_due_soon_digests(day)
        digest = received("due_soon_digest", day).get("liaison_chengdong")
        if digest is not None and f"/problems/{problem.pk}/" in links(digest):
            reminded.append((problem.deadline - day).days)
    assert reminded == [7, 3, 1, 0]  # on the 8th day it is overdue: the overdue digest takes over


def test_the_lead_days_follow_the_setting(demo, settings):
    settings.DEADLINE_REMINDER_DAYS_BEFORE = [5]
    problem_helpers.register(demo, person="liaison_chengdong", days=7, description="一周后到期")
    five = problem_helpers.register(demo, person="liaison_chengdong", days=5, description="五天后到期")
    send_due_soon_digests(TODAY)
    assert [i["text"] for i in received("due_soon_digest")["liaison_chengdong"].items] == [
        f"P{five.pk:06d}｜城东区民政局｜五天后到期（责任人：城东联络员；整改时限 2026-12-01，还剩 5 天）"]


def test_a_problem_awaiting_sign_off_is_not_pressed_on_its_owner(demo):
    waiting = problem_helpers.register(demo, person="liaison_chengdong", days=3, description="已申请销号的问题")
    problem_helpers.bring_to(waiting, "submitted")
    assert send_due_soon_digests(TODAY) == 0
    # Once late it is still listed (the leader should know), marked as waiting on the review.
    from qicha.problems.reminders import send_overdue_digests

    send_overdue_digests(TODAY + timedelta(days=4))
    digest = received("overdue_digest", TODAY + timedelta(days=4))["liaison_chengdong"]
    assert "已申请销号，待审核" in digest.items[0]["text"]


def test_nothing_on_a_day_without_a_lead_deadline(demo):
    for days in (2, 4, 5, 6, 8):
        problem_helpers.register(demo, person="handler", days=days, description=f"{days}天后到期")
    assert send_due_soon_digests(TODAY) == 0
    assert not Notification.objects.filter(kind="due_soon_digest").exists()


def test_rerun_the_same_day_sends_nothing_new(due_world):
    assert send_due_soon_digests(TODAY) == 3
    total = Notification.objects.count()
    assert send_due_soon_digests(TODAY) == 0
    assert Notification.objects.count() == total


# --- clues ------------------------------------------------------------------------------------------------------

REPORTER_NAME, REPORTER_PHONE = "刘明", "13800138000"


def clue(demo, *, due_in: int, unit_name: str, content: str, handler=None, status="verifying", **extra):
    """A central-group clue (30 calendar days to verify) due `due_in` days from today, assigned and under way."""
    item = clue_helpers.intake(demo, days_ago=30 - due_in, content=content, **extra)
    worker = handler or ("liaison_chengdong" if unit_name.startswith("城东") else "liaison_chengxi")
    item = clue_helpers.bring_to(item, status, unit_name=unit_name, worker=worker, handler=handler)
    assert (item.due_date - TODAY).days == due_in
    return item


@pytest.fixture
def clue_world(demo):
    """Due soon: 钱承办's clue in 7 days, an unhandled 城西 clue in 3. Overdue: 钱承办's real-name clue by 2 days, an
    unhandled 城东 clue by 4. Not reminded: one due in 5 days, one overdue but already verified."""
    leaders = {"chengdong": leader_of("城东区民政局").username, "chengxi": leader_of("城西区民政局").username}
    world = {
        "soon_handler": clue(demo, due_in=7, unit_name="城东区民政局", handler="handler", reference_no="ZY9-001",
                             content="反映甲村低保评议走过场"),
        "soon_liaison": clue(demo, due_in=3, unit_name="城西区民政局", reference_no="ZY9-002",
                             content="反映乙社区殡葬服务乱收费", domain="funeral", status="assigned"),
        "late_handler": clue(demo, due_in=-2, unit_name="城东区民政局", handler="handler", reference_no="ZY9-003",
                             content="实名举报丙村主任优亲厚友违规办理低保", real_name=True,
                             reporter={"name": REPORTER_NAME, "phone": REPORTER_PHONE},
                             subjects=[{"kind": "person", "name": "孙某某", "id_number": clue_helpers.PERSON_ID}]),
        "late_unit": clue(demo, due_in=-4, unit_name="城东区民政局社会救助股", reference_no="ZY9-004",
                          content="反映丁街道社会组织违规收费", domain="social_org"),
        "not_lead": clue(demo, due_in=5, unit_name="城东区民政局", handler="handler", reference_no="ZY9-005",
                         content="反映戊村低保资金发放延迟"),
        "verified": clue(demo, due_in=-1, unit_name="城西区民政局", reference_no="ZY9-006",
                         content="反映己村低保公示不全", status="verified"),
    }
    return world | {"leaders": leaders}


def test_clue_due_soon_goes_to_the_handler_or_else_the_units_liaisons(clue_world, login):
    assert send_clue_due_soon_digests(TODAY) == 2
    got = received("clue_due_soon_digest")
    assert set(got) == {"handler", "liaison_chengxi"}  # leaders hear of a clue only once it is late

    mine = got["handler"]
    assert mine.title == "线索到期提醒：您承办的 1 条线索即将到期"
    assert mine.link == "/clues/?mine=1"
    assert [i["text"] for i in mine.items] == ["线索 ZY9-001｜涉及领域：低保｜办理时限 2026-12-03，还剩 7 天"]
    assert links(mine) == [f"/clues/{clue_world['soon_handler'].pk}/"]

    theirs = got["liaison_chengxi"]
    assert theirs.title == "线索到期提醒：1 条线索即将到期"
    assert [i["text"] for i in theirs.items] == ["线索 ZY9-002｜涉及领域：殡葬｜办理时限 2026-11-29，还剩 3 天"]

    assert send_clue_due_soon_digests(TODAY) == 0  # once a day

    # From the inbox, the item opens the clue, which the handler may see.
    client = login("handler")
    response = client.post(f"/notifications/{mine.pk}/open/", {"item": "0"})
    assert response["Location"] == f"/clues/{clue_world['soon_handler'].pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_overdue_clues_go_to_the_handler_or_liaisons_and_escalate_to_the_nearest_leader(clue_world):
    leaders = clue_world["leaders"]
    assert send_clue_overdue_digests(TODAY) == 3
    got = received("clue_overdue_digest")
    # 城西's only late clue is already verified: nobody there is told.
    assert set(got) == {"handler", "liaison_chengdong", leaders["chengdong"]}

    assert got["handler"].title == "线索逾期提醒：您承办的 1 条线索已超过办理时限"
    assert got["handler"].link == "/clues/?overdue=1&mine=1"
    assert [i["text"] for i in got["handler"].items] == ["线索 ZY9-003｜涉及领域：低保｜办理时限 2026-11-24，已逾期 2 天"]
    assert links(got["liaison_chengdong"]) == [f"/clues/{clue_world['late_unit'].pk}/"]
    # The leader of 城东 hears of both, most overdue first.
    leader = got[leaders["chengdong"]]
    assert leader.title == "线索逾期提醒：2 条线索已超过办理时限" and leader.link == "/clues/?overdue=1"
    assert links(leader) == [f"/clues/{clue_world[k].pk}/" for k in ("late_unit", "late_handler")]

    assert send_clue_overdue_digests(TODAY) == 0
    assert send_clue_overdue_digests(TODAY + timedelta(days=1)) == 3  # reminded again the next day


def test_a_clue_not_yet_given_to_a_unit_reminds_those_who_assign_clues(demo):
    waiting = clue_helpers.intake(demo, days_ago=27, reference_no="ZY9-010", content="尚未分办的线索")
    assert waiting.unit_id is None and (waiting.due_date - TODAY).days == 3
    assert send_clue_due_soon_digests(TODAY) >= 1
    got = received("clue_due_soon_digest")
    assert "office" in got  # the 扫黑办 must 分办 it; no unit's liaison or leader can act on it yet
    assert not {"liaison_city", "liaison_chengxi", "handler"} & set(got)
    assert [i["text"] for i in got["office"].items] == ["线索 ZY9-010｜涉及领域：低保｜办理时限 2026-11-29，还剩 3 天"]


def test_a_person_outside_the_clues_scope_hears_nothing_of_it(clue_world):
    # The security administrator narrows 单位领导 to their own unit: 城东's leader no longer sees the 股's clue.
    role = Role.objects.get(code="unit_leader")
    org_services.update_role(User.objects.get(username="secadmin"), role, version=role.version, name=role.name,
                             description=role.description, perms=role.permissions, scope="unit")
    send_clue_overdue_digests(TODAY)
    leader = received("clue_overdue_digest")[clue_world["leaders"]["chengdong"]]
    assert links(leader) == [f"/clues/{clue_world['late_handler'].pk}/"]  # 城东区民政局's own clue only
    assert leader.title == "线索逾期提醒：1 条线索已超过办理时限"

    # Without clue.view at all, the leaders hear of no clue (problems are another matter).
    role.refresh_from_db()
    org_services.update_role(User.objects.get(username="secadmin"), role, version=role.version, name=role.name,
                             description=role.description, perms=[p for p in role.permissions if p != "clue.view"],
                             scope="subtree")
    Notification.objects.all().delete()
    send_clue_overdue_digests(TODAY)
    assert set(received("clue_overdue_digest")) == {"handler", "liaison_chengdong"}


def test_clue_notifications_never_carry_the_reporter_or_the_content(clue_world, settings):
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(username="handler").update(email="qian@example.gov.cn")
    send_clue_due_soon_digests(TODAY)
    send_clue_overdue_digests(TODAY)
    rows = Notification.objects.filter(kind__startswith="clue_")
    assert rows.count() == 5
    texts = [" ".join([n.title, n.body, *(i["text"] for i in n.items)]) for n in rows]
    texts += [m.subject + m.body for m in mail.outbox]
    assert len(mail.outbox) == 2 and "ZY9-003" in mail.outbox[1].body + mail.outbox[0].body
    secrets = [REPORTER_NAME, REPORTER_PHONE, "孙某某", clue_helpers.PERSON_ID,
               *(clue_world[k].content for k in ("soon_handler", "soon_liaison", "late_handler", "late_unit")), "丙村"]
    for text in texts:
        assert not [s for s in secrets if s in text], text


# --- the daily run ----------------------------------------------------------------------------------------------

def test_the_daily_command_sends_and_counts_every_kind(due_world, clue_world, capsys):
    call_command("send_reminders", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "问题到期提醒 3 条" in out and "线索到期提醒 2 条" in out and "线索逾期提醒 3 条" in out
    run = AuditEvent.objects.filter(action="send_reminders").get()
    assert run.after["due_soon_digests"] == 3
    assert run.after["clue_due_soon_digests"] == 2 and run.after["clue_overdue_digests"] == 3
    call_command("send_reminders", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "问题到期提醒 0 条" in out and "线索到期提醒 0 条" in out and "线索逾期提醒 0 条" in out
