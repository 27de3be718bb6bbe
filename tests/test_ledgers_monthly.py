"""按月填报: a monthly ledger (农村低保) is filled by every unit of its kinds each month — by adding or editing rows, or
by a 零报告 — the 工作台 tells a unit that has not, and the office sees who filled which month."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qicha.core.models import AuditEvent
from qicha.core.scope import has_permission
from qicha.ledgers import queries
from qicha.ledgers.models import LedgerMonthFiling

from .ledger_helpers import add_row, definition
from .test_ledgers_pages import xlsx

MONTH = timezone.localdate().month


def todo_card(html: str) -> str:
    start = html.find('data-testid="todo-ledgers_unfiled"')
    return "" if start < 0 else html[start:start + 1500]


def test_the_todo_goes_once_the_unit_fills_or_declares_nothing_new(login, user, unit):
    chengxi, chengdong = login("liaison_chengxi"), login("liaison_chengdong")
    card = todo_card(chengxi.get("/").content.decode())
    assert f"本月（{MONTH}月）待填报的台账" in card and "农村低保专项治理台账" in card and f"{MONTH}月未填报" in card
    # A ledger filled as things happen (社会组织) is no monthly duty.
    assert "社会组织乱象整治台账" not in card

    add_row(user("liaison_chengxi"), "dibao", unit("城西区民政局"))
    # The 低保 duty is done; the district's monthly 矛盾纠纷 ledger is still due.
    assert "农村低保专项治理台账" not in todo_card(chengxi.get("/").content.decode())
    assert "矛盾纠纷排查化解台账" in todo_card(chengxi.get("/").content.decode())

    # 城东 has nothing new this month: it says so once, and the to-do goes.
    page = chengdong.get("/ledgers/dibao/").content.decode()
    assert 'data-testid="nil-report"' in page and f"{MONTH}月无新增（零报告）" in page
    response = chengdong.post("/ledgers/dibao/nil-report/", {"unit": unit("城东区民政局").pk}, follow=True)
    assert f"已报城东区民政局{MONTH}月农村低保专项治理台账：本月无新增。" in response.content.decode()
    assert "农村低保专项治理台账" not in todo_card(chengdong.get("/").content.decode())
    assert AuditEvent.objects.filter(action="ledger_nil_report", actor_username="liaison_chengdong").count() == 1
    again = chengdong.post("/ledgers/dibao/nil-report/", {"unit": unit("城东区民政局").pk}, follow=True)
    assert "已作零报告，无需再作零报告" in again.content.decode()
    # Another district's unit is not the liaison's to declare for.
    assert chengdong.post("/ledgers/dibao/nil-report/", {"unit": unit("城西区民政局").pk}).status_code == 404
    # A row added after the 零报告 makes the month a filled one.
    add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"), head_name="后来发现的户主")
    filing = LedgerMonthFiling.objects.get(unit=unit("城东区民政局"))
    assert (filing.nil, filing.added) == (False, 1)


def test_the_office_sees_who_filled_which_month(login, user, unit):
    office = login("office")
    expected = queries.filling_units(user("office"), definition("dibao")).count()
    add_row(user("liaison_chengxi"), "dibao", unit("城西区民政局"))
    # An import of two rows fills the month for the units it names.
    template = login("liaison_chengdong").get("/ledgers/dibao/template/")
    assert template.status_code == 200
    header = ["填报单位", "户主姓名", "户主身份证号", "所在村（社区）", "问题类型", "发现方式", "发现日期", "问题情况", "处理措施",
              "追回金额（元）", "责任追究情况", "责任单位", "是否整改到位"]
    rows = [["城东区民政局", name, number, "北村", "错保", "排查", "2026-03-01", "", "停保", "", "", "", "否"]
            for name, number in (("王五", "11010519491231002X"), ("孙七", "33010219800101123X"))]
    assert login("liaison_chengdong").post("/ledgers/dibao/import/", {"file": xlsx([header, *rows])}).status_code == 302
    assert LedgerMonthFiling.objects.get(unit=unit("城东区民政局")).added == 2

    page = office.get("/ledgers/dibao/months/").content.decode()
    assert 'data-testid="month-table"' in page and "打印" in page
    this_month = timezone.localdate().strftime("%Y-%m")
    assert 'data-unit="城西区民政局"' in page
    chengxi = page[page.find('data-unit="城西区民政局"'):]
    assert f'data-month="{this_month}" data-filled="1"><span class="badge bg-green-lt px-1">新增 1 条' in chengxi
    chengdong = page[page.find('data-unit="城东区民政局"'):]
    assert f'data-month="{this_month}" data-filled="1"><span class="badge bg-green-lt px-1">新增 2 条' in chengdong
    assert "本月未填" in page and f"2 / {expected}" in page
    # The reporting page links it, with this month's count.
    reporting = office.get("/reporting/").content.decode()
    assert 'data-testid="monthly-duties"' in reporting and 'href="/ledgers/dibao/months/"' in reporting
    assert f"本月（{MONTH}月）2 / {expected} 个单位已填报" in reporting
    # A ledger not filled monthly has no such table; a district sees its own units only.
    assert office.get("/ledgers/social_org/months/").status_code == 404
    district = login("liaison_chengxi").get("/ledgers/dibao/months/").content.decode()
    assert 'data-unit="城西区民政局"' in district and 'data-unit="城东区民政局"' not in district


def test_the_todo_costs_one_query(user):
    liaison = user("liaison_chengxi")
    assert has_permission(liaison, "ledger.edit")  # the request's user has its roles read already
    with CaptureQueriesContext(connection) as queries_run:
        figures = queries.unfiled_for_unit(liaison, timezone.localdate())
    assert len(queries_run) == 1 and [d.key for d in figures] == ["dibao", "village_disputes"]


def test_the_api_takes_a_nil_report_once_in_scope(api, unit):
    client = api("liaison_chengdong")
    response = client.post("/api/v1/ledgers/dibao/nil-reports", {"unit": unit("城东区民政局").pk},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["month"] == timezone.localdate().strftime("%Y-%m")
    again = client.post("/api/v1/ledgers/dibao/nil-reports", {"unit": unit("城东区民政局").pk},
                        content_type="application/json")
    assert again.status_code == 422 and "无需再作零报告" in again.json()["message"]
    other = client.post("/api/v1/ledgers/dibao/nil-reports", {"unit": unit("城西区民政局").pk},
                        content_type="application/json")
    assert other.status_code == 404
    event_ledger = client.post("/api/v1/ledgers/social_org/nil-reports", {"unit": unit("城东区民政局").pk},
                               content_type="application/json")
    assert event_ledger.status_code == 422 and "不是按月填报" in event_ledger.json()["message"]


@pytest.mark.postgresql  # SQLite runs one writing transaction at a time (IMMEDIATE): the race exists on PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_two_nil_reports_for_the_same_month_at_once_file_one_and_tell_the_other():
    """Two liaisons (or a double click through two workers) declare 零报告 for the same unit and month at the same
    moment: one files it, the other is told it was just filed — never a server error, never two filings."""
    import threading

    from django.db import connections

    from qicha.core.errors import DomainError
    from qicha.core.registry import PROBLEMS, load_demo_data
    from qicha.ledgers.services import declare_nil
    from qicha.orgs.models import Unit, User

    from .conftest import DEMO_PASSWORD

    load_demo_data(DEMO_PASSWORD, through=PROBLEMS)
    actor, target, dibao = User.objects.get(username="liaison_chengdong"), Unit.objects.get(name="城东区民政局"), definition("dibao")
    barrier, outcomes = threading.Barrier(2), []

    def declare():
        try:
            barrier.wait(timeout=30)
            declare_nil(actor, dibao, target)
            outcomes.append("filed")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=declare) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Either thread may append first: the one told may wake on the other's commit before that one returns.
    assert len(outcomes) == 2, outcomes
    filed, told = sorted(outcomes, key=lambda o: o != "filed")
    assert filed == "filed"
    assert "零报告" in told or "刚刚已由他人" in told
    assert LedgerMonthFiling.objects.filter(definition=dibao, unit=target, nil=True).count() == 1
