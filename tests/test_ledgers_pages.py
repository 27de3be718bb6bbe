"""Ledger pages, API and export: what the office and the liaisons see and do, in scope."""

import io

from openpyxl import Workbook, load_workbook

from qicha.jobs.models import Job
from qicha.ledgers.models import LedgerDefinition, LedgerRow

from .ledger_helpers import add_row
from .test_ledgers_definitions import header_file


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "rows.xlsx"
    return buffer


def test_sidebar_and_home_list_the_builtin_ledgers_with_counts(login, user, unit):
    add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"))
    page = login("liaison_chengdong").get("/ledgers/")
    text = page.content.decode()
    assert "专项治理台账" in text and "农村低保专项治理台账" in text and "殡葬乱象整治台账" in text
    assert 'data-testid="count-dibao">1<' in text
    assert 'data-testid="count-dibao">0<' in login("liaison_chengxi").get("/ledgers/").content.decode()


def test_liaison_fills_a_row_on_the_generated_form(login, unit):
    client = login("liaison_chengdong")
    form = client.get("/ledgers/social_org/new/").content.decode()
    assert "统一社会信用代码" in form and "非法社会组织" in form
    bad = client.post("/ledgers/social_org/new/", {"unit": unit("城东区民政局").pk, "org_name": "某协会",
                                                  "credit_code": "91350100M000100Y42", "case_kind": "活动异常",
                                                  "found_on": "2026-03-05", "situation": "x", "action": ["取缔"],
                                                  "closed": "否"})
    assert bad.status_code == 200 and "校验码错误" in bad.content.decode() and not LedgerRow.objects.exists()
    ok = client.post("/ledgers/social_org/new/", {"unit": unit("城东区民政局").pk, "org_name": "某协会",
                                                 "credit_code": "91350100M000100Y43", "case_kind": "活动异常",
                                                 "found_on": "2026-03-05", "situation": "x", "action": ["取缔", "警告"],
                                                 "closed": "否"})
    row = LedgerRow.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/ledgers/social_org/{row.pk}/"
    detail = client.get(ok["Location"]).content.decode()
    assert "取缔、警告" in detail and "91350100M000100Y43" in detail
    edit = client.post(f"/ledgers/social_org/{row.pk}/edit/", {"version": 1, "org_name": "某协会（更名）",
                       "credit_code": "91350100M000100Y43", "case_kind": "活动异常", "found_on": "2026-03-05",
                       "situation": "x", "action": ["取缔"], "closed": "是"})
    assert edit.status_code == 302 and LedgerRow.objects.get().values["org_name"] == "某协会（更名）"
    stale = client.post(f"/ledgers/social_org/{row.pk}/edit/", {"version": 1, "org_name": "again", "case_kind": "活动异常",
                        "found_on": "2026-03-05", "situation": "x", "action": ["取缔"], "closed": "是"})
    assert "已被他人修改" in stale.content.decode()


def test_another_district_gets_404_on_page_api_and_export(login, api, user, unit):
    row = add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"))
    assert login("liaison_chengxi").get(f"/ledgers/dibao/{row.pk}/").status_code == 404
    assert login("liaison_chengxi").get(f"/ledgers/dibao/{row.pk}/edit/").status_code == 404
    assert api("liaison_chengxi").get(f"/api/v1/ledgers/dibao/rows/{row.pk}").status_code == 404
    assert api("liaison_chengxi").get("/api/v1/ledgers/dibao/rows").json()["count"] == 0
    response = api("liaison_chengxi").post("/api/v1/ledgers/dibao/rows", {"unit": unit("城东区民政局").pk, "values": {}},
                                           content_type="application/json")
    assert response.status_code == 404
    login("liaison_chengxi").post("/jobs/export/ledgers/?definition=dibao")
    job = Job.objects.filter(owner=user("liaison_chengxi")).get()
    assert job.status == "done" and job.result["rows"] == 0


def test_export_in_ledger_layout_masked_and_filtered(login, user, unit):
    liaison = user("liaison_chengdong")
    add_row(liaison, "dibao", unit("城东区民政局"))
    add_row(liaison, "dibao", unit("城东区民政局"), head_id="33010219800101123X", kind="错保", head_name="李四")
    client = login("office")
    response = client.post("/jobs/export/ledgers/?definition=dibao&f_kind=%E9%94%99%E4%BF%9D")
    assert response.status_code == 302
    job = Job.objects.filter(owner=user("office")).get()
    assert job.result["rows"] == 1
    from qicha.jobs.registry import result_dir

    path = next(result_dir(job.pk).iterdir())
    sheet = load_workbook(path).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert "农村低保专项治理台账" in cells[0][0]
    assert "筛选条件：问题类型：错保" in cells[1][0]
    header = cells[2]
    assert header[:4] == ["序号", "填报单位", "户主姓名", "户主身份证号"]
    assert cells[3][:4] == [1, "城东区民政局", "李四", "330102********123X"]


