"""统计看板 (/dashboard/, GET /api/v1/dashboard): each panel's figures against a hand-counted district, every figure's
drill-down list holding exactly that many rows, the data scope, the Excel export and the leader's 工作台 card."""

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.utils import timezone

from qicha.core.scope import DataScope
from qicha.orgs import services as org_services
from qicha.orgs.models import Unit

from .clue_helpers import bring_to as clue_to
from .clue_helpers import intake
from .problem_helpers import bring_to, register
from .test_workbench import busy  # noqa: F401  (the fixture: something in every list)

BEIHU = "北湖县民政局"
RESCUE, GRASSROOTS = f"{BEIHU}社会救助股", f"{BEIHU}基层政权股"


@pytest.fixture
def beihu(demo, unit):
    """北湖县 (no demo data there), counted by hand:
    救助股: item 1 closed; item 2 open and 3 days overdue; item 2 in progress and 2 days overdue (限期整改).
    基层政权股: item 1 open (due in 10 days); item 3 voided.
    北湖县民政局 itself: item 1 open, 1 day overdue.
    Clues: 救助股 one received 100 days ago (overdue), one verified 属实 and real-name with no reply yet;
           基层政权股 one closed 不属实 (real-name, answered)."""
    item = {n: demo.check_items.get(ordinal=n) for n in (1, 2, 3)}
    by = "liaison_beihu"
    bring_to(register(demo, unit_name=RESCUE, by=by, check_item=item[1]), "closed", worker=by)
    register(demo, unit_name=RESCUE, by=by, check_item=item[2], days=-3)
    bring_to(register(demo, unit_name=RESCUE, by=by, check_item=item[2], days=-2, rectification_type="deadline",
                      milestones=[{"title": "排查", "due_date": timezone.localdate() - timedelta(days=5)}]),
             "in_progress", worker=by)
    register(demo, unit_name=GRASSROOTS, by=by, check_item=item[1], days=10)
    bring_to(register(demo, unit_name=GRASSROOTS, by=by, check_item=item[3]), "voided", worker=by)
    register(demo, unit_name=BEIHU, by=by, check_item=item[1], days=-1)
    clue_to(intake(demo, days_ago=100), "assigned", unit_name=RESCUE, worker=by)
    clue_to(intake(demo, days_ago=5, real_name=True, reporter={"name": "张三", "phone": "13800000000"}),
            "verified", unit_name=RESCUE, worker=by, result="true")
    clue_to(intake(demo, days_ago=5, real_name=True, reporter={"name": "李四", "phone": "13900000000"}),
            "closed", unit_name=GRASSROOTS, worker=by, result="untrue")
    return unit(BEIHU)


def panels_of(client, **params) -> dict:
    response = client.get("/api/v1/dashboard", params)
    assert response.status_code == 200, response.content
    return {panel["key"]: panel for panel in response.json()["panels"]}


def table(panel) -> dict:
    return {row["label"]: [cell["value"] for cell in row["cells"]] for row in panel["rows"]}


def test_each_panel_counts_the_district_by_hand(api, beihu):
    panels = panels_of(api("leader"), unit=beihu.pk)
    by_item = table(panels["problems_by_item"])
    assert [v for k, v in by_item.items() if k.startswith("（一）")] == [[3, 1, 1]]  # found (voided included), closed, overdue
    assert [v for k, v in by_item.items() if k.startswith("（二）")] == [[2, 0, 2]]
    assert [v for k, v in by_item.items() if k.startswith("（三）")] == [[1, 0, 0]]
    by_unit = table(panels["problems_by_unit"])
    assert by_unit == {f"{BEIHU}办公室": [0, 0, 0], RESCUE: [3, 1, 2], GRASSROOTS: [2, 0, 0]}
    heat = table(panels["coverage_heatmap"])
    assert heat[RESCUE][:3] == [1, 2, 0] and heat[GRASSROOTS][:3] == [1, 0, 1]
    assert table(panels["rectification_types"]) == {"立即整改": [5], "限期整改": [1], "长期整改": [0]}
    clues = panels["clue_progress"]["rows"][0]["cells"]
    assert [c["value"] for c in clues] == [3, 2, 1, 1, 0, 1, 50.0]  # received, verified, open, overdue, 提级, 待答复, 率
    assert table(panels["clue_results"])["属实"] == [1] and table(panels["clue_results"])["不属实"] == [1]
    league = {row["label"]: row for row in panels["league_table"]["rows"]}
    rescue = league[RESCUE]
    assert [c["value"] for c in rescue["cells"]][:2] == [2, 1] and rescue["cells"][3]["value"] == 1
    assert rescue["cells"][4]["value"] == 0.0 and rescue["light"] == "red"  # reply rate 0 % < 80 %
    assert league[GRASSROOTS]["light"] == "green" and league[GRASSROOTS]["cells"][4]["value"] == 100.0
    assert league[f"{BEIHU}办公室"]["light"] == "green"
    assert panels["league_table"]["rows"][0]["label"] == RESCUE  # red first
    assert "红灯" in panels["league_table"]["note"] and "绿灯" in panels["league_table"]["note"]
    trend = panels["closure_trend"]["rows"][-1]["cells"]
    assert [trend[0]["value"], trend[1]["value"], trend[2]["value"]] == [5, 1, 20.0]  # voided left out of a rate


