"""Ledger rows: filled by a unit through the services, seen in scope, found by blind index, versions enforced."""

import pytest

from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.ledgers import queries, services
from qicha.ledgers.models import LedgerDefinition, LedgerRow, LedgerRowKey

from .ledger_helpers import DIBAO, add_row, definition


def test_the_four_builtin_ledgers_exist_after_migrate(db):
    names = set(LedgerDefinition.objects.filter(builtin=True).values_list("name", flat=True))
    assert names == {"社会组织乱象整治台账", "农村低保专项治理台账", "殡葬乱象整治台账", "舆情监测台账", "矛盾纠纷排查化解台账"}
    dibao = definition("dibao")
    assert [c["label"] for c in dibao.columns][:4] == ["户主姓名", "户主身份证号", "所在村（社区）", "问题类型"]
    assert dibao.column("kind")["options"] == ["人情保", "关系保", "错保", "漏保"]
    assert dibao.versions.count() == 1


def test_liaison_fills_a_row_sealed_and_audited(user, unit):
    liaison = user("liaison_chengdong")
    row = add_row(liaison, "dibao", unit("城东区民政局"))
    assert row.values["head_id"] != DIBAO["head_id"]  # SM4 ciphertext
    assert row.values["recovered"] == "3600.00" and row.values["action"] == ["停保", "追回资金"]
    stored = LedgerRow.objects.values_list("values", flat=True).get(pk=row.pk)
    assert "11010519491231002X" not in str(stored)
    event = AuditEvent.objects.filter(object_type="ledgers.ledgerrow", object_id=str(row.pk)).get()
    assert event.after["户主身份证号"] == "110105********002X"


def test_bad_values_name_the_column_and_write_nothing(user, unit):
    with pytest.raises(Invalid) as error:
        add_row(user("liaison_chengdong"), "social_org", unit("城东区民政局"),
                credit_code="91350100M000100Y42", found_on="2026-02-30", case_kind="乱收费", org_name="")
    details = error.value.details
    assert "统一社会信用代码：统一社会信用代码校验码错误" in details["credit_code"]
    assert "发现日期：日期不存在：2026-02-30" in details["found_on"]
    assert "问题类型：“乱收费”不是可选项" in details["case_kind"]
    assert details["org_name"] == "请填写组织名称。"
    assert not LedgerRow.objects.exists()


def test_the_same_organisation_and_case_twice_is_refused(user, unit):
    liaison, district = user("liaison_chengdong"), unit("城东区民政局")
    first = add_row(liaison, "social_org", district)
    with pytest.raises(Invalid, ) as error:
        add_row(liaison, "social_org", district, org_name="另一写法")
    assert f"与本单位已登记的第 {first.pk} 条记录重复（统一社会信用代码、问题类型相同）" in error.value.details["__all__"]
    add_row(liaison, "social_org", district, case_kind="活动异常")  # another case of the same organisation is fine


def test_another_district_cannot_fill_or_see(user, unit):
    row = add_row(user("liaison_chengdong"), "dibao", unit("城东区民政局"))
    chengxi = user("liaison_chengxi")
    with pytest.raises(NotFound):
        add_row(chengxi, "dibao", unit("城东区民政局"))
    with pytest.raises(NotFound):
        queries.get_row(chengxi, definition("dibao"), row.pk)
    assert not queries.row_list(chengxi, definition("dibao"), queries.RowFilters()).exists()
    assert queries.row_list(user("office"), definition("dibao"), queries.RowFilters()).get() == row


def test_identity_number_and_credit_code_are_found_through_the_blind_index(user, unit):
    liaison, district = user("liaison_chengdong"), unit("城东区民政局")
    row = add_row(liaison, "dibao", district)
    add_row(liaison, "dibao", district, head_name="李四", head_id="33010219800101123X")
    found = queries.row_list(liaison, definition("dibao"), queries.RowFilters(q="11010519491231002x"))
    assert list(found) == [row]
    org = add_row(liaison, "social_org", district)
    assert list(queries.row_list(liaison, definition("social_org"), queries.RowFilters(q="91350100M000100Y43"))) == [org]
    assert list(queries.row_list(liaison, definition("social_org"), queries.RowFilters(q="联谊会"))) == [org]
    assert LedgerRowKey.objects.filter(row=row, column="head_id").get().value != DIBAO["head_id"]


