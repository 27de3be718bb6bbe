"""Problem ledger import (问题整改台账导入): template, upload → job → preview with located errors, all-or-none confirm
(also a job), idempotent re-import, round trip with the real export, the bad-file corpus, scope, and the API."""

import importlib.util
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from qicha.core.errors import Invalid
from qicha.core.models import AuditEvent
from qicha.jobs.models import Job
from qicha.orgs.models import Unit
from qicha.problems import exporting, importing, queries
from qicha.problems.models import Problem

from .problem_helpers import register

DATA = Path(__file__).parent / "data" / "problems"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _make_files():
    spec = importlib.util.spec_from_file_location("problem_make_files", DATA / "make_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


made = _make_files()


def workbook_bytes(rows, headers=tuple(made.TEMPLATE_HEADERS), title="问题整改台账") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, name: str, data: bytes):
    return client.post("/problems/import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def preview_through_pages(client, name: str, data: bytes):
    """Upload; the browser goes to the job's progress page, which (done) sends it to the preview page."""
    response = upload(client, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "done", job.message
    assert job.result["next_url"] == f"/problems/import/{job.pk}/"
    page = client.get(job.result["next_url"])
    assert page.status_code == 200
    return job, page.content.decode()


def confirm_through_pages(client, job):
    response = client.post(f"/problems/import/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    confirm = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert confirm.kind == "problems.import_confirm"
    return confirm


def chengxi_problems():
    return Problem.objects.filter(unit__name__startswith="城西区民政局")


# --------------------------------------------------------------------------------------------------------------
# 问题编号

def test_problem_number_format_and_parse():
    assert importing.format_problem_no(123) == "P000123"
    assert importing.format_problem_no(1234567) == "P1234567"
    assert importing.parse_problem_no("P000123") == 123
    assert importing.parse_problem_no(" p123 ") == 123
    assert importing.parse_problem_no("Ｐ０００１２３") == 123  # typed with a Chinese input method
    assert importing.parse_problem_no(None) is None and importing.parse_problem_no("  ") is None
    for wrong in ("123", "Q000123", "P", "P000000"):
        with pytest.raises(importing.xl.CellError) as caught:
            importing.parse_problem_no(wrong)
        assert caught.value.message == f"问题编号“{wrong}”格式不对，应为 P 加数字（如 P000123）；新问题请留空"


# --------------------------------------------------------------------------------------------------------------
# Template

def test_template_has_dropdowns_of_own_units_instructions_and_example(login, demo, user):
    response = login("liaison_chengxi").get("/problems/import/template/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["问题整改台账", "填写说明"]
    sheet = workbook["问题整改台账"]
    assert [c.value for c in sheet[1]] == [*made.TEMPLATE_HEADERS, "责任人职务", "责任人电话"]
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["B2:B1001"] == '"城西区民政局,城西区民政局办公室,城西区民政局社会救助股,城西区民政局基层政权股"'
    assert validations["C2:C1001"].startswith('"（一）领导责任落实,（二）承诺制度落实,')
    assert validations["D2:D1001"] == '"自查发现,督导检查发现,督导组反馈,案件剖析,群众反映,上级交办"'
    assert validations["H2:H1001"] == '"立即整改,限期整改,长期整改"'
    assert validations["E2:E1001"].startswith('"1. 线索摸排不细致、不深入,')
    help_rows = [[c.value for c in row] for row in workbook["填写说明"].iter_rows()]
    help_text = "\n".join(str(v) for row in help_rows for v in row if v)
    milestones = next(row for row in help_rows if row[0] == "整改节点")
    assert milestones[1] == "选填" and milestones[2].startswith("每行一个节点：完成时限 节点内容")
    assert "限期整改、长期整改必填" in help_text
    assert "系统导出的问题整改台账可以直接导入" in help_text
    example = help_rows[-1]
    assert example[1:4] == ["城西区民政局", "（一）领导责任落实", "自查发现"]  # one example row, on the instructions sheet
    # The downloaded template is read back by the import itself: it is an empty list.
    with pytest.raises(Invalid, match="工作表“问题整改台账”的表头下没有数据行。"):
        importing.check_file(user("liaison_chengxi"), demo, response.content, "模板.xlsx")


def test_template_example_deadline_is_in_the_future_and_the_instructions_use_the_same_dates(login, demo, user):
    """The example must not teach an overdue deadline: its 整改时限 and 整改节点 lie ahead whenever the template is
    downloaded, the instructions quote the same date, and the example row itself imports as a plain, not-late row."""
    today = timezone.localdate()
    workbook = load_workbook(io.BytesIO(login("liaison_chengxi").get("/problems/import/template/").content))
    help_rows = [[c.value for c in row] for row in workbook["填写说明"].iter_rows()]
    headers, example = help_rows[-2], help_rows[-1]
    deadline = date.fromisoformat(example[headers.index("整改时限*")])
    steps = [date.fromisoformat(line.split()[0]) for line in example[headers.index("整改节点")].splitlines()]
    assert today + timedelta(days=60) < deadline and today < steps[0] < steps[1] <= deadline
    help_text = "\n".join(str(v) for row in help_rows for v in row if v)
    assert f"日期可写成 {deadline:%Y-%m-%d}、{deadline.year}/{deadline.month}/{deadline.day}、" in help_text
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日 或 {deadline:%Y%m%d}" in help_text
    assert f"如 {deadline:%Y-%m-%d}" in next(row for row in help_rows if row[0] == "整改时限")[2]
    assert f"如“{steps[0]:%Y-%m-%d} 完成问题核实”" in next(row for row in help_rows if row[0] == "整改节点")[2]
    assert "2026-06-30" not in help_text
    # Copied onto the list sheet as it stands, the example is a good row that will not be overdue on arrival.
    row = [value if value is not None else "" for value in example]
    evaluation = importing.evaluate(user("liaison_chengxi"), demo, workbook_bytes([row], headers=headers), "示例.xlsx")
    assert evaluation.errors == [] and [(r.status, r.note) for r in evaluation.rows] == [("ok", "")]


def test_example_dates_stay_ordered_across_month_and_year_ends():
    for today in (date(2026, 11, 26), date(2026, 12, 31), date(2027, 1, 31), date(2027, 10, 2)):
        deadline, first, second = importing.example_dates(today)
        assert today < first < second < deadline and (deadline - today).days >= 90


def test_office_template_lists_every_unit_on_a_hidden_options_sheet(login):
    workbook = load_workbook(io.BytesIO(login("office").get("/problems/import/template/").content))
    assert workbook.sheetnames == ["问题整改台账", "填写说明", "选项"]
    assert workbook["选项"].sheet_state == "hidden"
    units = [c.value for c in workbook["选项"]["A"] if c.value]
    assert "城东区民政局" in units and "城西区民政局" in units and "市民政局" in units


# --------------------------------------------------------------------------------------------------------------
# The messy real-world file, as openpyxl, LibreOffice (.xlsx) and old Excel (.xls via LibreOffice) write it

EXPECTED_DEADLINES = [date(2026, 12, 31), date(2026, 12, 20), date(2026, 12, 25), date(2026, 12, 31),
                      date(2026, 12, 30), date(2026, 12, 29), date(2026, 12, 28), date(2026, 12, 27)]


@pytest.mark.parametrize("name", ["ledger_messy.xlsx", "ledger_messy_libreoffice.xlsx", "ledger_messy.xls"])
def test_messy_ledger_reads_the_same_from_every_office_suite(demo, user, name):
    actor = user("liaison_chengxi")
    evaluation = importing.evaluate(actor, demo, (DATA / name).read_bytes(), name)
    assert evaluation.sheet == "城西区问题台账"  # the hidden sheet before it is skipped
    assert evaluation.errors == []
    assert [row.number for row in evaluation.rows] == [4, 5, 6, 7, 9, 10, 11, 12]  # whitespace-only row 8 skipped
    assert [row.status for row in evaluation.rows] == ["ok"] * 8
    assert [row.values["deadline"] for row in evaluation.rows] == EXPECTED_DEADLINES
    plans = [row.plan for row in evaluation.rows]
    assert plans[0]["responsible_person"] == user("liaison_chengxi")
    assert plans[1]["check_item"].ordinal == 5  # written as the number 5
    assert plans[2]["unit"].name == "城西区民政局"  # stray blanks around the unit name
    assert plans[2]["aspect"].title == "线索摸排不细致、不深入"
    assert plans[1]["milestones"] == [{"due_date": date(2026, 12, 1), "title": "完成逐户核查", "done": False},
                                      {"due_date": date(2026, 12, 15), "title": "完成停保和资金追回", "done": False}]
    assert plans[3]["milestones"] == [{"due_date": date(2026, 12, 10), "title": "建立台账", "done": False},
                                      {"due_date": date(2026, 12, 1), "title": "梳理超期线索", "done": True}]


def test_messy_ledger_imports_through_pages_and_jobs_then_reimport_adds_nothing(login, demo):
    client = login("liaison_chengxi")
    before = Problem.objects.count()
    data = (DATA / "ledger_messy.xls").read_bytes()
    job, html = preview_through_pages(client, "城西区问题台账.xls", data)
    assert job.result["rows_ok"] == 8 and job.result["errors"] == [] and job.result["can_confirm"]
    assert 'data-testid="count-ok">可导入 8 条' in html and 'data-testid="confirm-form"' in html
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "done", confirm.message
    assert confirm.result["created"] == 8 and confirm.result["link_url"] == "/problems/"
    assert confirm.message == "已导入 8 个问题，跳过 0 行（已导入或已存在）"
    assert Problem.objects.count() == before + 8
    problem = Problem.objects.get(description="交办线索办理超期，2条线索未在规定时限内反馈。")
    assert (problem.unit.name, problem.rectification_type, problem.deadline, problem.created_by.username) == (
        "城西区民政局基层政权股", "long_term", date(2026, 12, 31), "liaison_chengxi")
    assert [(m.due_date, m.done) for m in problem.milestones.all()] == [(date(2026, 12, 1), True),
                                                                        (date(2026, 12, 10), False)]
    event = AuditEvent.objects.filter(event_type="import", action="problems").get()
    assert event.after["created"] == 8 and event.after["file_name"] == "城西区问题台账.xls"
    # The same file again (as .xlsx this time): every row is 已导入，将跳过; nothing to confirm, nothing written.
    again, html = preview_through_pages(client, "again.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    assert (again.result["rows_ok"], again.result["rows_existing"], again.result["errors"]) == (0, 8, [])
    assert "已导入，将跳过 8 条" in html and 'data-testid="confirm-form"' not in html
    assert "文件中的问题都已在系统中，没有需要导入的新问题。" in html
    response = client.post(f"/problems/import/{again.pk}/", {"action": "confirm"})
    assert "预览中有错误或没有可导入的问题，不能确认导入。请改正后重新上传。" in response.content.decode()
    assert Problem.objects.count() == before + 8
    # Confirming the first preview a second time: it says it was imported, and nothing is written.
    response = client.post(f"/problems/import/{job.pk}/", {"action": "confirm"})
    assert "已导入：新增 8 个问题（" in response.content.decode() and "同一文件不能重复导入" in response.content.decode()
    assert Problem.objects.count() == before + 8


# --------------------------------------------------------------------------------------------------------------
# Errors: every one located; one bad row writes nothing

BAD_ROW_ERRORS = [
    ("问题整改台账", 3, "B列（责任单位）", "“城东区民政局”不是您可以登记问题的单位，请从下拉列表中选择"),
    ("问题整改台账", 4, "J列（整改时限）", "日期不存在：2026-02-30"),
    ("问题整改台账", 5, "H列（整改类型）", "“马上整改”不是可选项，应为：立即整改、限期整改、长期整改"),
    ("问题整改台账", 6, "K列（整改节点）", "限期整改须倒排时间表：请至少填写一个节点及其完成时限"),
    ("问题整改台账", 7, "F列（问题描述）", "请填写问题描述"),
    ("问题整改台账", 9, "A列（问题编号）", "问题编号“P999999”不存在或不在您的管理范围内；新问题请将问题编号留空"),
    ("问题整改台账", 10, "E列（反馈方面）", "督导组反馈问题须选择所属方面"),
    ("问题整改台账", 11, "K列（整改节点）", "节点时限不能晚于整改时限"),
    ("问题整改台账", 12, "", "与第2行是同一问题（责任单位、查摆事项、问题描述、整改时限均相同）"),
    ("问题整改台账", 13, "C列（查摆事项）", "“（九）不存在的事项”不是本专项行动的查摆事项，请从下拉列表中选择"),
]


def test_bad_rows_are_each_located_and_nothing_is_written(login, demo, user):
    client = login("liaison_chengxi")
    before = Problem.objects.count()
    job, html = preview_through_pages(client, "bad_rows.xlsx", (DATA / "bad_rows.xlsx").read_bytes())
    errors = [(e["sheet"], e["row"], e["column"], e["message"]) for e in job.result["errors"]]
    assert errors == BAD_ROW_ERRORS
    # Row 8 names a 责任人 with no account: that is allowed (the name is kept, no account is linked).
    assert (job.result["rows_ok"], job.result["errors_total"], job.result["can_confirm"]) == (2, 10, False)
    assert 'data-testid="confirm-form"' not in html and "错误 10 处" in html
    assert "第6行" in html and "K列（整改节点）" in html and "限期整改须倒排时间表" in html
    # Confirm refused from the page, and the confirm step itself re-checks and writes nothing.
    response = client.post(f"/problems/import/{job.pk}/", {"action": "confirm"})
    assert "预览中有错误或没有可导入的问题" in response.content.decode()
    with pytest.raises(Invalid, match="导入文件中有 10 处错误，未导入任何问题。请重新上传并预览。"):
        importing.run_confirm(user("liaison_chengxi"), job.params)
    assert Problem.objects.count() == before


def test_one_bad_row_among_good_ones_writes_nothing_and_names_that_row(login, demo):
    good = [list(made.GOOD) for _ in range(3)]
    for number, row in enumerate(good, start=1):
        row[5] = f"第{number}个问题。"
    bad = list(made.GOOD)
    bad[5], bad[9] = "时限写错的问题。", "下周一"
    before = Problem.objects.count()
    job, html = preview_through_pages(login("liaison_chengxi"), "one_bad.xlsx",
                                      workbook_bytes([good[0], good[1], bad, good[2]]))
    assert job.result["errors"] == [{
        "sheet": "问题整改台账", "row": 4, "column": "J列（整改时限）",
        "message": "“下周一”不是可识别的日期，请写成 YYYY-MM-DD（如 2026-03-05）"}]
    assert job.result["rows_ok"] == 3 and not job.result["can_confirm"]
    assert "第4行" in html and "J列（整改时限）" in html
    assert Problem.objects.count() == before


def test_a_past_deadline_is_importable_but_said_before_confirming(login, demo):
    late, on_time = list(made.GOOD), list(made.GOOD)
    late[5], late[9] = "台账里早已逾期的问题。", "2026-03-31"
    on_time[5] = "时限未到的问题。"
    client = login("liaison_chengxi")
    job, html = preview_through_pages(client, "past.xlsx", workbook_bytes([on_time, late]))
    assert (job.result["rows_ok"], job.result["can_confirm"], job.result["past_due_total"]) == (2, True, 1)
    assert job.result["past_due"] == [{"row": 3, "message": "整改时限 2026-03-31 已过，导入后即为逾期"}]
    assert "其中整改时限已过 1 条" in html and "可导入（已逾期）" in html
    assert "第3行：整改时限 2026-03-31 已过，导入后即为逾期" in html
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "done", confirm.message
    assert chengxi_problems().get(description="台账里早已逾期的问题。").deadline == date(2026, 3, 31)


def test_an_unresolved_unit_or_date_is_shown_as_typed_in_the_preview(login, demo):
    row = list(made.GOOD)
    row[1], row[9] = "城西区民正局", "下周一"
    job, html = preview_through_pages(login("liaison_chengxi"), "typo.xlsx", workbook_bytes([row]))
    sample = job.result["sample"][0]
    assert (sample["unit"], sample["deadline"], sample["status"]) == ("城西区民正局", "下周一", "error")
    assert "城西区民正局" in html


def test_a_file_over_the_row_limit_is_refused_whole(login, demo, settings):
    settings.IMPORT_MAX_ROWS = 3  # the default is 200,000 rows a file
    rows = [list(made.GOOD) for _ in range(4)]
    for number, row in enumerate(rows, start=1):
        row[5] = f"第{number}个问题。"
    before = Problem.objects.count()
    response = upload(login("liaison_chengxi"), "four.xlsx", workbook_bytes(rows))
    job = Job.objects.filter(kind="problems.import_preview").latest("pk")
    assert job.status == "failed" and job.message == "工作表“问题整改台账”的数据超过 3 行，请拆分后分批导入。"
    assert response.status_code == 302 and Problem.objects.count() == before


def test_confirm_checks_again_and_writes_nothing_when_the_data_changed(login, demo, user):
    """A unit renamed between preview and confirm: the confirm job fails with the count, nothing is written."""
    client = login("liaison_chengxi")
    rows = [list(made.GOOD), list(made.GOOD)]
    rows[1][1], rows[1][5] = "城西区民政局办公室", "另一个问题。"
    job, _ = preview_through_pages(client, "ok.xlsx", workbook_bytes(rows))
    assert job.result["can_confirm"]
    Unit.objects.filter(name="城西区民政局办公室").update(name="城西区民政局综合办公室")
    before = Problem.objects.count()
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "failed"
    assert confirm.message == "导入文件中有 1 处错误，未导入任何问题。请重新上传并预览。"
    assert Problem.objects.count() == before
    # The preview says the confirm failed (a failed confirm wrote nothing, so it is not shown as imported).
    html = client.get(f"/problems/import/{job.pk}/").content.decode()
    assert "上次确认导入未成功，未导入任何问题：导入文件中有 1 处错误" in html
    assert 'data-testid="import-confirmed"' not in html and 'data-testid="count-ok">可导入 2 条' in html


# --------------------------------------------------------------------------------------------------------------
# After the confirm: the preview is history, and a second confirm (page or API) starts nothing

def test_a_confirmed_preview_reads_as_history_and_cannot_be_confirmed_again(login, api, demo):
    client = login("liaison_chengxi")
    job, _ = preview_through_pages(client, "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "done" and confirm.result["created"] == 8
    before = Problem.objects.count()
    # Reached again from 我的后台任务 → 查看结果.
    assert f'href="/problems/import/{job.pk}/"' in client.get(f"/jobs/{job.pk}/").content.decode()
    html = client.get(f"/problems/import/{job.pk}/").content.decode()
    when = timezone.localtime(Job.objects.get(pk=confirm.pk).finished_at)
    assert f"已导入：新增 8 个问题（{when:%Y-%m-%d %H:%M}）" in html
    assert 'href="/problems/" data-testid="import-list-link"' in html
    assert f'href="/jobs/{confirm.pk}/" data-testid="import-job-link"' in html
    assert 'data-testid="confirm-form"' not in html and 'data-testid="cancel-import"' not in html
    assert 'data-testid="count-ok">已导入 8 条' in html and "可导入" not in html
    assert html.count('<span class="badge bg-green-lt" title="">已导入</span>') == 8
    # Each imported row now carries the number its problem got, as in the ledger.
    created = {f"P{pk:06d}" for pk in Problem.objects.order_by("-pk").values_list("pk", flat=True)[:8]}
    shown = set(re.findall(r'<td class="text-nowrap">(P\d{6})</td>', html))
    assert shown == created and "（新）" not in html
    # A second confirm, by page or by API, is refused with that message and queues no job.
    response = client.post(f"/problems/import/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 200 and "同一文件不能重复导入" in response.content.decode()
    response = api("liaison_chengxi").post(f"/api/v1/imports/{job.pk}/confirm")
    assert response.status_code == 409
    assert response.json()["message"] == f"已导入：新增 8 个问题（{when:%Y-%m-%d %H:%M}）。同一文件不能重复导入。"
    assert Job.objects.filter(kind="problems.import_confirm").count() == 1
    assert Problem.objects.count() == before


def test_a_preview_whose_confirm_is_still_running_says_so_and_offers_no_second_confirm(login, api, demo, user):
    client = login("liaison_chengxi")
    job, _ = preview_through_pages(client, "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    # As the worker leaves it mid-way (tests run jobs eagerly, so the row is set up as the queue would hold it).
    running = Job.objects.create(kind="problems.import_confirm", label="导入问题整改台账：写入", status="running",
                                 owner=user("liaison_chengxi"), params={**job.params, "preview_job": job.pk})
    html = client.get(f"/problems/import/{job.pk}/").content.decode()
    assert "正在导入：该文件已确认导入，正在写入问题" in html and f'href="/jobs/{running.pk}/"' in html
    assert 'data-testid="confirm-form"' not in html
    response = api("liaison_chengxi").post(f"/api/v1/imports/{job.pk}/confirm")
    assert response.status_code == 409 and response.json()["message"].startswith("正在导入")
    assert Job.objects.filter(kind="problems.import_confirm").count() == 1
    assert not chengxi_problems().filter(description__startswith="党组研究扫黑除恶工作").exists()


# --------------------------------------------------------------------------------------------------------------
# Round trip with the real ledger export

def _export(actor) -> bytes:
    buffer = io.BytesIO()
    exporting.export_problems(actor, queries.ProblemFilters(), buffer)
    return buffer.getvalue()


def test_export_then_import_of_the_same_file_changes_nothing(login, demo, user):
    actor = user("liaison_chengxi")
    job, _ = preview_through_pages(login("liaison_chengxi"), "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    assert confirm_through_pages(login("liaison_chengxi"), job).status == "done"
    register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="=1+1 以等号开头的描述",
             person="liaison_chengxi", rectification_type="deadline", measures="-先核实", deadline=date(2026, 12, 30),
             milestones=[{"title": "核实", "due_date": date(2026, 12, 1)}])
    snapshot = list(chengxi_problems().order_by("pk").values())
    exported = _export(actor)
    client = login("liaison_chengxi")
    again, html = preview_through_pages(client, "问题整改台账.xlsx", exported)
    total = len(snapshot)
    assert again.result["sheet"] == "问题整改台账"
    assert (again.result["rows_total"], again.result["rows_existing"], again.result["rows_changed"],
            again.result["rows_ok"], again.result["errors"]) == (total, total, 0, 0, [])
    assert "已存在，将跳过" in html
    assert list(chengxi_problems().order_by("pk").values()) == snapshot


def test_exported_row_changed_in_excel_is_reported_and_never_overwritten(login, demo, user):
    problem = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="原来的描述",
                       deadline=date(2026, 12, 31))
    workbook = load_workbook(io.BytesIO(_export(user("liaison_chengxi"))))
    sheet = workbook.active
    header_row = next(r for r in range(1, 8) if any(c.value == "问题描述" for c in sheet[r]))
    columns = {c.value: c.column for r in (header_row - 1, header_row) for c in sheet[r] if c.value}
    data_row = next(r for r in range(header_row + 1, sheet.max_row + 1)
                    if sheet.cell(row=r, column=columns["问题编号"]).value == importing.format_problem_no(problem.pk))
    sheet.cell(row=data_row, column=columns["问题描述"]).value = "在 Excel 里改过的描述"
    sheet.cell(row=data_row, column=columns["整改时限"]).value = "2027-01-31"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job, html = preview_through_pages(login("liaison_chengxi"), "改过.xlsx", buffer.getvalue())
    assert job.result["errors"] == [] and job.result["rows_changed"] == 1
    assert job.result["notices"] == [{"row": data_row, "message": (
        f"与系统中不一致，将跳过（请在系统中修改）：问题描述、整改时限与问题 {importing.format_problem_no(problem.pk)} 不同")}]
    assert "与系统不一致，将跳过 1 条" in html
    problem.refresh_from_db()
    assert (problem.description, problem.deadline) == ("原来的描述", date(2026, 12, 31))


def test_a_number_from_another_unit_is_an_error_not_a_disclosure(login, demo):
    chengdong = register(demo, unit_name="城东区民政局", by="liaison_chengdong", description="城东的问题")
    row = list(made.GOOD)
    row[0] = importing.format_problem_no(chengdong.pk)
    job, html = preview_through_pages(login("liaison_chengxi"), "x.xlsx", workbook_bytes([row]))
    assert job.result["errors"] == [{
        "sheet": "问题整改台账", "row": 2, "column": "A列（问题编号）",
        "message": f"问题编号“{row[0]}”不存在或不在您的管理范围内；新问题请将问题编号留空"}]
    assert "城东的问题" not in html


# --------------------------------------------------------------------------------------------------------------
# The bad-file corpus: refused at upload with the exact message

FILE_ERRORS = [
    ("ledger.csv", "只能导入 Excel 文件（.xlsx 或 .xls），“ledger.csv”不是。请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"),
    ("word_renamed.xlsx", "文件“word_renamed.xlsx”是 Word 文档，不是 Excel 文件。请上传按模板填写的 Excel 表格。"),
    ("damaged.xls", "文件“damaged.xls”不是有效的 Excel（.xls）文件。请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"),
    ("empty.xlsx", "工作表“Sheet1”是空的，没有可导入的内容。请在第一个工作表中按模板填写后再上传。"),
    ("wrong_header.xlsx", "工作表“线索清单”的前 30 行中找不到表头（应含：责任单位*、问题来源*、问题描述*、整改类型*、"
                          "整改措施*、整改时限*），请使用下载的模板填写。"),
    ("missing_column.xlsx", "工作表“问题台账”第1行的表头缺少必填列：整改时限*。请使用下载的模板填写，不要修改表头。"),
]


@pytest.mark.parametrize(("name", "message"), FILE_ERRORS)
def test_bad_file_is_refused_at_upload_with_its_message(login, name, message):
    client = login("liaison_chengxi")
    response = upload(client, name, (DATA / name).read_bytes())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_text_renamed_xlsx_and_too_large_files_are_refused(login, settings):
    client = login("liaison_chengxi")
    response = upload(client, "台账.xlsx", "序号,问题描述\n1,某问题\n".encode())
    assert ("文件“台账.xlsx”不是有效的 Excel（.xlsx）文件。请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
            in response.content.decode())
    settings.ATTACHMENT_MAX_MB = 1
    response = upload(client, "大.xlsx", b"PK\x03\x04" + b"0" * (1536 * 1024))
    assert "文件“大.xlsx”大小为 1.5 MB，超过 1 MB 的上限。" in response.content.decode()
    assert not Job.objects.exists()


# --------------------------------------------------------------------------------------------------------------
# Scope and ownership

def test_liaison_cannot_import_into_another_unit(login, demo):
    row = list(made.GOOD)
    row[1], row[5] = "城东区民政局", "写给城东的问题。"
    before = Problem.objects.count()
    job, _ = preview_through_pages(login("liaison_chengxi"), "城东.xlsx", workbook_bytes([row]))
    assert job.result["errors"] == [{"sheet": "问题整改台账", "row": 2, "column": "B列（责任单位）",
                                     "message": "“城东区民政局”不是您可以登记问题的单位，请从下拉列表中选择"}]
    assert Problem.objects.count() == before


def test_someone_elses_preview_is_not_found_and_users_without_the_permission_are_refused(login, demo):
    job, _ = preview_through_pages(login("liaison_chengxi"), "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    other = login("liaison_chengdong")
    assert other.get(f"/problems/import/{job.pk}/").status_code == 404
    assert other.post(f"/problems/import/{job.pk}/", {"action": "confirm"}).status_code == 404
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert login("auditor").get("/problems/import/").status_code == 403
    assert login("auditor").get("/problems/import/template/").status_code == 403
    assert not Problem.objects.filter(description__startswith="党组研究扫黑除恶工作").exists()


def test_cancel_discards_the_upload(login, demo):
    client = login("liaison_chengxi")
    job, _ = preview_through_pages(client, "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    response = client.post(f"/problems/import/{job.pk}/", {"action": "cancel"})
    assert response.status_code == 302 and response["Location"] == "/problems/import/"
    # Back on the preview later: it no longer offers a confirm that can only fail.
    html = client.get(f"/problems/import/{job.pk}/").content.decode()
    assert 'data-testid="confirm-form"' not in html and 'data-testid="import-expired"' in html
    assert "上传的文件已过期或已放弃" in html
    response = client.post(f"/problems/import/{job.pk}/", {"action": "confirm"})
    assert "上传的文件已过期或已导入，请重新上传。" in response.content.decode()


# --------------------------------------------------------------------------------------------------------------
# API

def test_api_template_upload_preview_and_confirm(api, demo):
    client = api("liaison_chengxi")
    response = client.get("/api/v1/imports/template?ledger=problems")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["问题整改台账", "填写说明"]
    clue_template = client.get("/api/v1/imports/template?ledger=clues")
    assert clue_template.status_code == 404  # the clue template is the office's
    office = api("office")
    assert load_workbook(io.BytesIO(office.get("/api/v1/imports/template?ledger=clues").content)).sheetnames == [
        "线索清单", "填写说明"]
    assert client.get("/api/v1/imports/template?ledger=cars").json()["message"] == "不支持的台账：“cars”。可选：problems、clues、ledgers"

    response = client.post("/api/v1/imports", {"ledger": "problems", "file": SimpleUploadedFile(
        "messy.xlsx", (DATA / "ledger_messy.xlsx").read_bytes(), content_type=XLSX)})
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["id"] == started["job"]
    job = client.get(f"/api/v1/jobs/{started['job']}").json()
    assert job["status"] == "done"
    assert (job["result"]["rows_ok"], job["result"]["errors"], job["result"]["can_confirm"]) == (8, [], True)

    other = api("liaison_chengdong")
    assert other.post(f"/api/v1/imports/{started['id']}/confirm").status_code == 404
    before = Problem.objects.count()
    response = client.post(f"/api/v1/imports/{started['id']}/confirm")
    assert response.status_code == 202
    confirm = client.get(f"/api/v1/jobs/{response.json()['job']}").json()
    assert confirm["status"] == "done" and confirm["result"]["created"] == 8
    assert Problem.objects.count() == before + 8


def test_api_refuses_bad_files_with_the_chinese_message(api, demo):
    client = api("liaison_chengxi")
    response = client.post("/api/v1/imports", {"ledger": "problems", "file": SimpleUploadedFile(
        "ledger.csv", (DATA / "ledger.csv").read_bytes(), content_type="text/csv")})
    assert response.status_code == 422
    assert response.json()["message"] == FILE_ERRORS[0][1]
    response = client.post("/api/v1/imports", {"ledger": "problems", "file": SimpleUploadedFile(
        "bad_rows.xlsx", (DATA / "bad_rows.xlsx").read_bytes(), content_type=XLSX)})
    job = client.get(f"/api/v1/jobs/{response.json()['job']}").json()
    assert job["result"]["errors"][0] == {"sheet": "问题整改台账", "row": 3, "column": "B列（责任单位）",
                                          "message": "“城东区民政局”不是您可以登记问题的单位，请从下拉列表中选择"}
    response = client.post(f"/api/v1/imports/{job['id']}/confirm")
    assert response.status_code == 422
    assert response.json()["message"] == "预览中有错误或没有可导入的问题，不能确认导入。请改正后重新上传。"
    # The clue batch import is the office's (tests/test_api_completeness.py): for a liaison it does not exist.
    response = client.post("/api/v1/imports", {"ledger": "clues", "file": SimpleUploadedFile(
        "c.xlsx", (DATA / "bad_rows.xlsx").read_bytes(), content_type=XLSX)})
    assert response.status_code == 404


def test_a_plan_needing_milestones_in_a_file_without_that_column_says_where_to_add_them(login, demo):
    """An exported ledger has no 整改节点 column: a new 限期整改 row added to it is told what to add."""
    keep = [i for i, header in enumerate(made.TEMPLATE_HEADERS) if header != "整改节点"]
    row = list(made.GOOD)
    row[7] = "限期整改"
    data = workbook_bytes([[row[i] for i in keep]], headers=[made.TEMPLATE_HEADERS[i] for i in keep])
    job, _ = preview_through_pages(login("liaison_chengxi"), "no_milestones.xlsx", data)
    assert job.result["errors"] == [{
        "sheet": "问题整改台账", "row": 2, "column": "（整改节点）",
        "message": "限期整改须倒排时间表：请至少填写一个节点及其完成时限（请增加“整改节点”列，每行一个节点：完成时限 节点内容）"}]
