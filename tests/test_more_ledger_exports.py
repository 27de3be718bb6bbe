"""The last two ledger lists export to Excel like the others: the coverage page as the 自查自纠台账 (one row per unit ×
check item, exactly the units the page lists for the same filters, in the viewer's coverage scope) and the 制度成果
page as the 制度成果台账 (with only the linked problems the viewer may see); by page and by API, audited."""

import re
from datetime import datetime, timedelta

import openpyxl
from django.utils import timezone

from qicha.core.models import AuditEvent
from qicha.jobs.models import Job
from qicha.orgs import services as org_services
from qicha.orgs.models import DataScope, User
from qicha.problems import rule_exporting
from qicha.problems.models import Problem
from qicha.problems.services import record_lasting_rule

from .problem_helpers import register
from .test_ledger_exports import (
    api_export,
    assert_ledger_layout,
    data_rows,
    open_result,
    page_export,
    start_page_export,
)

TODAY = timezone.localdate()
LABELS = {"missing": "未填报", "filled": "已填报", "problems": "有问题"}


def page_cells(html: str) -> list[tuple[str, str]]:
    """(unit, state label) for every cell of the coverage matrix as the page shows it, row by row."""
    cells = []
    for chunk in html.split('<tr data-unit="')[1:]:
        name, rest = chunk.split('"', 1)
        row = rest.split("</tr>", 1)[0]
        cells += [(name, LABELS[state]) for state in re.findall(r'data-state="(\w+)"', row)]
    return cells


def refused(client, response, *messages) -> None:
    """Sent back to the coverage page, which says why and that nothing was exported."""
    assert response.status_code == 302, response.content[:300]
    page = client.get(response.url).content.decode()
    assert "未导出" in page and all(m in page for m in messages), page[:3000]


# ---------------------------------------------------------------- 自查自纠台账