def test_filters_on_choice_date_unit_and_text_columns(user, unit):
    liaison = user("liaison_chengdong")
    a = add_row(liaison, "dibao", unit("城东区民政局"))
    b = add_row(liaison, "dibao", unit("城东区民政局社会救助股"), head_id="33010219800101123X", kind="错保",
                found_on="2026-04-10", village="西山村")
    d = definition("dibao")

    def ids(**params):
        return set(queries.row_list(liaison, d, queries.RowFilters.from_params(params, d)).values_list("pk", flat=True))

    assert ids(f_kind="错保") == {b.pk}
    assert ids(f_found_on_from="2026-04-01") == {b.pk}
    assert ids(f_found_on_to="2026-03-31") == {a.pk}
    assert ids(f_village="东湖") == {a.pk}
    assert ids(f_action="追回资金") == {a.pk, b.pk}
    assert ids(f_closed="否") == {a.pk, b.pk}
    assert ids(unit=str(unit("城东区民政局社会救助股").pk)) == {b.pk}
    bad = queries.RowFilters.from_params({"f_nothing": "1", "f_kind_from": "2026-01-01"}, d)
    assert set(bad.errors) == {"f_nothing", "f_kind_from"}


def test_update_needs_the_current_version(user, unit):
    liaison = user("liaison_chengdong")
    row = add_row(liaison, "dibao", unit("城东区民政局"))
    services.update_row(liaison, row, version=1, values={**DIBAO, "village": "南湖村"})
    assert LedgerRow.objects.get(pk=row.pk).values["village"] == "南湖村"
    with pytest.raises(Conflict):
        services.update_row(liaison, LedgerRow.objects.get(pk=row.pk), version=1, values=DIBAO)


def test_counts_by_unit_and_by_choice(user, unit):
    liaison = user("liaison_chengdong")
    add_row(liaison, "dibao", unit("城东区民政局"))
    add_row(liaison, "dibao", unit("城东区民政局"), head_id="33010219800101123X", kind="错保")
    d = definition("dibao")
    assert queries.counts_by_column(user("office"), d, "kind") == {"人情保": 1, "关系保": 0, "错保": 1, "漏保": 0}
    assert queries.counts_by_unit(user("office"), d) == [{"unit_id": unit("城东区民政局").pk,
                                                           "unit__name": "城东区民政局", "count": 2}]
    assert queries.counts_by_column(user("liaison_chengxi"), d, "kind")["错保"] == 0


def test_cockpit_figures_per_ledger_open_the_list_with_the_same_count(user, unit, login):
    from qicha.core.workbench import Viewer, figures_for

    liaison = user("liaison_chengdong")
    add_row(liaison, "dibao", unit("城东区民政局"))
    add_row(liaison, "dibao", unit("城东区民政局"), head_id="33010219800101123X", closed="是")
    figures = figures_for(Viewer(user("office")))["ledgers"]
    assert figures["dibao"].value == 2 and figures["dibao.open"].value == 1
    page = login("office").get(figures["dibao.open"].url).content.decode()
    assert "共 1 条" in page
    assert figures_for(Viewer(user("liaison_chengxi")))["ledgers"]["dibao"].value == 0


def test_demo_rows_load_once_through_the_services(user):
    from qicha.core.registry import DEMO_STEPS

    from .conftest import DEMO_PASSWORD

    assert DEMO_STEPS["ledgers"].load(DEMO_PASSWORD) is True
    assert LedgerRow.objects.filter(definition__key="dibao").count() == 4
    # Entered on the days found: the monthly 低保 ledger has its months filled (and two 零报告) over the year.
    from qicha.ledgers.models import LedgerMonthFiling

    months = sorted(f.month.month for f in LedgerMonthFiling.objects.all())
    assert months == [3, 4, 5, 6, 9, 10] and LedgerMonthFiling.objects.filter(nil=True).count() == 2
    assert set(LedgerRow.objects.values_list("definition__key", flat=True)) == {"social_org", "dibao", "funeral", "opinion"}
    assert DEMO_STEPS["ledgers"].load(DEMO_PASSWORD) is False
