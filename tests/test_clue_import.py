"""Clue intake by imported batch (交办批次): template, preview, all-or-none confirm, idempotent re-import, scope."""

import hashlib
import importlib.util
import io
import os
import time
from datetime import date
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from qicha.clues import importing, services
from qicha.clues.models import Clue, ClueBatch, ClueSubject, Source
from qicha.core import excel_import as xl
from qicha.core.errors import Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.core.sensitive import lookup

DATA = Path(__file__).parent / "data" / "clues"
CENTRAL = DATA / "central_batch_20.xlsx"
BAD = DATA / "bad_rows.xlsx"
NOT_EXCEL = DATA / "not_excel.xlsx"
BATCH = {"source": Source.CENTRAL_GROUP, "batch_reference": "中央第5督导组第3批", "received_date": date(2026, 3, 10)}


def _make_files():
    spec = importlib.util.spec_from_file_location("clue_make_files", DATA / "make_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


made = _make_files()


def _upload(client, path: Path, **overrides):
    form = {"source": "central_group", "batch_reference": BATCH["batch_reference"], "received_date": "2026-03-10"}
    form.update(overrides)
    form["file"] = SimpleUploadedFile(path.name, path.read_bytes(), content_type=xl_mime())
    return client.post("/clues/import/", form)


def xl_mime() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------------------------------------------
# The generic reader and its parsers

@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-03-05", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)), ("2026年3月5日", date(2026, 3, 5)),
    ("20260305", date(2026, 3, 5)), (20260305, date(2026, 3, 5)), ("２０２６－０３－０５", date(2026, 3, 5)),
    ("2026.3.5", date(2026, 3, 5)), (" 2026-03-05 ", date(2026, 3, 5)), (46086, date(2026, 3, 5)),
    ("2026-03-05 00:00:00", date(2026, 3, 5)), (None, None), ("  ", None),
])
def test_date_parser_accepts_what_people_type(raw, expected):
    assert xl.parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("2026-02-30", "日期不存在：2026-02-30"),
    ("2026年13月1日", "日期不存在：2026年13月1日"),
    ("20260230", "日期不存在：20260230"),
    ("下周一", "“下周一”不是可识别的日期，请写成 YYYY-MM-DD（如 2026-03-05）"),
    (-3, "“-3”不是有效的日期"),
])
def test_date_parser_rejects_impossible_dates(raw, message):
    with pytest.raises(xl.CellError) as caught:
        xl.parse_date(raw)
    assert caught.value.message == message


def test_text_choice_boolean_and_header_normalising():
    assert xl.parse_text("　ＺＹ５－３　") == "ZY5-3"
    assert xl.parse_text(13905710006.0) == "13905710006"
    parse = xl.choice_parser((("central_group", "中央督导组交办"), ("proactive", "主动排查")))
    assert parse("中央督导组交办 ") == "central_group"
    assert parse("proactive") == "proactive"
    with pytest.raises(xl.CellError, match="应为：中央督导组交办、主动排查"):
        parse("上访")
    assert xl.parse_boolean("是") is True and xl.parse_boolean("否 ") is False and xl.parse_boolean("") is None
    with pytest.raises(xl.CellError, match="应填写“是”或“否”"):
        xl.parse_boolean("也许")
    assert xl.normalise_header(" 被反映人\n身份证号 ") == "被反映人身份证号"
    assert xl.normalise_header("线索编号＊") == "线索编号"
    assert xl.normalise_header("涉及　地区（必填）") == "涉及地区"