def test_self_inspection_export_is_the_coverage_matrix_one_row_per_unit_and_item(login, demo):
    office = login("office")
    sheet = page_export(office, "self_inspections", f"campaign={demo.pk}")
    assert_ledger_layout(
        sheet, title="市民政局扫黑办七查七摆自查自纠台账",
        merged={"A1:J1", "A2:J2", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:J3"},
        groups=["序号", "单位", "查摆事项", "自查情况", None, None, "填报情况", None, None, None],
        headers=[None, None, None, "查摆情况", "未发现问题", "未发现问题的理由", "状态", "发现问题数", "填报人", "填报时间"])
    rows = data_rows(sheet)
    page = office.get(f"/campaigns/{demo.pk}/coverage/").content.decode()
    assert [(r[1], r[6]) for r in rows] == page_cells(page) and len(rows) == 15 * 7
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    cell = {(r[1], r[2]): r for r in rows}
    found = cell[("城西区民政局", "（一）领导责任落实")]
    assert found[3].startswith("局主要领导先后4次") and found[4] == "否" and not found[5]
    assert found[6:9] == ("有问题", 2, "城西联络员")
    # The demo's answers were filled in early in the campaign (core.demo_clock): the sheet says when.
    filled = demo.self_inspections.get(unit__name="城西区民政局", check_item__ordinal=1).filled_at
    assert isinstance(found[9], datetime) and found[9].date() == timezone.localtime(filled).date() < TODAY
    none_found = next(r for r in rows if r[1] == "城西区民政局" and r[4] == "是")
    assert none_found[5].startswith("经领导班子集体研究") and none_found[6:8] == ("已填报", 0)
    missing = cell[("市殡仪馆", "（一）领导责任落实")]
    assert missing[6:8] == ("未填报", 0) and not missing[3] and not missing[8] and missing[9] is None
    # Problems the inspection group fed back count against the cell even before the unit fills it in, and so do
    # its 股/科's (城东's 社会救助股 has one under item 5).
    assert [r[7] for r in rows if r[1] == "城东区民政局"] == [0, 0, 1, 0, 1, 0, 0]


def test_self_inspection_export_takes_the_page_filters(login, demo, unit):
    office = login("office")
    rescue = unit("社会救助科")
    for query in (f"under={rescue.pk}", "state=problems", "state=missing", f"under={unit('城西区民政局').pk}&state=filled"):
        page = office.get(f"/campaigns/{demo.pk}/coverage/?{query}").content.decode()
        rows = data_rows(page_export(office, "self_inspections", f"campaign={demo.pk}&{query}"))
        assert [(r[1], r[6]) for r in rows] == page_cells(page), query
    assert [r[6] for r in data_rows(page_export(office, "self_inspections", f"campaign={demo.pk}&under={rescue.pk}"))] \
        == ["已填报", "未填报", "未填报", "未填报", "已填报", "未填报", "未填报"]
    assert {r[1] for r in data_rows(page_export(office, "self_inspections", f"campaign={demo.pk}&state=problems"))} \
        == {"城西区民政局"}
    missing = data_rows(page_export(office, "self_inspections", f"campaign={demo.pk}&state=missing"))
    assert len(missing) == 14 * 7 and "城西区民政局" not in {r[1] for r in missing}
    # The page's button carries its filters and the campaign (which the page has in its path).
    page = office.get(f"/campaigns/{demo.pk}/coverage/?under={rescue.pk}&state=missing").content.decode()
    assert f'action="/jobs/export/self_inspections/?campaign={demo.pk}&amp;under={rescue.pk}&amp;state=missing"' in page
    assert "导出Excel" in page


def test_self_inspection_export_holds_only_the_liaisons_units_by_page_and_api(login, api, demo, unit, user):
    chengxi = login("liaison_chengxi")
    job = start_page_export(chengxi, "self_inspections", f"campaign={demo.pk}")
    job.refresh_from_db()
    assert job.kind == "campaigns.self_inspection_export" and job.message == "已导出 7 行"
    assert job.params == {"ledger": "self_inspections", "filters": {"campaign": str(demo.pk)}}
    sheet = open_result(chengxi, job)
    assert sheet["A1"].value == "城西区民政局七查七摆自查自纠台账"
    assert {r[1] for r in data_rows(sheet)} == {"城西区民政局"} and len(data_rows(sheet)) == 7
    event = AuditEvent.objects.filter(event_type="export", action="self_inspection_export").latest("id")
    assert event.actor_id == user("liaison_chengxi").pk and "7 行" in event.detail and "不含敏感字段" in event.detail

    # By API: no campaign named means the current one; another district's unit is refused, never widened.
    chengdong = api("liaison_chengdong")
    assert {r[1] for r in data_rows(api_export(chengdong, {"ledger": "self_inspections"}))} == {"城东区民政局"}
    rows = data_rows(api_export(chengdong, {"ledger": "self_inspections", "campaign": demo.pk, "state": "missing"}))
    assert [r[1] for r in rows] == ["城东区民政局"] * 7
    before = Job.objects.count()
    other = chengdong.post("/api/v1/exports", {"ledger": "self_inspections", "under": unit("城西区民政局").pk},
                           content_type="application/json")
    assert other.status_code == 422 and "under" in other.json()["details"]
    refused(chengxi, chengxi.post(f"/jobs/export/self_inspections/?campaign={demo.pk}&under={unit('城东区民政局').pk}"),
            "单位不在可查看的参与单位中")
    assert Job.objects.count() == before


def test_self_inspection_export_refusals_start_nothing(login, api, demo):
    before = Job.objects.count()
    office = login("office")
    bad = office.post(f"/jobs/export/self_inspections/?campaign={demo.pk}&under=abc&state=filled")
    assert bad.url == f"/campaigns/{demo.pk}/coverage/?under=abc&state=filled"
    refused(office, bad, "筛选条件有误", "单位应为整数")
    refused(office, office.post(f"/jobs/export/self_inspections/?campaign={demo.pk}&state=bogus"), "状态取值不正确")
    assert office.post("/jobs/export/self_inspections/?campaign=999999").status_code == 404
    # 承办人 and the 系统管理员 do not see coverage: no export either, by page or API.
    for username in ("handler", "sysadmin"):
        assert login(username).post(f"/jobs/export/self_inspections/?campaign={demo.pk}").status_code == 403
        assert api(username).post("/api/v1/exports", {"ledger": "self_inspections"},
                                  content_type="application/json").status_code == 403
    assert Job.objects.count() == before


# ---------------------------------------------------------------- 制度成果台账

RULE_MERGES = {"A1:G1", "A2:G2", "A3:A4", "B3:B4", "C3:E3", "F3:F4", "G3:G4"}
RULE_GROUPS = ["序号", "制定单位", "制度文件", None, None, "主要内容", "对应问题"]
RULE_HEADERS = [None, None, "制度名称", "文号", "印发日期", None, None]


def unit_scoped_reader(unit):
    """A 城西 user who reads problems of 城西区民政局 itself only (not of its 股)."""
    secadmin, sysadmin = User.objects.get(username="secadmin"), User.objects.get(username="sysadmin")
    role = org_services.create_role(secadmin, code="unit_reader", name="本级查阅", scope=DataScope.UNIT,
                                    perms=["campaign.view", "problem.view"])
    created, _ = org_services.create_user(sysadmin, username="unit_reader", full_name="本级查阅员", unit=unit)
    created = User.objects.get(pk=created.pk)
    org_services.assign_roles(secadmin, created, [role], version=created.version)
    return User.objects.get(pk=created.pk)


def test_rule_export_lists_the_rules_with_only_the_problems_the_viewer_may_see(login, api, demo, unit, user, tmp_path):
    office = user("office")
    own = Problem.objects.get(description="扫黑除恶简报编发不及时。")  # 城西区民政局
    section = register(demo, unit_name="城西区民政局社会救助股", by="liaison_chengxi", description="股室问题")
    record_lasting_rule(office, campaign=demo, unit=unit("城西区民政局"), title="扫黑除恶简报编发制度",
                        document_no="城西民〔2026〕8号", issued_on=TODAY, summary="=每月编发简报", problems=[own, section])
    record_lasting_rule(office, campaign=demo, unit=unit("城东区民政局"), title="线索摸排工作规范",
                        issued_on=TODAY - timedelta(days=10), summary="逐村摸排")
    numbers = f"P{own.pk:06d}、P{section.pk:06d}"

    sheet = page_export(login("office"), "rules")
    assert_ledger_layout(sheet, title="市民政局扫黑办七查七摆制度成果台账", merged=RULE_MERGES, groups=RULE_GROUPS,
                         headers=RULE_HEADERS)
    rows = data_rows(sheet)
    assert [r[2] for r in rows] == ["扫黑除恶简报编发制度", "线索摸排工作规范"]  # the page's order: newest first
    first = rows[0]
    assert first[:4] == (1, "城西区民政局", "扫黑除恶简报编发制度", "城西民〔2026〕8号") and first[4].date() == TODAY
    assert first[5] == "'=每月编发简报" and first[6] == numbers
    assert rows[1][0] == 2 and not rows[1][3] and not rows[1][6]

    chengxi = login("liaison_chengxi")
    assert [(r[2], r[6]) for r in data_rows(page_export(chengxi, "rules"))] == [("扫黑除恶简报编发制度", numbers)]
    by_api = api_export(api("liaison_chengdong"), {"ledger": "rules"})
    assert by_api["A1"].value == "城东区民政局七查七摆制度成果台账"
    assert [r[2] for r in data_rows(by_api)] == ["线索摸排工作规范"]
    # A reader of 城西区民政局 alone sees its rule, but not the 股's problem linked to it.
    reader = unit_scoped_reader(unit("城西区民政局"))
    rule_exporting.export_rules(reader, rule_exporting.RuleFilters(), tmp_path / "r.xlsx")
    own_only = data_rows(openpyxl.load_workbook(tmp_path / "r.xlsx").active)
    assert [(r[2], r[6]) for r in own_only] == [("扫黑除恶简报编发制度", f"P{own.pk:06d}")]
    event = AuditEvent.objects.filter(event_type="export", action="rule_export").latest("id")
    assert event.actor_id == reader.pk and "1 行" in event.detail


def test_rules_page_has_the_button_and_others_get_no_export(login, api, demo):
    page = login("liaison_chengxi").get("/problems/rules/").content.decode()
    assert 'action="/jobs/export/rules/"' in page and "导出Excel" in page
    before = Job.objects.count()
    for username in ("sysadmin", "auditor"):
        assert login(username).post("/jobs/export/rules/").status_code == 403
        assert api(username).post("/api/v1/exports", {"ledger": "rules"},
                                  content_type="application/json").status_code == 403
    assert Job.objects.count() == before
