"""Ledger column types: each parses what people type (form, API, Excel cell) or says in Chinese what is wrong."""

from datetime import date, datetime

import pytest

from qicha.core.crypto import blind_index
from qicha.core.excel_import import CellError
from qicha.ledgers import columns as col

CTX = col.Context(unit_names={"城东区民政局": 5}, unit_labels={5: "城东区民政局"},
                  link_exists=lambda kind, pk: (kind, pk) in {("problem", 12), ("clue", 34)},
                  attachment_exists=lambda pk: pk == 7)


def column(kind, **extra):
    return {"key": "x", "label": "测试列", "type": kind, "required": False, "help": "", "options": [], "hidden": False,
            **extra}


VALID = [
    (col.SHORT_TEXT, "  某某协会 ", "某某协会", "某某协会"),
    (col.LONG_TEXT, "第一行\r\n第二行", "第一行\n第二行", "第一行\n第二行"),
    (col.INTEGER, "1,200", 1200, "1200"),
    (col.INTEGER, 3.0, 3, "3"),
    (col.AMOUNT, "1200.5元", "1200.50", "1,200.50"),
    (col.DATE_T, "2026年3月5日", "2026-03-05", "2026-03-05"),
    (col.DATE_T, datetime(2026, 3, 5), "2026-03-05", "2026-03-05"),
    (col.YESNO, "是", True, "是"),
    (col.UNIT, "城东区民政局", 5, "城东区民政局"),
    (col.ID_NUMBER, "11010519491231002x", "11010519491231002X", "110105********002X"),
    (col.PHONE, "139 0000 0000", "13900000000", "139****0000"),
    (col.CREDIT_CODE, "91350100m000100y43", "91350100M000100Y43", "91350100M000100Y43"),
    (col.PLATE, "浙A·12345", "浙A12345", "浙A12345"),
    (col.PLATE, "浙AD12345", "浙AD12345", "浙AD12345"),
    (col.ATTACHMENT, "7", 7, "附件 7"),
    (col.LINK, "问题 12", "problem:12", "问题 12"),
    (col.LINK, "clue:34", "clue:34", "线索 34"),
]


@pytest.mark.parametrize(("kind", "raw", "stored", "shown"), VALID)
def test_valid_values_parse_and_display(kind, raw, stored, shown, settings, tmp_path):
    spec = column(kind)
    value = col.parse(spec, raw, CTX)
    assert value == stored
    assert col.display(spec, col.seal(spec, value), CTX) == shown


def test_choices_and_multiple_choices():
    spec = column(col.CHOICE_T, options=["人情保", "关系保"])
    assert col.parse(spec, " 关系保 ", CTX) == "关系保"
    multi = column(col.MULTI, options=["停保", "纳入", "追回资金"])
    assert col.parse(multi, "追回资金、停保", CTX) == ["停保", "追回资金"]
    assert col.display(multi, ["停保", "追回资金"]) == "停保、追回资金"


INVALID = [
    (col.SHORT_TEXT, "字" * 201, "不能超过 200 个字符"),
    (col.INTEGER, "三", "不是整数"),
    (col.AMOUNT, "12.345", "最多两位小数"),
    (col.AMOUNT, "一千元", "不是金额"),
    (col.DATE_T, "2026-02-30", "不存在"),
    (col.YESNO, "也许", "应填写“是”或“否”"),
    (col.UNIT, "城西区民政局", "找不到单位“城西区民政局”"),
    (col.ID_NUMBER, "110105194912310021", "校验码错误"),
    (col.ID_NUMBER, "110105194902300024", "出生日期"),
    (col.PHONE, "12345", "不是有效的电话号码"),
    (col.CREDIT_CODE, "91350100M000100Y42", "校验码错误"),
    (col.PLATE, "AB12345", "不是有效的车牌号"),
    (col.ATTACHMENT, "8", "附件不存在"),
    (col.LINK, "问题 99", "不存在或不在您的数据范围内"),
    (col.LINK, "12", "未说明是问题还是线索"),
]


@pytest.mark.parametrize(("kind", "raw", "message"), INVALID)
def test_invalid_values_say_what_is_wrong(kind, raw, message):
    with pytest.raises(CellError) as error:
        col.parse(column(kind), raw, CTX)
    assert message in error.value.message


def test_unknown_choice_lists_the_options():
    with pytest.raises(CellError, match="应为：人情保、关系保"):
        col.parse(column(col.CHOICE_T, options=["人情保", "关系保"]), "错保", CTX)
    with pytest.raises(CellError, match="“漏报”不是可选项"):
        col.parse(column(col.MULTI, options=["停保"]), "停保、漏报", CTX)


def test_sealed_values_are_encrypted_and_found_by_blind_index():
    spec = column(col.ID_NUMBER)
    sealed = col.seal(spec, "11010519491231002X")
    assert "11010519491231002X" not in sealed and "1949" not in sealed
    assert col.clear(spec, sealed) == "11010519491231002X"
    assert col.keys(spec, "11010519491231002X") == [blind_index("11010519491231002X", "id_number")]
    assert col.search_key(spec, "11010519491231002x") == blind_index("11010519491231002X", "id_number")


def test_export_keeps_numbers_and_dates_typed():
    assert col.export(column(col.DATE_T), "2026-03-05") == date(2026, 3, 5)
    assert str(col.export(column(col.AMOUNT), "1200.50")) == "1200.50"


@pytest.mark.parametrize(("header", "kind"), [
    ("发现日期", col.DATE_T), ("追回金额（元）", col.AMOUNT), ("户主身份证号", col.ID_NUMBER), ("联系电话", col.PHONE),
    ("统一社会信用代码", col.CREDIT_CODE), ("是否办结", col.YESNO), ("车牌号", col.PLATE), ("组织名称", col.SHORT_TEXT),
    ("问题情况", col.LONG_TEXT), ("涉及人数", col.INTEGER),
])
def test_types_guessed_from_header_words(header, kind):
    assert col.guess_type(header) == kind
