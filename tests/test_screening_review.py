"""A run as the office starts it (registers imported, a background job), its record, and the county review:
routed by 行政区划代码, scoped, 属实 → a 低保 ledger row or a clue in one click, linked both ways."""

import pytest

from qicha.clues.models import Clue, Domain
from qicha.core.errors import Invalid
from qicha.core.registry import check_negative_lists
from qicha.ledgers.models import LedgerRow
from qicha.screening.models import Hit, HitStatus, NegativeEntry, Register, RunStatus
from qicha.screening.services import registers as register_services
from qicha.screening.services import runs as run_services
from qicha.screening.workflow import HIT_WORKFLOW

from .screening_data import CHENGDONG, NANSHAN, P, write_registers


def import_all(office, folder, kinds=None):
    paths = write_registers(folder)
    return [register_services.import_register(office, kind=kind, upload=path, file_name=path.name)
            for kind, path in paths.items() if kinds is None or kind in kinds]


@pytest.fixture
def run(demo, user, tmp_path):
    office = user("office")
    registers = import_all(office, tmp_path / "in")
    return run_services.start_run(office, register_ids=[r.pk for r in registers], payment_month="2026-11")


def hit_of(run, number) -> Hit:
    return next(h for h in Hit.objects.filter(run=run) if h.id_number.clear() == number)


def test_a_run_records_its_inputs_routes_each_county_and_deletes_the_files(run, unit):
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.beneficiaries_flagged == 8
    assert run.hits_per_rule == {"R1": 2, "R2": 2, "R3": 2, "R4": 1, "R5": 1}
    assert run.inputs["beneficiaries"]["rows"] == 13 and run.inputs["beneficiaries"]["bad"] == 1
    assert len(run.inputs["deaths"]["digest"]) == 64 and set(run.seconds) >= {"read", "rules"}
    assert run.hits_per_county == {CHENGDONG: 4, NANSHAN: 4}
    assert set(Hit.objects.filter(run=run, county_code=CHENGDONG).values_list("unit__name", flat=True)) == {"城东区民政局"}
    assert set(Hit.objects.filter(run=run, county_code=NANSHAN).values_list("unit__name", flat=True)) == {"南山县民政局"}
    assert not Register.objects.exclude(stored_name="").exists()  # bulk files deleted after the run by default
    stored = Hit.objects.filter(run=run).values_list("id_number", flat=True)
    assert all(P.car not in value.ciphertext for value in stored)  # sealed at rest
    assert hit_of(run, P.car).evidence.get().ev1 == "豫C12345"


def test_another_county_sees_nothing_and_gets_a_404(run, login, api):
    car = hit_of(run, P.car)
    chengxi = login("liaison_chengxi")
    page = chengxi.get("/screening/")
    assert page.status_code == 200 and "没有符合条件的比对命中" in page.content.decode()
    assert chengxi.get(f"/screening/hits/{car.pk}/").status_code == 404
    assert api("liaison_chengxi").get(f"/api/v1/screening/hits/{car.pk}").status_code == 404
    own = api("liaison_nanshan").get("/api/v1/screening/hits").json()
    assert {row["name"] for row in own["results"]} == {"钱有车", "褚带叉", "周老板", "郑在编"}
    assert all("*" in row["id_number"] for row in own["results"])  # masked in the queue


def test_confirmed_hit_becomes_a_dibao_ledger_row_in_one_click(run, user, login):
    car = hit_of(run, P.car)
    reviewer = user("liaison_nanshan")
    HIT_WORKFLOW.perform(reviewer, car, "confirm", version=car.version, reason="入户核实，车辆自用")
    client = login("liaison_nanshan")
    response = client.post(f"/screening/hits/{car.pk}/actions/to_ledger/",
                           {"version": car.version, "kind": "错保", "amount": "2700"})
    assert response.status_code == 302
    car.refresh_from_db()
    row = LedgerRow.objects.get(pk=car.ledger_row_id)
    assert row.definition.key == "dibao" and row.unit.name == "南山县民政局"
    assert row.values["kind"] == "错保" and row.values["found_by"] == "数据比对" and row.values["recovered"] == "2700.00"
    assert f"命中编号 {car.pk}" in row.values["situation"]  # the way back from the ledger row
    page = client.get(f"/screening/hits/{car.pk}/").content.decode()
    assert f"/ledgers/dibao/{row.pk}/" in page