def test_rows_blank_in_every_known_column_are_skipped_even_when_numbered():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "线索编号*", "受理日期*"])
    sheet.append([1, "A-1", "2026-03-05"])
    sheet.append([2, None, "　"])  # numbered in advance, never filled
    sheet.append([3, "", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    columns = [xl.Column("ref", "线索编号", required=True), xl.Column("day", "受理日期", xl.DATE, required=True)]
    data = xl.read_sheet(buffer.getvalue(), "a.xlsx", columns)
    assert [(row.number, row.values) for row in data.rows] == [(2, {"ref": "A-1", "day": date(2026, 3, 5)})]
    assert data.errors == []


def test_missing_header_is_a_file_level_refusal():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(Invalid, match="找不到表头（应含：线索编号\\*、受理日期\\*、反映内容\\*、涉及领域\\*）"):
        xl.read_sheet(buffer.getvalue(), "a.xlsx", importing.COLUMNS)


def test_template_builder_long_lists_go_to_a_hidden_options_sheet_and_cells_are_neutralised():
    many = tuple((f"v{i}", f"选项{i:03d}") for i in range(80))
    columns = [xl.Column("a", "名称", required=True, example="=HYPERLINK(\"http://x\")"),
               xl.Column("b", "类别", xl.CHOICE, choices=many)]
    workbook = load_workbook(io.BytesIO(xl.build_template(columns, sheet_title="清单", examples=[{"a": "=1+1"}])))
    assert workbook.sheetnames == ["清单", "填写说明", "选项"]
    assert workbook["选项"].sheet_state == "hidden"
    assert [c.value for c in workbook["选项"]["A"]][:2] == ["选项000", "选项001"]
    formulas = [v.formula1 for v in workbook["清单"].data_validations.dataValidation]
    assert formulas == ["'选项'!$A$1:$A$80"]
    cells = [c.value for row in workbook["填写说明"].iter_rows() for c in row]
    assert "'=1+1" in cells and "=1+1" not in cells


# --------------------------------------------------------------------------------------------------------------
# Template download

def test_template_download_has_dropdowns_instructions_and_reads_back(login):
    response = login("office").get("/clues/import/template/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BA%BF%E7%B4%A2%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["线索清单", "填写说明"]
    sheet = workbook["线索清单"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["线索编号*", "受理日期*", "反映内容*", "涉及领域*", "涉及地区"]
    assert headers[-1] == "举报人联系电话"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet.max_row == 1  # the example is on the instructions sheet, never on the list
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations == {"D2:D1001": '"社会组织,低保,殡葬,基层组织,其他"', "J2:J1001": '"是,否"'}
    assert sheet.column_dimensions["G"].number_format == "@"  # identity numbers stay text
    help_text = "\n".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row if c.value)
    assert "每行填写一名被反映人和（或）一个被反映组织" in help_text
    assert "从下拉列表选择：社会组织、低保、殡葬、基层组织、其他" in help_text
    # The downloaded template itself is a valid (empty) import.
    data = xl.read_sheet(response.content, "t.xlsx", importing.COLUMNS)
    assert (data.sheet, data.header_row, data.rows) == ("线索清单", 1, [])


# --------------------------------------------------------------------------------------------------------------
# The realistic central-group batch

def _expected_row_count():
    return len(made.ROWS)


def test_central_batch_previews_twenty_rows(demo, user):
    preview = importing.preview(user("office"), demo, CENTRAL, **BATCH)
    assert preview.sheet == "交办清单"  # the hidden and very hidden sheets before it are skipped
    assert preview.errors == []
    assert len(preview.rows_ok) == _expected_row_count() == 20
    assert preview.rows_existing == []
    assert [row.number for row in preview.rows][9:11] == [13, 15]  # the whitespace-only row 14 is skipped


def test_central_batch_imports_through_the_pages(demo, login, user, settings):
    office = user("office")
    client = login("office")
    before = Clue.objects.count()
    response = _upload(client, CENTRAL)
    assert response.status_code == 302
    preview_url = response["Location"]
    assert preview_url.startswith("/clues/import/")
    page = client.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "可导入 20 条" in html and 'data-testid="confirm-form"' in html
    assert made.OLD_ID_15 not in html and made.WIDE_ID not in html  # no identity numbers on the page

    response = client.post(preview_url, {"action": "confirm"})
    batch = ClueBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clues/?batch={batch.pk}"
    assert _messages(response) == ["已导入 20 条线索（跳过 0 条已导入）"]
    assert client.get(response["Location"]).status_code == 200  # the clue list filtered by the batch
    assert Clue.objects.count() == before + 20
    assert (batch.campaign, batch.source, batch.reference, batch.received_date, batch.file_name, batch.created_by) == (
        demo, "central_group", "中央第5督导组第3批", date(2026, 3, 10), "central_batch_20.xlsx", office)
    assert batch.file_sha256 == hashlib.sha256(CENTRAL.read_bytes()).hexdigest()
    assert batch.clues.count() == 20

    clues = {c.reference_no: c for c in batch.clues.all()}
    assert "ZY5-3-012" in clues  # full-width digits folded
    first = clues["ZY5-3-001"]
    assert (first.received_date, first.domain, first.region, first.real_name, first.source, first.status) == (
        date(2026, 3, 2), "subsistence", "城西区新华街道幸福村", True, "central_group", "received")
    assert first.reporter_phone.clear() == "13905710001"
    assert clues["ZY5-3-002"].received_date == date(2026, 3, 2)  # serial number
    assert clues["ZY5-3-004"].received_date == date(2026, 3, 3)  # 2026/3/3
    assert clues["ZY5-3-005"].received_date == date(2026, 3, 4)  # 2026年3月4日
    assert clues["ZY5-3-006"].received_date == date(2026, 3, 4)  # 20260304
    assert clues["ZY5-3-020"].received_date == date(2026, 3, 9)  # 2026.3.9
    assert clues["ZY5-3-014"].domain == "subsistence"  # "低保 " with its trailing blank
    assert clues["ZY5-3-010"].real_name is False  # blank 是否实名

    # The 15-digit number was stored as its 18-digit form; found by blind index only.
    old = ClueSubject.objects.get(id_number_index=lookup("id_number", made.OLD_ID_18))
    assert old.clue == clues["ZY5-3-004"] and old.name == "李某某" and old.id_number.clear() == made.OLD_ID_18
    # Full-width digits of the reporter's number folded before storing.
    assert Clue.objects.get(reporter_id_number_index=lookup("id_number", made.WIDE_ID)) == clues["ZY5-3-007"]
    # A phone typed into a number cell.
    assert Clue.objects.get(reporter_phone_index=lookup("phone", "13905710006")) == clues["ZY5-3-006"]
    org = clues["ZY5-3-003"].subjects.get(kind="organisation")
    assert (org.name, org.credit_code) == ("南山县殡葬服务协会", made.ORG_CODES["南山县殡葬服务协会"])
    assert clues["ZY5-3-003"].subjects.get(kind="person").name == "刘某"

    event = AuditEvent.objects.get(event_type="import")
    assert (event.actor, event.object_type, event.object_id) == (office, "clues.cluebatch", str(batch.pk))
    assert event.after == {"file_name": "central_batch_20.xlsx", "file_sha256": batch.file_sha256,
                                "sheet": "交办清单", "rows": 20, "created": 20, "skipped": 0}
    assert AuditEvent.objects.filter(event_type="create", object_type="clues.clue").count() >= 20
    # The stashed upload (personal data in clear) is gone once imported.
    assert not list((Path(settings.VAR_DIR) / "imports").glob("*.xlsx"))
    assert client.get(preview_url).status_code == 404


def test_importing_the_same_file_again_adds_nothing_and_reports_existing(demo, user, login):
    office = user("office")
    first = importing.confirm_import(office, demo, CENTRAL, **BATCH)
    assert (first.created, first.skipped) == (20, 0)
    again = importing.preview(office, demo, CENTRAL, **BATCH)
    assert (len(again.rows_ok), len(again.rows_existing), again.errors) == (0, 20, [])
    client = login("office")
    page = client.get(_upload(client, CENTRAL)["Location"])
    assert "已导入，将跳过 20 条" in page.content.decode()
    second = importing.confirm_import(office, demo, CENTRAL, **BATCH)
    assert (second.created, second.skipped, second.batch) == (0, 20, first.batch)
    assert Clue.objects.filter(batch=first.batch).count() == 20
    assert ClueBatch.objects.count() == 1


def test_a_clue_registered_between_preview_and_confirm_is_skipped_not_duplicated(demo, user):
    office = user("office")
    assert len(importing.preview(office, demo, CENTRAL, **BATCH).rows_ok) == 20
    services.register_clue(office, campaign=demo, source="central_group", reference_no="ZY5-3-005",
                           received_date=date(2026, 3, 4), content="已先行登记", domain="social_org")
    result = importing.confirm_import(office, demo, CENTRAL, **BATCH)
    assert (result.created, result.skipped) == (19, 1)
    assert Clue.objects.filter(reference_no="ZY5-3-005").count() == 1


def test_the_same_numbers_under_another_source_are_new_clues(demo, user):
    office = user("office")
    importing.confirm_import(office, demo, CENTRAL, **BATCH)
    other = importing.preview(office, demo, CENTRAL, **(BATCH | {"source": Source.HIGHER_OFFICE}))
    assert (len(other.rows_ok), len(other.rows_existing)) == (20, 0)


# --------------------------------------------------------------------------------------------------------------
# Errors: located exactly, and nothing written

EXPECTED_ERRORS = [
    {"sheet": "线索清单", "row": 3, "column": "B列（受理日期）", "message": "日期不存在：2026-02-30"},
    {"sheet": "线索清单", "row": 4, "column": "G列（被反映人身份证号）",
     "message": f"被反映人身份证号校验码错误：最后一位应为 {made.GOOD_ID[17]}"},
    {"sheet": "线索清单", "row": 5, "column": "C列（反映内容）", "message": "请填写反映内容"},
    {"sheet": "线索清单", "row": 6, "column": "D列（涉及领域）",
     "message": "“拆迁”不是可选项，应为：社会组织、低保、殡葬、基层组织、其他"},
    {"sheet": "线索清单", "row": 7, "column": "A列（线索编号）", "message": "线索编号“BAD-001”与第2行重复"},
    {"sheet": "线索清单", "row": 8, "column": "M列（举报人联系电话）", "message": "实名举报须留有联系电话或身份证号，以便答复"},
]


def test_bad_rows_are_each_located_and_nothing_is_written(demo, user, login):
    office = user("office")
    clues, batches, events = Clue.objects.count(), ClueBatch.objects.count(), AuditEvent.objects.count()
    preview = importing.preview(office, demo, BAD, **BATCH)
    assert preview.errors == EXPECTED_ERRORS
    assert [row.number for row in preview.rows_ok] == [2, 9]
    assert not preview.can_confirm
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.confirm_import(office, demo, BAD, **BATCH)
    assert rejected.value.preview.errors == EXPECTED_ERRORS

    client = login("office")
    preview_url = _upload(client, BAD)["Location"]
    html = client.get(preview_url).content.decode()
    assert "工作表“线索清单” 第3行 B列（受理日期）：日期不存在：2026-02-30" in html
    assert "工作表“线索清单” 第7行 A列（线索编号）：线索编号“BAD-001”与第2行重复" in html
    assert 'data-testid="confirm-form"' not in html
    response = client.post(preview_url, {"action": "confirm"})  # forced past the missing button
    assert response.status_code == 200
    assert "导入文件中有 6 处错误，未导入任何线索。" in _messages(response)
    assert (Clue.objects.count(), ClueBatch.objects.count()) == (clues, batches)
    assert AuditEvent.objects.count() == events + 1  # only the sign-in above


def test_a_failure_in_the_middle_of_confirm_writes_nothing(demo, user, monkeypatch):
    office = user("office")
    assert importing.preview(office, demo, CENTRAL, **BATCH).can_confirm
    clues, batches, events = Clue.objects.count(), ClueBatch.objects.count(), AuditEvent.objects.count()
    from qicha.clues.services import intake as intake_services

    real_create = intake_services.create_validated
    calls = []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 11:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(intake_services, "create_validated", failing_create)  # where record_batch writes each row
    with pytest.raises(RuntimeError):
        importing.confirm_import(office, demo, CENTRAL, **BATCH)
    assert len(calls) == 11
    assert (Clue.objects.count(), ClueBatch.objects.count(), AuditEvent.objects.count()) == (clues, batches, events)


def test_a_row_that_became_invalid_after_preview_blocks_the_whole_confirm(demo, user, monkeypatch):
    office = user("office")
    assert importing.preview(office, demo, CENTRAL, **BATCH).can_confirm
    real_validate = services.validate_intake

    def stricter(actor, campaign, fields):
        if fields["reference_no"] == "ZY5-3-015":
            raise Invalid(details={"region": "涉及地区不在本市范围内", "subjects.0.id_number": "号码已注销"})
        return real_validate(actor, campaign, fields)

    monkeypatch.setattr(services, "validate_intake", stricter)
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.confirm_import(office, demo, CENTRAL, **BATCH)
    assert rejected.value.preview.errors == [
        {"sheet": "交办清单", "row": 19, "column": "F列（涉及地区）", "message": "涉及地区不在本市范围内"},
        {"sheet": "交办清单", "row": 19, "column": "H列（被反映人身份证号）", "message": "号码已注销"},
    ]
    assert not Clue.objects.exists() and not ClueBatch.objects.exists()


def test_batch_inputs_are_checked(demo, user):
    with pytest.raises(Invalid) as caught:
        importing.preview(user("office"), demo, CENTRAL, source="rumour", batch_reference=" ",
                          received_date=date(2999, 1, 1))
    assert caught.value.details == {"source": "请选择线索来源", "batch_reference": "请填写批次号",
                                    "received_date": "交办日期不能晚于今天"}


# --------------------------------------------------------------------------------------------------------------
# Files that are not Excel, and who may import

def test_not_excel_is_refused_in_chinese(demo, login, user, settings):
    client = login("office")
    response = _upload(client, NOT_EXCEL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "文件“not_excel.xlsx”不是有效的 Excel（.xlsx）文件。请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。" in html
    assert not list((Path(settings.VAR_DIR) / "imports").glob("*.xlsx"))
    with pytest.raises(Invalid, match="不是有效的 Excel"):
        importing.preview(user("office"), demo, NOT_EXCEL, **BATCH)
    legacy = SimpleUploadedFile("清单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    response = client.post("/clues/import/", {"source": "central_group", "batch_reference": "X",
                                               "received_date": "2026-03-10", "file": legacy})
    assert "只能导入 Excel 工作簿（.xlsx）文件，“清单.xls”不是。" in response.content.decode()


def test_oversized_upload_is_refused(demo, login, settings):
    settings.ATTACHMENT_MAX_MB = 0.001  # about 1 KB
    response = _upload(login("office"), CENTRAL)
    assert "超过" in response.content.decode() and response.status_code == 200


def test_liaison_gets_404_on_every_import_page(demo, login):
    office = login("office")
    preview_url = _upload(office, CENTRAL)["Location"]
    liaison = login("liaison_chengxi")
    assert liaison.get("/clues/import/").status_code == 404
    assert liaison.get("/clues/import/template/").status_code == 404
    assert _upload(liaison, CENTRAL).status_code == 404
    assert liaison.get(preview_url).status_code == 404
    assert liaison.post(preview_url, {"action": "confirm"}).status_code == 404
    assert not Clue.objects.exists()


def test_service_refuses_non_office(demo, user):
    with pytest.raises(NotFound):
        importing.preview(user("liaison_chengxi"), demo, CENTRAL, **BATCH)
    with pytest.raises(NotFound):
        importing.confirm_import(user("liaison_chengxi"), demo, CENTRAL, **BATCH)


def test_only_the_uploader_may_use_a_stashed_file_and_stale_ones_are_swept(demo, user, settings):
    office, other = user("office"), user("leader")
    token = xl.stash(office, CENTRAL.read_bytes(), "a.xlsx", kind="clues")
    assert xl.load_stashed(office, token, kind="clues").file_name == "a.xlsx"
    for who, kind, name in ((other, "clues", token), (office, "problems", token), (office, "clues", "../secret_key")):
        with pytest.raises(NotFound):
            xl.load_stashed(who, name, kind=kind)
    folder = Path(settings.VAR_DIR) / "imports"
    old = time.time() - 2 * 24 * 3600
    for path in folder.glob(f"{token}.*"):
        os.utime(path, (old, old))
    xl.stash(office, CENTRAL.read_bytes(), "b.xlsx", kind="clues")  # every new upload sweeps stale ones
    assert not list(folder.glob(f"{token}.*"))
    with pytest.raises(NotFound):
        xl.load_stashed(office, token, kind="clues")


def test_the_same_batch_saved_by_libreoffice_reads_the_same(demo, user):
    original = importing.preview(user("office"), demo, CENTRAL, **BATCH)
    converted = importing.preview(user("office"), demo, DATA / "central_batch_20_libreoffice.xlsx", **BATCH)
    assert [r.values for r in converted.rows_ok] == [r.values for r in original.rows_ok]


def test_chinese_punctuation_is_kept_as_written():
    assert xl.parse_text("反映张某，收取“好处费”（每户500元）：属实？") == "反映张某，收取“好处费”（每户500元）：属实？"
    assert xl.parse_text("ＺＹ５－３　第１批") == "ZY5-3 第1批"