def test_import_template_errors_then_rows_and_reimport_changes_nothing(login, unit):
    client = login("liaison_chengdong")
    template = client.get("/ledgers/dibao/template/")
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["填报单位*", "户主姓名*", "户主身份证号*"]
    assert any("人情保" in str(v.formula1) or v.formula1.startswith("'选项'") for v in sheet.data_validations.dataValidation)
    assert "填写说明" in book.sheetnames
    good = ["城东区民政局", "王五", "11010519491231002X", "北村", "错保", "排查", "2026-03-01", "", "停保", "", "", "",
            "否"]
    bad = ["城东区民政局", "赵六", "110105194912310021", "南村", "乱保", "排查", "2026-02-30", "", "停保", "", "", "", "否"]
    response = client.post("/ledgers/dibao/import/", {"file": xlsx([header, good, bad])})
    text = response.content.decode()
    assert "未导入任何记录" in text
    assert "工作表“Sheet” 第3行 C列（户主身份证号）：户主身份证号校验码错误" in text
    assert "第3行 E列（问题类型）" in text and "第3行 G列（发现日期）" in text
    assert not LedgerRow.objects.exists()
    second = list(good)
    second[1], second[2] = "孙七", "33010219800101123X"
    response = client.post("/ledgers/dibao/import/", {"file": xlsx([header, good, second])})
    assert response.status_code == 302 and LedgerRow.objects.count() == 2
    again = client.post("/ledgers/dibao/import/", {"file": xlsx([header, good, second])}, follow=True)
    assert LedgerRow.objects.count() == 2 and "跳过 2 条" in again.content.decode()


def test_definition_round_trip_on_the_page(login):
    client = login("office")
    upload = io.BytesIO(header_file("单位名称", "发现日期", "涉及金额（元）", "是否办结"))
    upload.name = "养老服务统计表.xlsx"
    page = client.post("/ledgers/definitions/from-excel/", {"file": upload}).content.decode()
    assert 'value="养老服务统计表"' in page and 'value="发现日期"' in page
    form = {"name": "养老服务统计表", "frequency": "monthly", "check_item": "5",
            "col-0-label": "单位名称", "col-0-type": "unit", "col-0-order": "2",
            "col-1-label": "发现日期", "col-1-type": "date", "col-1-order": "1", "col-1-required": "on",
            "col-2-label": "涉及金额（元）", "col-2-type": "amount", "col-2-order": "3",
            "col-3-label": "是否办结", "col-3-type": "yesno", "col-3-order": "4",
            "col-4-label": "", "col-4-type": "text", "unique": "单位名称、发现日期"}
    preview = client.post("/ledgers/definitions/new/", {**form, "preview": "1"}).content.decode()
    assert "表单预览" in preview and not LedgerDefinition.objects.filter(name="养老服务统计表").exists()
    saved = client.post("/ledgers/definitions/new/", form)
    created = LedgerDefinition.objects.get(name="养老服务统计表")
    assert saved["Location"] == f"/ledgers/{created.key}/"
    assert [c["label"] for c in created.columns] == ["发现日期", "单位名称", "涉及金额（元）", "是否办结"]
    assert created.unique_columns == [created.columns[1]["key"], created.columns[0]["key"]]
    edit = client.get(f"/ledgers/{created.key}/definition/").content.decode()
    assert 'value="发现日期"' in edit and "第1版" in edit and 'value="单位名称、发现日期"' in edit
    refused = client.post(f"/ledgers/{created.key}/definition/", {**form, "version": 1, "unique": "涉及金额（元）"})
    assert "不能作为判断重复的列" in refused.content.decode()
    assert login("liaison_chengdong").get("/ledgers/definitions/new/").status_code == 403


