"""Ledger rows elsewhere: in the 全局搜索, on the page of the clue they link to, in the summaries' tables, and
imported through `POST /api/v1/imports` — always in the reader's scope."""

import io

from docx import Document
from openpyxl import load_workbook

from qicha.core import registry
from qicha.documents import queries as summary_queries
from qicha.documents.summary import build_document, default_content
from qicha.jobs.models import Job
from qicha.ledgers.models import LedgerRow

from . import clue_helpers
from .ledger_helpers import add_row
from .test_ledgers_pages import xlsx


def test_global_search_finds_rows_by_text_and_by_whole_id_number_in_scope(login, user, unit):
    add_row(user("liaison_chengxi"), "dibao", unit("城西区民政局"), village="西岭村", head_name="张某某")
    add_row(user("liaison_chengdong"), "funeral", unit("城东区民政局"), kind="非法运尸", found_on="2026-03-18",
            situation="无资质车辆私自承运遗体", plates="浙A12345", place="南山县人民医院", closed="是")
    office = login("office")
    html = office.get("/search/", {"q": "西岭"}).content.decode()
    group = html[html.find('data-testid="search-group-ledgers"'):]
    assert "search-group-ledgers" in html and "农村低保专项治理台账" in group and "城西区民政局" in group
    by_number = office.get("/search/", {"q": "11010519491231002X"}).content.decode()
    hits = by_number[by_number.find('data-testid="search-group-ledgers"'):]
    assert "农村低保专项治理台账" in hits and "11010519491231002X" not in hits
    plate = office.get("/search/", {"q": "浙A12345"}).content.decode()
    assert "殡葬乱象整治台账" in plate[plate.find('data-testid="search-group-ledgers"'):]
    # Another district's liaison finds nothing of 城西's.
    assert "search-group-ledgers" not in login("liaison_chengdong").get("/search/", {"q": "西岭"}).content.decode()


def test_a_clues_page_lists_the_rows_that_link_to_it(login, user, unit, demo):
    clue = clue_helpers.intake(demo)
    row = add_row(user("office"), "opinion", unit("局扫黑办"), found_at="2026-04-01", channel="微博",
                  summary="网传某地低保“关系保”问题", level="一般", response=["澄清"], status="已处置", handler="王扫黑",
                  clue=f"线索 {clue.pk}")
    add_row(user("office"), "opinion", unit("局扫黑办"), found_at="2026-04-02", channel="微信", summary="无关舆情",
            level="一般", response=["引导"], status="监测中", handler="王扫黑")
    html = login("office").get(f"/clues/{clue.pk}/").content.decode()
    listed = html[html.find('data-testid="linked-records"'):]
    assert "关联的台账记录" in html and f'href="/ledgers/opinion/{row.pk}/"' in listed
    assert listed.count("/ledgers/opinion/") == 1
    # Whoever cannot see the row is not told of it.
    assert registry.linked_records(user("liaison_chengdong"), "clue", clue.pk) == []


def test_summaries_get_a_table_per_builtin_ledger_with_rows_and_a_sentence_resting_on_them(user, unit, demo, tmp_path):
    office = user("office")
    add_row(user("liaison_chengxi"), "dibao", unit("城西区民政局"), recovered="4800", closed="是")
    add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"), kind="错保", recovered="", closed="否",
            head_id="33010219800101123X")
    figures = summary_queries.summary_figures(office, demo)
    assert [t.title for t in figures.extra_tables] == ["农村低保专项治理台账情况"]  # no rows, no table
    table = figures.extra_tables[0]
    assert table.header[:4] == ["问题类型", "登记（条）", "已办结", "未办结"] and table.header[-1] == "追回金额（元）"
    assert table.rows[0] == ["人情保", 1, 1, 0, "4,800.00"] and table.rows[-1] == ["合计", 2, 1, 1, "4,800.00"]
    content = default_content(demo, "stage", figures)
    results = next(s["text"] for s in content.sections if s["heading"] == "取得的成效")
    assert ("专项治理方面，农村低保专项治理台账登记2条，其中人情保1条、错保1条，已办结1条、未办结1条，追回金额合计4,800.00元。"
            in results)
    assert "社会组织乱象整治台账" not in results and "殡葬" not in results
    path = tmp_path / "summary.docx"
    build_document(content, figures, path)
    doc = Document(str(path))
    assert len(doc.tables) == 8
    assert any(p.text.startswith("表8　农村低保专项治理台账情况") for p in doc.paragraphs)
    assert [c.text for c in doc.tables[7].rows[-1].cells][:3] == ["合计", "2", "1"]