def test_a_cadre_relative_becomes_a_clue_of_the_dibao_domain(run, user):
    relative = hit_of(run, P.relative)
    reviewer = user("liaison_chengdong")
    HIT_WORKFLOW.perform(reviewer, relative, "confirm", version=relative.version)
    HIT_WORKFLOW.perform(reviewer, relative, "to_clue", version=relative.version)
    clue = Clue.objects.get(pk=relative.clue_id)
    assert clue.domain == Domain.SUBSISTENCE and clue.unit.name == "城东区民政局"
    assert "R1 关系保" in clue.content and f"命中编号 {relative.pk}" in clue.content
    with pytest.raises(Invalid):
        HIT_WORKFLOW.perform(reviewer, relative, "to_clue", version=relative.version)


def test_not_true_needs_a_reason_and_waiting_hits_can_be_marked(run, user):
    motor = hit_of(run, P.boss)
    reviewer = user("liaison_nanshan")
    with pytest.raises(Invalid) as refused:
        HIT_WORKFLOW.perform(reviewer, motor, "reject", version=motor.version, reason=" ")
    assert refused.value.details == {"reason": "请填写理由，如：已登记的豁免车辆"}
    HIT_WORKFLOW.perform(reviewer, motor, "verify", version=motor.version, reason="待工商部门回函")
    HIT_WORKFLOW.perform(reviewer, motor, "reject", version=motor.version, reason="已于 2025 年注销企业")
    motor.refresh_from_db()
    assert motor.status == HitStatus.REJECTED and motor.reason == "已于 2025 年注销企业"


def test_an_import_missing_columns_is_refused_naming_them(demo, user, tmp_path):
    bad = tmp_path / "vehicles.csv"
    bad.write_text("车主身份证号,号牌号码\n410302198004041161,豫C1\n", encoding="utf-8")
    with pytest.raises(Invalid) as refused:
        register_services.import_register(user("office"), kind="vehicles", upload=bad, file_name="车辆.csv")
    assert refused.value.message == "车辆登记文件“车辆.csv”缺少列：车辆类型（vehicle_type）、登记日期（reg_date）"
    assert not Register.objects.exists()


def test_a_county_liaison_cannot_import_or_run(demo, user, tmp_path):
    with pytest.raises(Exception) as refused:
        import_all(user("liaison_nanshan"), tmp_path, kinds={"beneficiaries"})
    assert "扫黑办" in str(refused.value)


def test_negative_lists_answer_the_vetting_check_from_digests_only(demo, user, tmp_path):
    path = tmp_path / "negative.csv"
    path.write_text(f"身份证号,姓名,事由\n{P.boss},周老板,受过刑事处罚\n{P.bad_check},某人,村霸\n", encoding="utf-8")
    register = register_services.import_register(user("office"), kind="negative_list", upload=path,
                                                 file_name="负面清单.csv", source="县公安局")
    assert (register.rows, register.bad) == (2, 1) and not register.stored_name  # the file is gone
    assert NegativeEntry.objects.count() == 1 and P.boss not in NegativeEntry.objects.get().id_index
    hits = check_negative_lists([P.boss, P.clean])
    assert [(h.id_number, h.ground) for h in hits] == [(P.boss, "受过刑事处罚")]
    assert hits[0].source.startswith("县公安局")


def test_the_cockpit_panel_counts_per_rule_and_each_figure_opens_its_list(run, user, api):
    car = hit_of(run, P.car)
    HIT_WORKFLOW.perform(user("liaison_nanshan"), car, "confirm", version=car.version)
    client = api("office")
    panels = {p["key"]: p for p in client.get("/api/v1/dashboard").json()["panels"]}
    rows = {row["label"]: row["cells"] for row in panels["screening"]["rows"]}
    assert [cell["value"] for cell in rows["R3 名下有非豁免车辆"]] == [2, 1, 1]
    for cells in rows.values():
        for cell in cells:
            listed = client.get(cell["api_url"]).json()
            assert listed["count"] == cell["value"], cell
