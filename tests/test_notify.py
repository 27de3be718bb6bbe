"""消息通知 (R-NTF-2): daily digests of overdue problems, delivery (in-app, e-mail, webhook), the inbox and its badge."""

import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.notify.services import notify_users
from qicha.orgs import services as org_services
from qicha.orgs.models import Role, Unit, User
from qicha.problems.reminders import send_overdue_digests

from .problem_helpers import register

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """Every test runs on 2026-11-26, 09:30 Beijing time (demo data included), the clock ticking on from there."""
    time_machine.move_to(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    return time_machine


def leader_of(unit_name: str) -> User:
    """The unit's 单位领导 (the demo has some); else one created and granted the way administrators do it."""
    unit = Unit.objects.get(name=unit_name)
    existing = User.objects.filter(unit=unit, roles__code="unit_leader").first()
    if existing is not None:
        return existing
    sysadmin, secadmin = User.objects.get(username="sysadmin"), User.objects.get(username="secadmin")
    leader, _ = org_services.create_user(sysadmin, username=f"test_leader_{unit.pk}", full_name=f"{unit_name[:2]}领导",
                                         unit=unit)
    return org_services.assign_roles(secadmin, leader, [Role.objects.get(code="unit_leader")], version=leader.version)


def digests(today=TODAY) -> dict[str, Notification]:
    rows = Notification.objects.filter(kind="overdue_digest", dedupe_key=f"overdue_digest:{today.isoformat()}")
    return {n.user.username: n for n in rows.select_related("user")}


@pytest.fixture
def overdue_world(demo):
    """城东: one overdue problem owned by 钱承办, one due tomorrow owned by 城东联络员; 城西: an overdue one with no owner.
    The demo data adds 南山's overdue feedback problem (no owner). Leaders: 城东, 城西 and the 市局."""
    leaders = {f"leader_{key}": leader_of(name)
               for key, name in [("chengdong", "城东区民政局"), ("chengxi", "城西区民政局"), ("city", "市民政局")]}
    overdue = register(demo, unit_name="城东区民政局社会救助股", person="handler", days=-2, description="低保入户核查记录缺失")
    tomorrow = register(demo, person="liaison_chengdong", days=1, description="明日到期的问题")
    ownerless = register(demo, unit_name="城西区民政局", by="liaison_chengxi", days=-1, description="城西无人负责的逾期问题")
    return {"overdue": overdue, "tomorrow": tomorrow, "ownerless": ownerless, **leaders}


def test_digest_reaches_owners_of_overdue_problems_and_their_nearest_leaders(overdue_world):
    sent = send_overdue_digests(TODAY)
    got = digests()
    lead = {key: overdue_world[key].username for key in ("leader_chengdong", "leader_chengxi", "leader_city")}
    # 南山 has no leader of its own: its overdue problem goes up to the 市局 leader; 城东's and 城西's stay with theirs.
    assert set(got) == {"handler", "liaison_chengxi", "liaison_nanshan", *lead.values()}
    assert sent == 6
    assert "liaison_chengdong" not in got  # their problem is due tomorrow, not overdue

    mine = got["handler"]
    assert mine.title == "逾期提醒：您负责的 1 个问题已超过整改时限"
    assert mine.link == "/problems/?overdue=1&mine=1"
    assert [i["link"] for i in mine.items] == [f"/problems/{overdue_world['overdue'].pk}/"]
    assert "低保入户核查记录缺失" in mine.items[0]["text"] and "已逾期 2 天" in mine.items[0]["text"]

    assert [i["link"] for i in got[lead["leader_chengdong"]].items] == [f"/problems/{overdue_world['overdue'].pk}/"]
    assert got[lead["leader_chengdong"]].link == "/problems/?overdue=1"
    ownerless = f"/problems/{overdue_world['ownerless'].pk}/"
    assert [i["link"] for i in got["liaison_chengxi"].items] == [ownerless]
    assert "未落实责任人" in got["liaison_chengxi"].items[0]["text"]
    assert [i["link"] for i in got[lead["leader_chengxi"]].items] == [ownerless]
    assert got[lead["leader_city"]].items and all("南山" in i["text"] for i in got[lead["leader_city"]].items)


def test_digest_lists_the_most_overdue_first_and_counts_them_all(demo):
    for days in range(1, 14):
        register(demo, person="handler", days=-days, description=f"逾期{days}天的问题")
    send_overdue_digests(TODAY)
    digest = digests()["handler"]
    assert digest.title == "逾期提醒：您负责的 13 个问题已超过整改时限"
    assert len(digest.items) == 10
    assert "逾期13天的问题" in digest.items[0]["text"] and "逾期4天的问题" in digest.items[-1]["text"]
    assert "以下列出逾期最久的 10 个" in digest.body


def test_closed_and_submitted_problems_and_inactive_people(overdue_world):
    sysadmin = User.objects.get(username="sysadmin")
    leader = overdue_world["leader_chengdong"]
    org_services.set_user_active(sysadmin, leader, active=False, version=User.objects.get(pk=leader.pk).version)
    send_overdue_digests(TODAY)
    assert leader.username not in digests()  # a disabled account gets nothing
    assert "handler" in digests()


def test_rerun_the_same_day_sends_nothing_new_and_the_next_day_reminds_again(overdue_world, frozen):
    first = send_overdue_digests(TODAY)
    total = Notification.objects.count()
    assert send_overdue_digests(TODAY) == 0
    assert Notification.objects.count() == total

    frozen.move_to(datetime(2026, 11, 27, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    tomorrow = TODAY + timedelta(days=1)
    again = send_overdue_digests(tomorrow)
    got = digests(tomorrow)
    assert "已逾期 3 天" in got["handler"].items[0]["text"]
    # Due 11-27 is not overdue on 11-27 either: the deadline day itself is still in time.
    assert "liaison_chengdong" not in got
    assert again == first


def test_email_goes_out_when_enabled_and_the_person_has_an_address(overdue_world, settings):
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = "https://qicha.example.gov.cn"
    User.objects.filter(username="handler").update(email="qian@example.gov.cn")  # no address for the others
    send_overdue_digests(TODAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["qian@example.gov.cn"]
    assert message.subject == "【七查七摆】逾期提醒：您负责的 1 个问题已超过整改时限"
    assert f"https://qicha.example.gov.cn/problems/{overdue_world['overdue'].pk}/" in message.body
    assert "低保入户核查记录缺失" in message.body


def test_no_email_when_not_configured(overdue_world, settings):
    settings.EMAIL_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(username="handler").update(email="qian@example.gov.cn")
    assert send_overdue_digests(TODAY) == 6
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_stop_in_app_delivery(demo, settings, caplog):
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on port 9
    User.objects.filter(username="handler").update(email="qian@example.gov.cn")
    assert notify_users([User.objects.get(username="handler")], kind="test", title="测试消息") == 1
    assert Notification.objects.filter(user__username="handler", title="测试消息").exists()
    assert "e-mail notification" in caplog.text


def test_notify_users_delivers_once_per_occasion_to_active_people(demo):
    handler, office = User.objects.get(username="handler"), User.objects.get(username="office")
    assert notify_users([handler, office, handler], kind="test", title="报送提醒", dedupe_key="report:2026-11") == 2
    assert notify_users([handler, office], kind="test", title="报送提醒", dedupe_key="report:2026-11") == 0
    assert notify_users([handler], kind="test", title="无去重键的消息") == 1
    assert notify_users([handler], kind="test", title="无去重键的消息") == 1  # without a key, each call delivers
    assert Notification.objects.filter(user=handler).count() == 3


class _Bot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        _Bot.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


def test_webhook_posts_each_delivery_to_the_intranet_bot(demo, settings):
    server = HTTPServer(("127.0.0.1", 0), _Bot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Bot.received = []
    try:
        settings.WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/robot/send"
        handler = User.objects.get(username="handler")
        notify_users([handler], kind="report_due", title="月度报送将于 3 日后截止", body="请按时报送。",
                     link="/reporting/", dedupe_key="report-due:test")
        notify_users([handler], kind="report_due", title="月度报送将于 3 日后截止", dedupe_key="report-due:test")
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Bot.received) == 1  # the rerun delivered nothing, so nothing is posted
    payload = _Bot.received[0]
    assert payload == {"msgtype": "text", "text": {
        "content": "【七查七摆】月度报送将于 3 日后截止\n详情：/reporting/\n接收人：钱承办"}}


def test_a_bot_that_is_down_does_not_stop_delivery(demo, settings, caplog):
    settings.WEBHOOK_URL = "http://127.0.0.1:9/robot/send"
    assert notify_users([User.objects.get(username="handler")], kind="test", title="测试消息") == 1
    assert "webhook notification" in caplog.text


def test_inbox_lists_only_my_notifications_newest_first_unread_highlighted(overdue_world, login, frozen):
    send_overdue_digests(TODAY)
    frozen.shift(timedelta(minutes=5))
    notify_users([User.objects.get(username="handler")], kind="test", title="较新的消息")
    page = login("handler").get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="notification"') == 2
    assert html.index("较新的消息") < html.index("您负责的 1 个问题")
    assert html.count('data-read="0"') == 2 and "notification-unread" in html
    assert "城西无人负责的逾期问题" not in html  # 城西's digest is theirs
    assert 'data-testid="inbox-unread-total">2<' in html


def test_another_users_notification_is_404_and_stays_unread(overdue_world, login):
    send_overdue_digests(TODAY)
    theirs = digests()["liaison_chengxi"]
    client = login("handler")
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 405  # opening is a POST (CSRF-protected)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_an_item_marks_read_and_goes_to_the_problem(overdue_world, login):
    send_overdue_digests(TODAY)
    mine = digests()["handler"]
    client = login("handler")
    response = client.post(f"/notifications/{mine.pk}/open/", {"item": "0"})
    assert response.status_code == 302 and response["Location"] == f"/problems/{overdue_world['overdue'].pk}/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert client.get(response["Location"]).status_code == 200  # the owner can open the problem
    # The title leads to the ledger filtered to my overdue problems; an unknown item index falls back to it.
    assert client.post(f"/notifications/{mine.pk}/open/", {"item": "99"})["Location"] == "/problems/?overdue=1&mine=1"
    html = client.get("/notifications/").content.decode()
    assert 'data-read="1"' in html and 'data-testid="mark-read"' not in html


def test_mark_one_read_and_all_read(demo, login):
    handler = User.objects.get(username="handler")
    for n in range(3):
        notify_users([handler], kind="test", title=f"消息{n}")
    client = login("handler")
    first = Notification.objects.get(user=handler, title="消息0")
    assert client.post(f"/notifications/{first.pk}/read/")["Location"] == "/notifications/"
    assert Notification.objects.filter(user=handler, read_at__isnull=True).count() == 2
    unread_page = client.get("/notifications/?unread=1").content.decode()
    assert "消息0" not in unread_page and "消息1" in unread_page
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=handler, read_at__isnull=True).exists()
    assert "没有未读消息" in client.get("/notifications/?unread=1").content.decode()


def test_unread_badge_on_every_page(demo, login):
    handler = User.objects.get(username="handler")
    client = login("handler")
    html = client.get("/").content.decode()
    assert 'data-testid="notify-bell"' in html and 'data-testid="notify-badge"' not in html
    for n in range(4):
        notify_users([handler], kind="test", title=f"消息{n}")
    notify_users([User.objects.get(username="office")], kind="test", title="别人的消息")
    html = client.get("/problems/").content.decode()
    assert 'data-testid="notify-badge">4<' in html and 'data-testid="nav-unread" title="未读消息">4<' in html
    client.post("/notifications/read-all/")
    html = client.get("/").content.decode()
    assert 'data-testid="notify-badge"' not in html and 'data-testid="nav-unread"' not in html


def test_inbox_is_paginated(demo, login):
    handler = User.objects.get(username="handler")
    for n in range(25):
        notify_users([handler], kind="test", title=f"第{n:02d}条消息")
    client = login("handler")
    first = client.get("/notifications/").content.decode()
    assert first.count('data-testid="notification"') == 20 and "第24条消息" in first and "共 25 条" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5 and "第00条消息" in second


def test_inbox_needs_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_management_command_sends_the_days_reminders_once(overdue_world, capsys):
    call_command("send_reminders", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "2026-11-26：逾期问题提醒 6 条" in out
    assert set(digests()) >= {"handler", overdue_world["leader_chengdong"].username}
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert "逾期问题提醒 0 条" in capsys.readouterr().out
    runs = AuditEvent.objects.filter(action="send_reminders").order_by("seq")
    assert [e.after["overdue_digests"] for e in runs] == [6, 0]  # each run is on the audit log
    assert runs[0].actor_username == "system"


def test_management_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2026-13-01")


def test_daily_task_runs_at_the_reminder_hour(settings):
    from huey.contrib.djhuey import HUEY

    import qicha.notify.tasks  # noqa: F401 (djhuey's consumer discovers it the same way)

    def due(hour, minute):
        return {task.name for task in HUEY.read_periodic(datetime(2026, 11, 26, hour, minute))}

    hour = settings.REMINDER_HOUR
    assert "daily_reminders" in due(hour, 0)
    assert "daily_reminders" not in due(hour, 30) | due((hour + 1) % 24, 0)


def test_local_date_decides_the_day(overdue_world, frozen):
    # 00:30 Beijing time is still the previous day in UTC: the digest belongs to the Beijing date.
    frozen.move_to(datetime(2026, 11, 27, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert timezone.localdate() == date(2026, 11, 27)
    call_command("send_reminders")
    assert "handler" in digests(date(2026, 11, 27))