def test_ledger_import_through_the_imports_api(api, unit):
    client = api("liaison_chengdong")
    template = client.get("/api/v1/ledgers/dibao/template")
    assert template.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    good = ["城东区民政局", "王五", "11010519491231002X", "北村", "错保", "排查", "2026-03-01", "", "停保", "", "", "", "否"]
    bad = ["城东区民政局", "赵六", "110105194912310021", "南村", "乱保", "排查", "2026-03-01", "", "停保", "", "", "", "否"]

    missing = client.post("/api/v1/imports", {"ledger": "ledgers", "file": xlsx([header, good])})
    assert missing.status_code == 422 and "definition" in missing.json()["details"]
    assert client.get("/api/v1/imports/template?ledger=ledgers").status_code == 422

    wrong = client.post("/api/v1/imports", {"ledger": "ledgers", "definition": "dibao", "file": xlsx([header, good, bad])})
    assert wrong.status_code == 202
    preview = client.get(f"/api/v1/jobs/{wrong.json()['job']}").json()["result"]
    assert preview["can_confirm"] is False and preview["rows_ok"] == 1
    assert any("第3行 E列（问题类型）" in e for e in preview["errors"])
    assert client.post(f"/api/v1/imports/{wrong.json()['id']}/confirm").status_code == 422
    assert not LedgerRow.objects.exists()

    started = client.post("/api/v1/imports", {"ledger": "ledgers", "definition": "dibao", "file": xlsx([header, good])})
    preview = client.get(f"/api/v1/jobs/{started.json()['job']}").json()["result"]
    assert preview["can_confirm"] is True and preview["rows_ok"] == 1 and not LedgerRow.objects.exists()
    confirm = client.post(f"/api/v1/imports/{started.json()['id']}/confirm")
    assert confirm.status_code == 202
    assert Job.objects.get(pk=confirm.json()["job"]).result["created"] == 1
    assert LedgerRow.objects.get().unit == unit("城东区民政局")
    again = client.post(f"/api/v1/imports/{started.json()['id']}/confirm")
    assert again.status_code == 409 and "同一文件不能重复导入" in again.json()["message"]
    # Another district cannot read the ledger it names through the import either.
    assert api("auditor").post("/api/v1/imports", {"ledger": "ledgers", "definition": "dibao",
                                                    "file": xlsx([header, good])}).status_code == 404


def test_a_column_that_becomes_text_is_searched_as_text(user, unit):
    from qicha.ledgers import queries, services
    from qicha.ledgers.models import LedgerDefinition

    row = add_row(user("liaison_chengxi"), "dibao", unit("城西区民政局"), found_by="数据比对")
    dibao = LedgerDefinition.objects.get(key="dibao")
    office = user("office")
    found = queries.row_list(office, dibao, queries.RowFilters(q="数据比对"))
    assert not found.exists()  # a choice is filtered, not searched as text
    columns = [{**c, "type": "text", "options": []} if c["key"] == "found_by" else c for c in dibao.columns]
    services.change_definition(office, dibao, version=dibao.version, columns=columns)
    dibao.refresh_from_db()
    assert list(queries.row_list(office, dibao, queries.RowFilters(q="数据比对"))) == [LedgerRow.objects.get(pk=row.pk)]
