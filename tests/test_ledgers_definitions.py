"""Ledger definitions: the office defines and changes them; changes are versioned, audited and never lose data."""

import io

import pytest
from openpyxl import Workbook

from qicha.core.errors import Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.ledgers import services
from qicha.ledgers.models import LedgerRow

from .ledger_helpers import add_row, definition


def header_file(*headers, title_row=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["某某情况统计表"])
    sheet.append(list(headers))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_columns_guessed_from_an_excel_header_row(user):
    data = header_file("序号", "单位名称", "发现日期", "涉及金额（元）", "当事人身份证号", "联系电话", "统一社会信用代码",
                       "是否办结", "情况说明", "经营者")
    columns = services.definition_from_header(user("office"), data, "统计表.xlsx")
    assert [(c["label"], c["type"]) for c in columns] == [
        ("单位名称", "unit"), ("发现日期", "date"), ("涉及金额（元）", "amount"), ("当事人身份证号", "id_number"),
        ("联系电话", "phone"), ("统一社会信用代码", "credit_code"), ("是否办结", "yesno"), ("情况说明", "longtext"),
        ("经营者", "text")]
    with pytest.raises(NotFound):
        services.definition_from_header(user("liaison_chengdong"), data, "统计表.xlsx")


def test_office_defines_a_ledger_versioned_and_audited(user):
    office = user("office")
    created = services.create_definition(office, name="养老机构安全隐患台账", frequency="monthly", check_item=5,
                                         unit_kinds=["district_bureau"], columns=[
                                             {"label": "机构名称", "type": "text", "required": True},
                                             {"label": "隐患类型", "type": "choice", "options": "消防、食品、其他"}])
    assert [c["key"] for c in created.columns] == ["c1", "c2"]
    assert created.column("c2")["options"] == ["消防", "食品", "其他"]
    assert created.versions.get().number == 1
    assert AuditEvent.objects.filter(object_type="ledgers.ledgerdefinition", object_id=str(created.pk)).exists()
    with pytest.raises(Invalid) as error:
        services.create_definition(office, name="养老机构安全隐患台账", frequency="sometimes",
                                   columns=[{"label": "甲", "type": "choice"}, {"label": "甲", "type": "blob"}])
    assert set(error.value.details) >= {"name", "frequency", "columns.0.options", "columns.1.label", "columns.1.type"}


def test_definition_change_with_existing_rows(user, unit):
    office, liaison = user("office"), user("liaison_chengdong")
    d = definition("dibao")
    row = add_row(liaison, "dibao", unit("城东区民政局"))
    columns = [c for c in d.columns if c["key"] != "village"]  # removed → hidden, not dropped
    for c in columns:
        if c["key"] == "head_name":
            c["label"] = "户主"
    columns.insert(0, {"label": "核查人", "type": "text", "required": True})  # new required column
    changed = services.change_definition(office, d, version=1, columns=columns, note="按市局新表")
    assert changed.version == 2 and changed.versions.count() == 2
    assert changed.columns[0]["label"] == "核查人"
    village = changed.column("village")
    assert village["hidden"] and LedgerRow.objects.get(pk=row.pk).values["village"] == "东湖村"
    assert changed.column("head_name")["label"] == "户主"
    # The old row stays as it is; editing it now needs the new required column, and keeps the hidden value.
    with pytest.raises(Invalid) as error:
        services.update_row(liaison, row, version=1, values={"village": "改了", **_values(row)})
    assert error.value.details == {changed.columns[0]["key"]: "请填写核查人。"}
    services.update_row(liaison, row, version=1, values={**_values(row), changed.columns[0]["key"]: "王核查"})
    assert LedgerRow.objects.get(pk=row.pk).values["village"] == "东湖村"
    # A change that would make stored values invalid is explained and not applied.
    narrowed = [dict(c) for c in changed.columns]
    for c in narrowed:
        if c["key"] == "kind":
            c["options"] = ["错保", "漏保"]
    with pytest.raises(Invalid) as error:
        services.change_definition(office, changed, version=2, columns=narrowed)
    message = next(iter(error.value.details.values()))
    assert "已有 1 条记录的值不再符合要求" in message and "人情保" in message
    assert definition("dibao").version == 2
    with pytest.raises(Exception, match="已被他人修改"):
        services.change_definition(office, definition("dibao"), version=1, columns=changed.columns)


def _values(row):
    from qicha.ledgers import columns as col
    from qicha.ledgers.services import build_context

    ctx = build_context(row.created_by)
    return {c["key"]: col.form_initial(c, row.values.get(c["key"]), ctx) for c in row.definition.columns
            if c["key"] in row.values}
