"""Every ledger list exports to Excel as a background job: exactly the filtered rows the user sees (same filters, same
data scope), in the layout staff keep by hand — title, unit and as-of date, merged two-level headers, borders, widths,
a frozen header, A4 landscape with the header rows repeated — with formulas neutralised; by page and by API."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from qicha.clues.services.cases import register_case
from qicha.core.excel_export import PROGRESS_EVERY, ExportColumn, LedgerWorkbook, write_ledger
from qicha.core.models import AuditEvent
from qicha.jobs.models import Job
from qicha.problems import exporting as problem_exporting
from qicha.problems import queries as problem_queries
from qicha.supervision.services.accountability import record_accountability
from qicha.supervision.services.inspections import plan_inspection
from qicha.supervision.services.letters import record_letter

from .problem_helpers import bring_to, register

TODAY = timezone.localdate()
INJECTION = '=HYPERLINK("http://evil.example/x","点此领取补贴")'
PROBLEM_MERGES = {"A1:P1", "A2:P2", "A3:A4", "B3:B4", "C3:G3", "H3:J3", "K3:M3", "N3:P3"}
PROBLEM_GROUPS = ["序号", "问题编号", "问题情况", None, None, None, None, "整改要求", None, None, "责任落实", None, None,
                  "整改进展", None, None]
PROBLEM_HEADERS = [None, None, "责任单位", "查摆事项", "问题来源", "问题描述", "问题类别", "整改类型", "整改措施", "整改时限",
                   "责任领导", "责任部门", "责任人", "状态", "最新进展", "销号情况"]


# ---------------------------------------------------------------- helpers

def start_page_export(client, ledger: str, query: str = "", data: dict | None = None) -> Job:
    response = client.post(f"/jobs/export/{ledger}/" + (f"?{query}" if query else ""), data or {})
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert response.url == f"/jobs/{job.pk}/"
    return job


def open_result(client, job: Job):
    """The progress page shows the job finished with a download button; the download opens back in openpyxl."""
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-status="done"' in page and f"/jobs/{job.pk}/download/" in page, page[-2000:]
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def page_export(client, ledger: str, query: str = ""):
    return open_result(client, start_page_export(client, ledger, query))


def api_export(api_client, body: dict):
    response = api_client.post("/api/v1/exports", body, content_type="application/json")
    assert response.status_code == 202, response.content
    started = response.json()
    assert set(started) == {"id", "status"} and started["status"] == "done"  # eager in tests
    job = api_client.get(f"/api/v1/jobs/{started['id']}").json()
    assert job["status"] == "done" and job["result_url"], job
    download = api_client.get(job["result_url"])
    assert download.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


def data_rows(sheet, first: int = 5):
    return [row for row in sheet.iter_rows(min_row=first, values_only=True) if any(v is not None for v in row)]


def merges(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def assert_boxed(sheet, block: str):
    cells = sheet[block] if ":" in block else ((sheet[block],),)
    assert all(c.border.top.style == "thin" for c in cells[0]) and all(c.border.bottom.style == "thin" for c in cells[-1])
    assert all(row[0].border.left.style == "thin" and row[-1].border.right.style == "thin" for row in cells)


def assert_ledger_layout(sheet, *, title: str, merged: set[str], groups: list, headers: list):
    """Title and unit/date rows merged across, two header rows, borders, frozen header, A4 landscape, print titles."""
    assert sheet["A1"].value == title
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 16
    assert sheet["A2"].value.startswith("填报单位：") and sheet["A2"].value.endswith(f"截至日期：{TODAY:%Y年%m月%d日}")
    assert merges(sheet) == merged
    assert [c.value for c in sheet[3]] == groups
    assert [c.value for c in sheet[4]] == headers
    # Every header block (a merged group or ungrouped header, or a sub-header) is boxed in thin lines.
    blocks = [str(r) for r in sheet.merged_cells.ranges if r.min_row == 3]
    blocks += [c.coordinate for c in sheet[4] if not any(c.coordinate in r for r in sheet.merged_cells.ranges)]
    assert len(blocks) == len([g for g in groups if g]) + len([h for h in headers if h])
    for block in blocks:
        assert_boxed(sheet, block)
        assert sheet[block.split(":")[0]].font.b
    for row in sheet.iter_rows(min_row=5):
        assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in row)
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    # One page wide, as many pages long as it takes. A missing fitToWidth is 1 (ECMA-376's default: Excel and
    # XlsxWriter leave it out), which openpyxl reads back as None.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0


# ---------------------------------------------------------------- the workbook writer

def test_ledger_workbook_streams_several_sheets_to_a_file_with_progress(tmp_path):
    columns = [ExportColumn("序号", 6), ExportColumn("名称", 20, group="基本情况"), ExportColumn("金额", 10, group="基本情况"),
               ExportColumn("备注", 30, wrap=True)]
    seen = []
    book = LedgerWorkbook()
    n = book.add_sheet("甲", "某单位台账", "填报单位：某单位", columns, ([i, f"名称{i}", i * 2, "=1+1"] for i in range(1, 1235)),
                       progress=seen.append)
    assert n == 1234 and seen == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, 1234]
    assert book.add_sheet("甲", "第二张", "", columns, iter([])) == 0  # duplicate names get a suffix, not an error
    path = tmp_path / "台账.xlsx"
    book.save(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["甲", "甲(2)"]
    sheet = workbook["甲"]
    assert merges(sheet) == {"A1:D1", "A2:D2", "A3:A4", "B3:C3", "D3:D4"}
    assert [c.value for c in sheet[3]] == ["序号", "基本情况", None, "备注"]
    assert [c.value for c in sheet[4]] == [None, "名称", "金额", None]
    assert sheet.column_dimensions["D"].width == 30 and sheet["D5"].alignment.wrap_text
    assert sheet["D5"].value == "'=1+1" and sheet["D5"].data_type == "s"
    assert sheet.max_row == 4 + 1234
    with pytest.raises(ValueError):
        LedgerWorkbook().add_sheet("乙", "t", "s", columns, [[1, 2]])


def test_a_failed_export_leaves_no_temporary_files_behind(tmp_path, monkeypatch):
    """The worker streams rows to temporary files; an export that breaks off midway removes them."""
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))

    def rows():
        yield from ([i, f"名称{i}"] for i in range(1, 700))
        raise RuntimeError("数据库连接中断")

    book = LedgerWorkbook()
    book.add_sheet("甲", "t", "s", [ExportColumn("序号"), ExportColumn("名称")], [[1, "完整的一张"]])
    assert list(spool.iterdir())  # the rows are on disk while the workbook is open
    with pytest.raises(RuntimeError):
        book.add_sheet("乙", "t", "s", [ExportColumn("序号"), ExportColumn("名称")], rows())
    assert list(spool.iterdir()) == []


def test_write_ledger_keeps_a_single_header_row_for_ungrouped_columns():
    data = write_ledger("表", "标题", "副标题", [ExportColumn("甲"), ExportColumn("乙")], [[1, "+2"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[3]] == ["甲", "乙"] and sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3" and merges(sheet) == {"A1:B1", "A2:B2"}
    assert [c.value for c in sheet[4]] == [1, "'+2"]


def test_wrapped_text_gets_a_row_height_that_shows_all_of_it():
    columns = [ExportColumn("序号", 5), ExportColumn("问题描述", 12, wrap=True), ExportColumn("备注", 6)]
    long_text = "线索台账不完整，" * 5  # 40 characters = 80 width units: 8 lines of 11 units
    data = write_ledger("表", "标题", "副标题", columns, [[1, "短", "x"], [2, long_text, "不换行的列不算" * 9]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.row_dimensions[1].height == 30
    assert sheet.row_dimensions[4].height is None  # one line: the program's own default
    assert sheet.row_dimensions[5].height == 8 * 13.5 + 3
    assert sheet["B5"].alignment.wrap_text and sheet["B5"].font.name == "宋体"


def test_dates_and_times_are_real_excel_dates_in_local_time():
    from datetime import UTC, datetime

    moment = datetime(2026, 6, 21, 1, 30, tzinfo=UTC)  # 09:30 in Beijing
    data = write_ledger("表", "标题", "副标题", [ExportColumn("日期"), ExportColumn("时间")], [[TODAY, moment]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A4"].is_date and sheet["A4"].number_format == "yyyy-mm-dd" and sheet["A4"].value.date() == TODAY
    assert sheet["B4"].value == datetime(2026, 6, 21, 9, 30) and sheet["B4"].number_format == "yyyy-mm-dd hh:mm"


# ---------------------------------------------------------------- problems

def test_problem_export_is_the_staff_layout_with_formulas_neutralised(login, demo):
    injected = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description=INJECTION, category="-2+3",
                        responsible_leader="王副局长", responsible_department="@办公室")
    closed = bring_to(register(demo, description="导出：已销号的问题", measures="建立台账"), "closed")
    sheet = page_export(login("office"), "problems")
    assert_ledger_layout(sheet, title="市民政局扫黑办七查七摆问题整改台账", merged=PROBLEM_MERGES, groups=PROBLEM_GROUPS,
                         headers=PROBLEM_HEADERS)
    assert sheet["A2"].value == f"填报单位：市民政局扫黑办　　　截至日期：{TODAY:%Y年%m月%d日}"
    assert sheet.column_dimensions["F"].width == 30 and sheet.column_dimensions["A"].width == 5
    rows = {r[1]: r for r in data_rows(sheet)}
    row = rows[f"P{injected.pk:06d}"]
    assert row[2] == "城西区民政局" and row[5] == "'" + INJECTION and row[6] == "'-2+3" and row[11] == "'@办公室"
    cell = next(c for c in sheet.iter_rows(min_row=5) if c[1].value == f"P{injected.pk:06d}")[5]
    assert cell.data_type == "s" and cell.alignment.wrap_text  # text, never a live formula
    assert row[7] == "立即整改" and row[9].date() == injected.deadline and row[10] == "王副局长"
    done = rows[f"P{closed.pk:06d}"]
    assert done[13] == "已销号" and done[14] == "已整改" and done[15].endswith("已销号：同意销号")
    assert [r[0] for r in data_rows(sheet)] == list(range(1, len(rows) + 1))


def test_problem_export_is_exactly_the_filtered_rows_in_scope_by_page_and_api(login, api, demo, unit, user):
    register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="导出范围：城西甲")
    register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="导出范围：城西乙", days=-3)
    register(demo, unit_name="城东区民政局", by="liaison_chengdong", description="导出范围：城东")
    office = login("office")

    def numbers(username, params):
        filters = problem_queries.ProblemFilters.from_params(params)
        return [f"P{p.pk:06d}" for p in problem_queries.problem_list(user(username), filters)]

    everything = data_rows(page_export(office, "problems"))
    assert [r[1] for r in everything] == numbers("office", {}) and len(everything) >= 3
    keyword = data_rows(page_export(office, "problems", "q=导出范围&sort=-deadline"))
    assert [r[1] for r in keyword] == numbers("office", {"q": "导出范围", "sort": "-deadline"})
    assert sorted(r[5] for r in keyword) == ["导出范围：城东", "导出范围：城西乙", "导出范围：城西甲"]
    overdue = data_rows(page_export(office, "problems", "q=导出范围&overdue=1"))
    assert [r[5] for r in overdue] == ["导出范围：城西乙"] and overdue[0][13] == "待整改（逾期）"

    chengxi = login("liaison_chengxi")
    own = data_rows(page_export(chengxi, "problems"))
    assert own and [r[1] for r in own] == numbers("liaison_chengxi", {})
    assert {r[2] for r in own} <= {u.name for u in unit("城西区民政局").__class__.objects.filter(
        path__startswith=unit("城西区民政局").path)}
    assert "导出范围：城东" not in {r[5] for r in own}
    # Naming another unit in the filter gives nothing of it, by page and by API.
    assert data_rows(page_export(chengxi, "problems", f"unit={unit('城东区民政局').pk}")) == []
    by_api = data_rows(api_export(api("liaison_chengxi"), {"ledger": "problems", "q": "导出范围"}))
    assert sorted(r[5] for r in by_api) == ["导出范围：城西乙", "导出范围：城西甲"]
    assert data_rows(api_export(api("liaison_chengxi"), {"ledger": "problems", "unit": unit("城东区民政局").pk})) == []
    assert sheet_title(api_export(api("liaison_chengxi"), {"ledger": "problems"})) == "城西区民政局七查七摆问题整改台账"


def sheet_title(sheet) -> str:
    return sheet["A1"].value


def test_export_job_reports_progress_and_is_audited(login, demo, user, tmp_path):
    for i in range(3):
        register(demo, description=f"进度测试{i}")
    job = start_page_export(login("liaison_chengdong"), "problems", "q=进度测试")
    job.refresh_from_db()
    assert (job.status, job.progress, job.kind) == ("done", 100, "problems.export")
    assert job.message == "已导出 3 行" and job.result["rows"] == 3 and job.result["masked"] is False
    assert job.params == {"ledger": "problems", "filters": {"q": "进度测试"}}
    event = AuditEvent.objects.filter(event_type="export", action="problem_export").latest("id")
    assert event.actor_id == user("liaison_chengdong").pk
    assert "3 行" in event.detail and "不含敏感字段" in event.detail

    reports = []
    filters = problem_queries.ProblemFilters.from_params({"q": "进度测试"})
    result = problem_exporting.export_problems(user("office"), filters, tmp_path / "x.xlsx",
                                               report=lambda p, m: reports.append((p, m)))
    assert result["rows"] == 3
    percents = [p for p, _ in reports]
    assert percents == sorted(percents) and percents[0] < 10 and 90 <= percents[-1] <= 99
    assert reports[0][1] == "共 3 行，正在写入…" and reports[-2] == (95, "已写入 3 / 3 行")


def test_bad_filters_unknown_ledgers_and_missing_permissions_start_nothing(login, api, demo):
    before = Job.objects.count()
    office = login("office")
    response = office.post("/jobs/export/problems/?unit=abc&q=x")
    assert response.status_code == 302 and response.url.startswith("/problems/?")
    page = office.get(response.url).content.decode()
    assert "筛选条件有误" in page and "未导出" in page
    refused = api("office").post("/api/v1/exports", {"ledger": "problems", "status": "bogus"},
                                 content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "invalid" and "status" in refused.json()["details"]
    unknown = api("office").post("/api/v1/exports", {"ledger": "salaries"}, content_type="application/json")
    assert unknown.status_code == 422 and "ledger" in unknown.json()["details"]
    assert office.post("/jobs/export/salaries/").status_code == 404
    assert office.get("/jobs/export/problems/").status_code == 405  # a link or an image tag starts nothing
    assert not Job.objects.filter(kind="problems.export").exists()
    # 系统管理员 sees no business data: no export either, by page or API.
    assert login("sysadmin").post("/jobs/export/problems/").status_code == 403
    assert api("sysadmin").post("/api/v1/exports", {"ledger": "problems"},
                                content_type="application/json").status_code == 403
    assert login("handler").post("/jobs/export/letters/").status_code == 403
    assert Job.objects.count() == before


def test_problem_list_carries_its_filters_to_the_export_button(login, demo):
    page = login("office").get("/problems/?q=低保&overdue=1&page=2").content.decode()
    assert 'action="/jobs/export/problems/?q=%E4%BD%8E%E4%BF%9D&amp;overdue=1"' in page
    assert 'href="/problems/import/"' in page


# ---------------------------------------------------------------- cases

def test_case_export_is_scoped_and_filtered(login, api, demo, unit, user):
    office = user("office")
    register_case(office, demo, unit("城西区民政局"), name="城西督办案件", source="central_group", received_date=TODAY,
                  summary="=cmd|' /C calc'!A0")
    register_case(office, demo, unit("城东区民政局"), name="城东督办案件", source="leader_instruction",
                  received_date=TODAY - timedelta(days=1), summary="城东案情", instruction="批示")
    sheet = page_export(login("office"), "cases")
    assert_ledger_layout(sheet, title="市民政局扫黑办涉黑涉恶案件督办台账",
                         merged={"A1:K1", "A2:K2", "A3:A4", "B3:G3", "H3:I3", "J3:K3"},
                         groups=["序号", "案件情况", None, None, None, None, None, "办理情况", None, "一案一整治", None],
                         headers=[None, "案件名称", "案件来源", "交办编号", "承办单位", "交办日期", "基本案情", "状态",
                                  "办理结果", "暴露的行业监管漏洞", "整治措施"])
    rows = data_rows(sheet)
    assert [r[1] for r in rows] == ["城西督办案件", "城东督办案件"]
    assert rows[0][6] == "'=cmd|' /C calc'!A0" and rows[0][7] == "待办理"
    assert [r[1] for r in data_rows(page_export(login("office"), "cases", "source=leader_instruction"))] == ["城东督办案件"]
    assert [r[1] for r in data_rows(page_export(login("liaison_chengxi"), "cases"))] == ["城西督办案件"]
    assert [r[1] for r in data_rows(api_export(api("liaison_chengdong"), {"ledger": "cases"}))] == ["城东督办案件"]


# ---------------------------------------------------------------- supervision: letters, inspections, accountability

def test_letter_export_is_the_signing_board_as_shown(login, api, demo, unit, user):
    record_letter(user("office"), demo, "commitment", unit("城西区民政局"), signer="城西局长", signer_title="局长",
                  signed_on=TODAY, scope="+承诺无涉黑涉恶问题")
    office = login("office")
    sheet = page_export(office, "letters", "kind=commitment")
    assert_ledger_layout(sheet, title="市民政局扫黑办承诺书签订台账", merged={"A1:K1", "A2:K2", "A3:A4", "B3:B4", "C3:H3", "I3:K3"},
                         groups=["序号", "签订单位", "签订情况", None, None, None, None, None, "监督检查", None, None],
                         headers=[None, None, "是否签订", "签订人", "职务", "签订对象", "签订日期", "责任或承诺事项",
                                  "检查次数", "最近检查日期", "最近检查结果"])
    board = office.get("/supervision/letters/?kind=commitment").content.decode()
    rows = data_rows(sheet)
    assert all(f'data-unit="{r[1]}"' in board for r in rows) and board.count("data-signed=") == len(rows)
    chengxi = next(r for r in rows if r[1] == "城西区民政局")
    assert chengxi[2:5] == ("已签订", "城西局长", "局长") and chengxi[7] == "'+承诺无涉黑涉恶问题"
    unsigned = data_rows(page_export(office, "letters", "kind=commitment&status=unsigned"))
    assert unsigned and "城西区民政局" not in {r[1] for r in unsigned} and {r[2] for r in unsigned} == {"未签订"}
    own = data_rows(page_export(login("liaison_chengxi"), "letters", "kind=commitment"))
    assert [r[1] for r in own if r[1] == "城西区民政局"] and "城东区民政局" not in {r[1] for r in own}
    assert "城西区民政局" not in {r[1] for r in data_rows(api_export(api("liaison_chengdong"),
                                                                 {"ledger": "letters", "kind": "commitment"}))}
    bad = office.post("/jobs/export/letters/?kind=nonsense")
    assert bad.status_code == 302 and "未导出" in office.get(bad.url).content.decode()


def test_inspection_export_shows_only_the_inspected_units_in_scope(login, api, demo, unit, user):
    office = user("office")
    plan_inspection(office, demo, kind="special", title="城西专项督查", focus="低保", starts_on=TODAY, ends_on=TODAY,
                    unit_ids=[unit("城西区民政局").pk, unit("城东区民政局").pk])
    plan_inspection(office, demo, kind="joint", title="城东联合督查", partners="公安局", starts_on=TODAY - timedelta(days=2),
                    ends_on=TODAY,
                    unit_ids=[unit("城东区民政局").pk])
    sheet = page_export(login("office"), "inspections")
    assert_ledger_layout(sheet, title="市民政局扫黑办督导检查台账",
                         merged={"A1:L1", "A2:L2", "A3:A4", "B3:B4", "C3:H3", "I3:L3"},
                         groups=["序号", "检查名称", "检查安排", None, None, None, None, None, "检查结果", None, None, None],
                         headers=[None, None, "检查方式", "开始日期", "结束日期", "检查重点", "联合部门", "第三方评估机构",
                                  "被检查单位及评价", "发现问题", "状态", "总体评价"])
    rows = {r[1]: r for r in data_rows(sheet)}
    assert set(rows) == {"城西专项督查", "城东联合督查"}
    assert rows["城西专项督查"][8] == "城西区民政局；城东区民政局" or rows["城西专项督查"][8] == "城东区民政局；城西区民政局"
    assert [r[1] for r in data_rows(page_export(login("office"), "inspections", "kind=joint"))] == ["城东联合督查"]
    own = data_rows(page_export(login("liaison_chengxi"), "inspections"))
    assert [(r[1], r[8]) for r in own] == [("城西专项督查", "城西区民政局")]  # the other inspected unit is not shown
    assert [r[1] for r in data_rows(api_export(api("liaison_chengdong"), {"ledger": "inspections", "q": "督查"}))] \
        == ["城西专项督查", "城东联合督查"]


def test_accountability_export_is_scoped_and_filtered(login, api, demo, unit, user):
    office = user("office")
    record_accountability(office, demo, unit("城西区民政局"), person="张某", person_title="科长", failing="inaction",
                          form="talk", decision_no="民扫办〔2026〕1号", decided_on=TODAY, facts="=SUM(A1:A9)")
    record_accountability(office, demo, unit("城东区民政局"), failing="poor_progress", form="criticism",
                          decision_no="民扫办〔2026〕2号", decided_on=TODAY - timedelta(days=1), facts="工作推动不力")
    sheet = page_export(login("office"), "accountability")
    assert_ledger_layout(sheet, title="市民政局扫黑办问责台账", merged={"A1:I1", "A2:I2", "A3:A4", "B3:D3", "E3:I3"},
                         groups=["序号", "问责对象", None, None, "问责情况", None, None, None, None],
                         headers=[None, "被问责单位", "被问责人", "职务", "问责情形", "问责方式", "决定文号", "决定日期",
                                  "问责事由"])
    rows = data_rows(sheet)
    assert [r[1] for r in rows] == ["城西区民政局", "城东区民政局"]
    assert rows[0][2:6] == ("张某", "科长", "不作为", "约谈") and rows[0][8] == "'=SUM(A1:A9)"
    assert [r[6] for r in data_rows(page_export(login("office"), "accountability", "form=criticism"))] \
        == ["民扫办〔2026〕2号"]
    assert [r[1] for r in data_rows(page_export(login("liaison_chengxi"), "accountability"))] == ["城西区民政局"]
    assert [r[1] for r in data_rows(api_export(api("liaison_chengdong"), {"ledger": "accountability"}))] \
        == ["城东区民政局"]


@pytest.mark.parametrize("path,ledger", [
    ("/problems/", "problems"), ("/clues/", "clues"), ("/cases/", "cases"), ("/supervision/letters/", "letters"),
    ("/supervision/inspections/", "inspections"), ("/supervision/accountability/", "accountability"),
])
def test_every_ledger_list_has_an_export_button(login, demo, path, ledger):
    page = login("office").get(path).content.decode()
    assert f'action="/jobs/export/{ledger}/' in page and "导出Excel" in page


# ---------------------------------------------------------------- a filtered export says so

FILTERED = [
    ("problems", "q=走查&status=in_progress&overdue=1", "筛选条件：关键词“走查”；状态：整改中；只看逾期"),
    ("clues", "real_name=1&status=assigned", "筛选条件：状态：{clue_status}；实名举报"),
    ("cases", "source=leader_instruction", "筛选条件：来源：{case_source}"),
    ("letters", "kind=commitment&status=unsigned", "筛选条件：状态：未签订"),
    ("inspections", "kind=joint&mine=1", "筛选条件：检查方式：{inspection_kind}；只看我参加的检查"),
    ("accountability", "form=criticism&unit={chengxi}", "筛选条件：单位：城西区民政局（含下级）；问责方式：{form}"),
    ("self_inspections", "campaign={campaign}&state=missing", "筛选条件：填报情况：未填报"),
]


@pytest.mark.parametrize(("ledger", "query", "expected"), FILTERED, ids=[f[0] for f in FILTERED])
def test_every_filtered_export_states_its_filters_on_the_sheet_and_in_the_job_name(login, demo, unit, ledger, query,
                                                                                  expected):
    from qicha.clues.models import CaseSource, Status
    from qicha.supervision.models import AccountabilityForm, InspectionKind

    values = {"chengxi": unit("城西区民政局").pk, "campaign": demo.pk, "clue_status": Status("assigned").label,
              "case_source": CaseSource("leader_instruction").label, "inspection_kind": InspectionKind("joint").label,
              "form": AccountabilityForm("criticism").label}
    office = login("office")
    job = start_page_export(office, ledger, query.format(**values))
    sheet = open_result(office, job)
    assert sheet["A2"].value == (f"填报单位：市民政局扫黑办　　　截至日期：{TODAY:%Y年%m月%d日}　　　"
                                 f"{expected.format(**values)}")
    job.refresh_from_db()
    assert job.label.endswith("（已筛选）") and job.label.startswith("导出")
    assert "（已筛选）" in office.get("/jobs/").content.decode()
    # The same list unfiltered: no filter line, the plain job name (the coverage page always names its campaign).
    whole = start_page_export(office, ledger, f"campaign={demo.pk}" if ledger == "self_inspections" else "")
    assert open_result(office, whole)["A2"].value == f"填报单位：市民政局扫黑办　　　截至日期：{TODAY:%Y年%m月%d日}"
    whole.refresh_from_db()
    assert "（已筛选）" not in whole.label and whole.label == job.label.removesuffix("（已筛选）")


def test_the_rules_ledger_has_no_filters_and_every_ledger_describes_through_the_shared_path(login, demo):
    from qicha.core.registry import EXPORTS

    assert all(spec.describe is not None for spec in EXPORTS.values()) and len(EXPORTS) == 9  # the eight ledgers and the sector ledgers (专项治理台账)
    office = login("office")
    job = start_page_export(office, "rules")
    assert "筛选条件" not in open_result(office, job)["A2"].value
    job.refresh_from_db()
    assert job.label == "导出制度成果台账"


def test_filter_description_by_api_and_a_unit_outside_the_scope_is_not_named(login, api, demo, unit):
    chengdong = unit("城东区民政局").pk
    sheet = api_export(api("liaison_chengxi"), {"ledger": "problems", "unit": chengdong, "q": "走查"})
    assert sheet["A2"].value.endswith(f"　　　筛选条件：关键词“走查”；单位：编号 {chengdong}（含下级）")
    assert Job.objects.filter(kind="problems.export").latest("pk").label == "导出问题整改台账（已筛选）"
    sheet = api_export(api("office"), {"ledger": "problems", "unit": chengdong, "check_item": 3, "due_within_days": 7})
    assert sheet["A2"].value.endswith(
        "　　　筛选条件：查摆事项：（三）" + demo.check_items.get(ordinal=3).title + "；单位：城东区民政局（含下级）；到期：7 日内")


def test_a_ledger_that_registers_itself_is_exported_by_page_and_api_without_editing_jobs(login, api, demo,
                                                                                           monkeypatch):
    """A new ledger only calls core.registry.register_export (here: a second name for the problem ledger's pieces)."""
    from qicha.core import registry

    problems = registry.EXPORTS["problems"]
    assert login("office").post("/jobs/export/sector/").status_code == 404
    refused = api("office").post("/api/v1/exports", {"ledger": "sector"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["message"] == "不支持导出该台账"
    register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="行业台账里的问题")
    monkeypatch.setitem(registry.EXPORTS, "sector", problems)  # so the test leaves the registry as it found it
    registry.register_export("sector", "行业台账", kind=problems.kind, permission=problems.permission,
                             list_url=problems.list_url, parse=problems.parse, check=problems.check,
                             describe=problems.describe)
    rows = data_rows(page_export(login("office"), "sector", "q=行业台账"))
    assert [r[5] for r in rows] == ["行业台账里的问题"]
    by_api = data_rows(api_export(api("office"), {"ledger": "sector", "q": "行业台账"}))
    assert [r[5] for r in by_api] == ["行业台账里的问题"]
    assert login("leader").post("/jobs/export/sector/").status_code == 302  # the ledger's own view permission
    assert login("sysadmin").post("/jobs/export/sector/").status_code == 403


def test_the_quick_cell_writer_writes_what_xlsxwriter_writes():
    """LedgerSheet's short path for plain cells gives the same sheet XML, byte for byte, as XlsxWriter's own path —
    for text that needs no care and for text that does (escaping, control characters, edge white space)."""
    import zipfile
    from datetime import date, datetime

    import xlsxwriter

    from qicha.core.excel_export import LedgerSheet

    values = [1, 2.5, 10**15, "城西区民政局", "", None, TODAY, datetime(2026, 6, 21, 9, 30), True, "A & B <c> \"d\"",
              " 前导空格", "尾随空格 ", "第一行\n第二行", "制表\t符", "控制\x01符", "_x0041_ 字面", "下划线_后缀",
              "\u3000全角空格", "'=1+1", "x" * 40]

    def sheet_xml(worksheet_class) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        sheet = book.add_worksheet("表", worksheet_class=worksheet_class)
        body = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
        day = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        sheet.set_row(1, 30)
        for row in range(3):
            for col, value in enumerate(values):
                if isinstance(value, datetime | date):
                    sheet.write_datetime(row, col, value, day)
                elif value is None or value == "":
                    sheet.write_blank(row, col, None, body)
                elif isinstance(value, bool):
                    sheet.write_boolean(row, col, value, body)
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, body)
                else:
                    sheet.write_string(row, col, value, body if col % 2 else None)  # also cells with no format
        book.close()
        with zipfile.ZipFile(buffer) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    from xlsxwriter.worksheet import Worksheet

    quick, stock = sheet_xml(LedgerSheet), sheet_xml(Worksheet)
    assert b"&amp;" in stock and b"_x0001_" in stock and b'xml:space="preserve"' in stock  # the careful path ran
    assert quick == stock