def api_count(client, url: str) -> int:
    response = client.get(f"{url}&page_size=1")
    assert response.status_code == 200, (url, response.content)
    return response.json()["count"]


def test_every_figure_opens_a_list_of_exactly_that_many_rows(api, login, busy, beihu, unit):  # noqa: F811
    client, page = api("leader"), login("leader")
    walked = 0
    for params in ({}, {"unit": unit("城东区民政局").pk}, {"unit": beihu.pk}):
        for panel in panels_of(client, **params).values():
            for row in panel["rows"]:
                for cell in row["cells"]:
                    if cell["url"] is None:
                        continue
                    assert cell["api_url"], cell
                    assert api_count(client, cell["api_url"]) == cell["value"], (panel["key"], row["label"], cell)
                    # The page the figure links to is the same list, with the same filters.
                    assert urlsplit(cell["url"]).query == urlsplit(cell["api_url"]).query
                    walked += 1
    assert walked > 150
    # The pages open (a sample: one of each ledger).
    for path in ("/problems/?overdue=1", "/clues/?stage=open", "/cases/?status=open", "/supervision/accountability/?form=talk"):
        assert page.get(path).status_code == 200


def test_the_page_links_every_figure_and_writes_the_colouring_rule(login, beihu):
    response = login("leader").get("/dashboard/", {"unit": beihu.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="cockpit-data" type="application/json"' in html and "vendor/echarts/echarts.min.js" in html
    links = [urlsplit(href.replace("&amp;", "&")) for href in re.findall(r'<a href="([^"]+)" class="cockpit-figure"', html)]
    assert len(links) > 40
    assert all(parse_qs(link.query).get("unit") for link in links)  # every figure stays within the chosen district
    assert {parse_qs(link.query)["unit"][0] for link in links} <= {str(beihu.pk)} | {
        str(pk) for pk in Unit.objects.filter(path__startswith=beihu.path).values_list("pk", flat=True)}
    assert "红灯：逾期未销号问题或超期未核查线索" in html
    screen = login("leader").get("/dashboard/", {"unit": beihu.pk, "screen": "1"})
    assert screen.status_code == 200 and 'http-equiv="refresh"' in screen.content.decode()


def test_a_district_with_the_dashboard_permission_sees_only_its_subtree(api, login, beihu, user, unit):
    secadmin = user("secadmin")
    role = org_services.create_role(secadmin, code="district_cockpit", name="区县看板", scope=DataScope.SUBTREE,
                                    perms=["campaign.view", "dashboard.view", "problem.view", "clue.view"])
    liaison = user("liaison_beihu")
    org_services.assign_roles(secadmin, liaison, [*liaison.roles.all(), role], version=liaison.version)
    panels = panels_of(api("liaison_beihu"))
    assert set(table(panels["problems_by_unit"])) == {f"{BEIHU}办公室", RESCUE, GRASSROOTS}
    assert sum(row[0] for row in table(panels["problems_by_unit"]).values()) == 5
    assert api("liaison_beihu").get("/api/v1/dashboard", {"unit": unit("城东区民政局").pk}).status_code == 404
    assert login("liaison_beihu").get("/dashboard/", {"unit": unit("城东区民政局").pk}).status_code == 404
    # Without the permission there is nothing there.
    assert login("liaison_chengdong").get("/dashboard/").status_code == 404
    assert api("liaison_chengdong").get("/api/v1/dashboard").status_code == 404
    assert login("handler").get("/dashboard/export/").status_code == 404


def test_the_export_has_one_sheet_per_panel(login, beihu):
    response = login("leader").get("/dashboard/export/", {"unit": beihu.pk})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "红黄绿灯排名" in book.sheetnames and "线索清仓见底" in book.sheetnames
    league = book["红黄绿灯排名"]
    values = [list(row) for row in league.iter_rows(values_only=True)]
    assert values[2][:3] == ["项目", "灯色", "逾期未销号问题"]
    assert values[3][0] == RESCUE and values[3][1] == "红灯" and values[3][2] == 2
    assert any(str(row[0]).startswith("说明：红灯") for row in values)


def test_the_leaders_workbench_has_the_compact_cockpit(login, beihu):
    leader = login("leader")
    html = leader.get("/").content.decode()
    assert 'data-testid="workbench-cockpit"' in html and 'hx-get="/dashboard/card/"' in html
    card = leader.get("/dashboard/card/").content.decode()  # what the page loads into it
    assert 'href="/dashboard/"' in card and "红灯" in card and "逾期未销号问题" in card
    assert f">{BEIHU}<" in card or "北湖县民政局" in card
    liaison = login("liaison_chengdong")
    assert 'data-testid="workbench-cockpit"' not in liaison.get("/").content.decode()
    assert liaison.get("/dashboard/card/").status_code == 404
