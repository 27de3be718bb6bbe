"""R-CAM-3: self-inspection per unit × item; the coverage matrix; concurrency; audit."""

import pytest

from qicha.campaigns import queries, services
from qicha.campaigns.models import SelfInspection
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.models import AuditEvent


@pytest.fixture
def item(demo):
    return demo.check_items.get(ordinal=3)


def save(actor, campaign, unit, item, **kw):
    defaults = {"statement": "已逐项查摆。", "no_problem_found": False, "reason": ""}
    return services.save_self_inspection(actor, campaign=campaign, unit=unit, check_item=item, **{**defaults, **kw})


def test_liaison_fills_own_unit_and_department(demo, user, unit, item):
    liaison = user("liaison_chengdong")
    entry = save(liaison, demo, unit("城东区民政局"), item)
    assert entry.version == 1 and entry.filled_by == liaison


def test_liaison_cannot_fill_another_district(demo, user, unit, item):
    with pytest.raises(NotFound):
        save(user("liaison_chengdong"), demo, unit("城西区民政局"), item)


def test_no_problem_needs_a_reason(demo, user, unit, item):
    with pytest.raises(Invalid) as caught:
        save(user("liaison_chengdong"), demo, unit("城东区民政局"), item, statement="", no_problem_found=True)
    assert caught.value.details == {"reason": "选择“未发现问题”时，请写明理由。"}


def test_statement_needed_unless_no_problem(demo, user, unit, item):
    with pytest.raises(Invalid) as caught:
        save(user("liaison_chengdong"), demo, unit("城东区民政局"), item, statement="  ")
    assert "statement" in caught.value.details


def test_non_participating_unit_refused(demo, user, unit, item):
    # District departments answer through their bureau; they are not participants themselves.
    with pytest.raises(Invalid) as caught:
        save(user("liaison_chengdong"), demo, unit("城东区民政局办公室"), item)
    assert "不是本次专项行动的参与单位" in caught.value.message


def test_stale_edit_is_refused_and_writes_nothing(demo, user, unit, item):
    liaison = user("liaison_chengdong")
    first = save(liaison, demo, unit("城东区民政局"), item, statement="第一稿")
    save(liaison, demo, unit("城东区民政局"), item, statement="第二稿", version=first.version)
    with pytest.raises(Conflict):
        save(liaison, demo, unit("城东区民政局"), item, statement="过期的修改", version=first.version)
    assert SelfInspection.objects.get(pk=first.pk).statement == "第二稿"


def test_edit_without_version_is_refused(demo, user, unit, item):
    liaison = user("liaison_chengdong")
    save(liaison, demo, unit("城东区民政局"), item)
    with pytest.raises(Conflict):
        save(liaison, demo, unit("城东区民政局"), item, statement="不带版本号")


def test_every_write_is_audited_with_before_and_after(demo, user, unit, item):
    liaison = user("liaison_chengdong")
    first = save(liaison, demo, unit("城东区民政局"), item, statement="第一稿")
    save(liaison, demo, unit("城东区民政局"), item, statement="第二稿", version=first.version)
    events = AuditEvent.objects.filter(object_type="campaigns.selfinspection", object_id=str(first.pk)).order_by("id")
    assert [e.event_type for e in events] == ["create", "update"]
    assert events[1].before["statement"] == "第一稿" and events[1].after["statement"] == "第二稿"
    assert events[1].actor_username == "liaison_chengdong" and events[1].unit_name == "城东区民政局"


def test_coverage_matrix_for_office(demo, user):
    matrix = queries.coverage(user("office"), demo)
    assert len(matrix.rows) == 15 and len(matrix.items) == 7
    chengxi = next(r for r in matrix.rows if r.unit.name == "城西区民政局")
    # Item (一) of 城西 has problems registered from it (demo data); the rest are answered.
    assert [state for _, state, _ in chengxi.cells] == ["problems"] + ["filled"] * 6
    assert matrix.totals == {"missing": 15 * 7 - 9, "filled": 8, "problems": 1}


def test_coverage_matrix_for_a_liaison_is_own_subtree(demo, user):
    matrix = queries.coverage(user("liaison_chengdong"), demo)
    assert [r.unit.name for r in matrix.rows] == ["城东区民政局"]


def test_filling_moves_the_matrix(demo, user, unit, item):
    office = user("office")
    before = queries.coverage(office, demo).totals["missing"]
    save(user("liaison_chengdong"), demo, unit("城东区民政局"), item)
    assert queries.coverage(office, demo).totals["missing"] == before - 1


def test_matrix_runs_a_constant_number_of_queries(demo, user, django_assert_max_num_queries):
    office = user("office")
    with django_assert_max_num_queries(8):
        queries.coverage(office, demo)