def test_api_definitions_and_rows(api, unit):
    office, liaison = api("office"), api("liaison_chengdong")
    listed = liaison.get("/api/v1/ledgers").json()["results"]
    assert {d["key"] for d in listed} >= {"social_org", "dibao", "funeral", "opinion"}
    created = liaison.post("/api/v1/ledgers/dibao/rows", {"unit": unit("城东区民政局").pk, "values": {
        "head_name": "张三", "head_id": "11010519491231002X", "village": "东村", "kind": "错保", "found_by": "排查",
        "found_on": "2026-03-01", "action": ["停保"], "closed": False}}, content_type="application/json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["values"]["head_id"] == "110105********002X" and row["version"] == 1
    bad = liaison.post("/api/v1/ledgers/dibao/rows", {"unit": unit("城东区民政局").pk, "values": {"found_on": "2026-13-01"}},
                       content_type="application/json")
    assert bad.status_code == 422 and "发现日期" in bad.json()["details"]["found_on"]
    patched = liaison.patch(f"/api/v1/ledgers/dibao/rows/{row['id']}", {"version": 1, "values": {"village": "西村"}},
                            content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["values"]["village"] == "西村" and patched.json()["version"] == 2
    stale = liaison.patch(f"/api/v1/ledgers/dibao/rows/{row['id']}", {"version": 1, "values": {"village": "北村"}},
                          content_type="application/json")
    assert stale.status_code == 409
    found = liaison.get("/api/v1/ledgers/dibao/rows?q=11010519491231002X").json()
    assert found["count"] == 1
    assert liaison.post("/api/v1/ledgers", {"name": "x", "columns": []}, content_type="application/json").status_code == 404
    made = office.post("/api/v1/ledgers", {"name": "信访积案台账", "frequency": "monthly", "columns": [
        {"label": "信访人", "type": "text", "required": True}, {"label": "办结日期", "type": "date"}]},
        content_type="application/json")
    assert made.status_code == 201, made.content
    key = made.json()["key"]
    changed = office.patch(f"/api/v1/ledgers/{key}", {"version": 1, "columns": [{"key": "c1", "label": "信访人姓名", "type": "text"}]},
                           content_type="application/json").json()
    assert changed["version"] == 2 and [c["label"] for c in changed["columns"]] == ["信访人姓名", "办结日期"]
    assert changed["columns"][1]["hidden"] is True


def test_a_row_opens_a_problem_in_the_problem_ledger(login, user, unit):
    from qicha.problems.models import Problem

    row = add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"))
    client = login("liaison_chengdong")
    assert 'data-testid="open-problem"' in client.get(f"/ledgers/dibao/{row.pk}/").content.decode()
    missing = client.post(f"/ledgers/dibao/{row.pk}/problem/", {"version": 1, "measures": "", "deadline": ""},
                          follow=True).content.decode()
    assert "未登记为问题" in missing and "请填写整改措施" in missing and not Problem.objects.filter(description__startswith="农村低保专项治理台账第").exists()
    response = client.post(f"/ledgers/dibao/{row.pk}/problem/", {"version": 1, "rectification_type": "deadline",
                                                                 "measures": "停发并追回", "deadline": "2026-12-31"})
    problem = Problem.objects.get(description__startswith="农村低保专项治理台账第")
    assert response["Location"] == f"/problems/{problem.pk}/"
    assert problem.unit == row.unit and problem.check_item.ordinal == 5 and "户主身份证号：110105********002X" in problem.description
    assert LedgerRow.objects.get(pk=row.pk).problem == problem
    assert 'data-testid="row-problem"' in client.get(f"/ledgers/dibao/{row.pk}/").content.decode()
    assert login("liaison_chengxi").post(f"/ledgers/dibao/{row.pk}/problem/", {"version": 2}).status_code == 404


def test_the_edit_form_keeps_identity_numbers_masked_and_an_unchanged_one_is_kept(login, user, unit):
    """No page shows a 身份证号 in clear: the edit form shows it masked; sent back as shown, the row keeps it."""
    import re

    from qicha.ledgers import columns

    from .ledger_helpers import DIBAO, definition

    row = add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"))
    client = login("liaison_chengdong")
    form = client.get(f"/ledgers/dibao/{row.pk}/edit/").content.decode()
    assert DIBAO["head_id"] not in form
    shown = re.search(r'name="head_id"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="head_id"', form)
    masked = next(group for group in shown.groups() if group)
    assert "*" in masked
    edit = client.post(f"/ledgers/dibao/{row.pk}/edit/", {**DIBAO, "head_id": masked, "village": "西湖村",
                                                          "action": DIBAO["action"], "version": row.version})
    assert edit.status_code == 302
    row.refresh_from_db()
    column = next(c for c in definition("dibao").columns if c["key"] == "head_id")
    assert row.values["village"] == "西湖村" and columns.clear(column, row.values["head_id"]) == DIBAO["head_id"]
