"""R-SUP-3: inspections — planning, the reproducible risk-weighted random draw (with conflicts excluded), ratings,
findings that become problems in the ledger, who may record them, risk settings and data scope on every route."""

import json
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.core.errors import Conflict, Forbidden, Invalid
from qicha.orgs import services as org_services
from qicha.orgs.models import Role, Unit, User
from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no
from qicha.supervision.demo_inspectors import load_demo_inspectors
from qicha.supervision.models import Draw, Finding, Inspection, InspectionInspector, RiskProfile, RiskWeights
from qicha.supervision.queries import inspections as queries
from qicha.supervision.services import draw as draw_services
from qicha.supervision.services import inspections as services
from qicha.supervision.services import risk as risk_services

from .conftest import DEMO_PASSWORD
from .problem_helpers import register

CHENGDONG, CHENGXI = "城东区民政局", "城西区民政局"


def get(username) -> User:
    return User.objects.get(username=username)


def unit(name) -> Unit:
    return Unit.objects.get(name=name)


@pytest.fixture
def inspectors(demo):
    """The demo 督导员 (政策法规科, 社会事务科, 城东区民政局, 南山县民政局) and one more in a 城东 sub-unit."""
    load_demo_inspectors(DEMO_PASSWORD)
    sysadmin, secadmin = get("sysadmin"), get("secadmin")
    created, _ = org_services.create_user(sysadmin, username="inspector_cd_sub", full_name="城东股室督导",
                                          unit=unit("城东区民政局社会救助股"))
    created = User.objects.get(pk=created.pk)
    org_services.assign_roles(secadmin, created, [Role.objects.get(code="inspector")], version=created.version)
    User.objects.filter(username__startswith="inspector").update(is_demo=True, must_change_password=False)
    created = User.objects.get(pk=created.pk)
    created.set_password(DEMO_PASSWORD)
    created.save()
    return {u.username: u for u in User.objects.filter(username__startswith="inspector")}


def plan(campaign, units=(CHENGDONG,), inspectors=(), kind="special", **extra) -> Inspection:
    today = timezone.localdate()
    fields = {"title": "专项督查：低保领域", "focus": "低保审核审批", "starts_on": today,
              "ends_on": today + timedelta(days=10)} | extra
    return services.plan_inspection(get("office"), campaign, kind=kind, unit_ids=[unit(n).pk for n in units],
                                    inspector_ids=[get(u).pk for u in inspectors], **fields)


def started(inspection) -> Inspection:
    return services.start_inspection(get("office"), inspection, version=inspection.version)


def target_of(inspection, name):
    return inspection.targets.select_related("unit").get(unit__name=name)


def finding(inspection, name=CHENGDONG, by="office", text="低保审批档案缺少入户调查记录", person=None):
    return services.record_finding(get(by), inspection, target_of(inspection, name), text, "立即补齐入户调查记录",
                                   timezone.localdate() + timedelta(days=5),
                                   responsible_person=get(person) if person else None)


# --- the pure draw -------------------------------------------------------------------------------------------------

def synthetic(seed="abc", count=2, per_unit=1, factors=None, weights=None, pool=None) -> dict:
    factors = factors or {1: 100, 2: 50, 3: 0, 4: 0}
    return {
        "seed": seed, "count": count, "inspectors_per_unit": per_unit,
        "units": [{"id": i, "name": f"单位{i}", "path": f"0001{i:04d}", "service_coverage": v, "funds": "0.00",
                   "special_groups": 0, "overdue_problems": 0} for i, v in factors.items()],
        "weights": weights or {"service_coverage": "9", "funds": "1", "special_groups": "1", "overdue_problems": "1"},
        "pool": pool if pool is not None else [{"id": 100 + i, "name": f"督导{i}", "unit_path": ""} for i in range(4)],
    }


def test_weight_formula():
    inputs = synthetic()
    weights = draw_services.unit_weights(inputs["units"], inputs["weights"])
    # w = 1 + 9 × factor / max factor; the all-zero factors add nothing
    assert {k: float(v) for k, v in weights.items()} == {1: 10.0, 2: 5.5, 3: 1.0, 4: 1.0}


def test_same_seed_and_inputs_give_the_same_draw():
    first = draw_services.compute_draw(synthetic(seed="2026-06-01"))
    assert draw_services.compute_draw(synthetic(seed="2026-06-01")) == first
    # Inputs in another order are the same inputs.
    shuffled = synthetic(seed="2026-06-01")
    shuffled["units"].reverse()
    shuffled["pool"].reverse()
    assert draw_services.compute_draw(shuffled) == first


def test_different_seeds_give_different_draws():
    results = {json.dumps(draw_services.compute_draw(synthetic(seed=f"s{i}", count=2))["selected"]) for i in range(20)}
    assert len(results) > 1
    a, b = (draw_services.compute_draw(synthetic(seed=s)) for s in ("seed-a", "seed-b"))
    assert a["ranking"] != b["ranking"]


def test_the_draw_does_not_depend_on_hash_randomisation():
    """Another interpreter with another PYTHONHASHSEED computes the same draw from the same inputs."""
    inputs = synthetic(seed="公开种子-001", count=3, per_unit=2)
    here = draw_services.compute_draw(inputs)
    code = ("import json,sys,django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','qicha.settings');django.setup();"
            "from qicha.supervision.services.draw import compute_draw;"
            "print(json.dumps(compute_draw(json.loads(sys.stdin.read())),ensure_ascii=False))")
    for hash_seed in ("1", "4242"):
        out = subprocess.run([sys.executable, "-c", code], input=json.dumps(inputs), capture_output=True, text=True,
                             env={**__import__("os").environ, "PYTHONHASHSEED": hash_seed}, check=True)
        assert json.loads(out.stdout) == json.loads(json.dumps(here))


def test_weights_shift_frequencies_as_configured():
    """2000 draws of 1 unit from 4 (fixed seeds stat-0 … stat-1999): each unit is drawn in proportion to its weight
    (Efraimidis–Spirakis with one draw is exactly w / Σw); units with no risk factor are still drawn sometimes."""
    n = 2000
    counts = Counter()
    for i in range(n):
        counts[draw_services.compute_draw(synthetic(seed=f"stat-{i}", count=1))["selected"][0]] += 1
    weights = {1: 10.0, 2: 5.5, 3: 1.0, 4: 1.0}
    total = sum(weights.values())
    print("\n抽中频率（2000 次，每次从 4 个单位中抽 1 个）：")
    for unit_id, w in weights.items():
        expected, observed = w / total, counts[unit_id] / n
        print(f"  单位{unit_id} 权重 {w:>4}：期望 {expected:.3f}，实际 {observed:.3f}（{counts[unit_id]} 次）")
        assert abs(observed - expected) < 0.035, (unit_id, observed, expected)
    assert counts[3] > 0 and counts[4] > 0
    assert counts[1] > counts[2] > counts[3]
    # With every weight 0 the units are equally likely.
    flat = Counter(draw_services.compute_draw(synthetic(seed=f"flat-{i}", count=1, weights=dict.fromkeys(
        draw_services.FACTORS, "0")))["selected"][0] for i in range(n))
    print("  权重全为 0：" + "，".join(f"单位{k} {flat[k] / n:.3f}" for k in sorted(flat)))
    assert all(abs(flat[k] / n - 0.25) < 0.035 for k in (1, 2, 3, 4))


def test_inspectors_are_spread_when_the_pool_allows():
    for i in range(50):
        result = draw_services.compute_draw(synthetic(seed=f"spread-{i}", count=4, per_unit=1))
        drawn = [p for a in result["assignments"] for p in a["inspectors"]]
        assert len(drawn) == len(set(drawn)) == 4


def test_conflict_is_the_same_line_either_way():
    district, its_department, other = "00010010", "000100100001", "00010011"
    assert draw_services.in_conflict(district, district)
    assert draw_services.in_conflict(its_department, district)  # an inspector below the unit
    assert draw_services.in_conflict(district, its_department)  # an inspector above the unit
    assert not draw_services.in_conflict(other, district) and not draw_services.in_conflict("", district)


def test_a_pool_too_small_is_refused_in_chinese():
    inputs = synthetic(count=1, per_unit=2, pool=[{"id": 1, "name": "督导", "unit_path": ""}])
    with pytest.raises(Invalid) as exc:
        draw_services.compute_draw(inputs)
    assert "检查人员不足" in exc.value.message and "每个单位需要 2 人" in exc.value.message


# --- the draw on the database --------------------------------------------------------------------------------------

def random_inspection(campaign, **extra) -> Inspection:
    return plan(campaign, units=(), kind="random", **({"title": "随机抽查：低保与社会组织"} | extra))


def test_draw_records_seed_inputs_and_result_and_reruns_equal(demo, inspectors):
    office = get("office")
    RiskProfile.objects.create(unit=unit("南山县民政局"), service_coverage=12000, funds="3500.50", special_groups=800)
    register(demo, unit_name="北湖县民政局", by="liaison_beihu", days=-3)  # open and overdue: counted live
    inspection = random_inspection(demo)
    draw = draw_services.draw_inspection(office, inspection, count=3, per_unit=2, seed="2026年6月1日")
    draw.refresh_from_db()
    assert draw.seed == "2026年6月1日" and draw.algorithm == "efraimidis-spirakis/v1"
    units = {u["name"]: u for u in draw.inputs["units"]}
    assert units["南山县民政局"]["funds"] == "3500.50" and units["南山县民政局"]["service_coverage"] == 12000
    assert units["北湖县民政局"]["overdue_problems"] >= 1
    assert set(units) >= {"城东区民政局", "社会救助科", "市殡仪馆"} and "城东区民政局社会救助股" not in units
    assert draw.inputs["weights"] == dict.fromkeys(draw_services.FACTORS, "1.00")
    assert {p["name"] for p in draw.inputs["pool"]} >= {"冯督导", "王扫黑"}
    assert "孙系统" not in {p["name"] for p in draw.inputs["pool"]}
    assert draw_services.rerun_draw(draw) == draw.result
    assert draw_services.verify_draw(draw)
    # The targets and inspectors are the draw's.
    targets = list(inspection.targets.values_list("unit_id", flat=True))
    assert sorted(targets) == sorted(draw.result["selected"]) and len(targets) == 3
    assert InspectionInspector.objects.filter(inspection=inspection).count() == 6
    # A second draw is refused; the stored record, altered, no longer verifies.
    with pytest.raises(Conflict):
        draw_services.draw_inspection(office, Inspection.objects.get(pk=inspection.pk), count=1, per_unit=1)
    Draw.objects.filter(pk=draw.pk).update(result={**draw.result, "selected": list(reversed(draw.result["selected"]))})
    assert not draw_services.verify_draw(Draw.objects.get(pk=draw.pk))


def test_a_generated_seed_is_recorded_and_shown(demo, inspectors, login):
    inspection = random_inspection(demo)
    draw = draw_services.draw_inspection(get("office"), inspection, count=2, per_unit=1)
    assert len(draw.seed) == 16
    page = login("office").get(f"/supervision/inspections/{inspection.pk}/?verify=1")
    body = page.content.decode()
    assert draw.seed in body and "一致" in body and "不一致" not in body and "efraimidis-spirakis/v1" in body


def test_conflicting_inspectors_are_never_drawn(demo, inspectors):
    """An inspector of 城东区民政局 (or of its 社会救助股) never inspects 城东区民政局 or its sub-units."""
    office = get("office")
    conflicted = {inspectors["inspector_cd"].pk, inspectors["inspector_cd_sub"].pk}
    candidates = [unit(CHENGDONG).pk]
    for i in range(15):
        inspection = random_inspection(demo)
        draw = draw_services.draw_inspection(office, inspection, count=1, per_unit=3, unit_ids=candidates,
                                             seed=f"conflict-{i}")
        drawn = {p for a in draw.result["assignments"] for p in a["inspectors"]}
        assert not drawn & conflicted
        assert not InspectionInspector.objects.filter(inspection=inspection, user_id__in=conflicted).exists()
    # Only the conflicted and one other in the pool: too few for two per unit, said in Chinese; nothing is written.
    inspection = random_inspection(demo)
    with pytest.raises(Invalid) as exc:
        draw_services.draw_inspection(office, inspection, count=1, per_unit=2, unit_ids=[unit(CHENGDONG).pk],
                                      pool_ids=[*conflicted, inspectors["inspector_fa"].pk])
    assert "检查人员不足" in exc.value.message and "城东区民政局" in exc.value.message
    assert not Draw.objects.filter(inspection=inspection).exists() and not inspection.targets.exists()


def test_only_the_office_draws_and_only_random_inspections(demo, inspectors):
    inspection = random_inspection(demo)
    with pytest.raises(Forbidden):
        draw_services.draw_inspection(inspectors["inspector_fa"], inspection, count=1, per_unit=1)
    special = plan(demo)
    with pytest.raises(Invalid):
        draw_services.draw_inspection(get("office"), special, count=1, per_unit=1)
    with pytest.raises(Invalid) as exc:
        started(inspection)
    assert "须先抽签" in exc.value.message


# --- plan, ratings, findings ---------------------------------------------------------------------------------------

def test_plan_requires_partners_and_evaluator_by_kind(demo, inspectors):
    with pytest.raises(Invalid) as exc:
        plan(demo, kind="joint")
    assert "partners" in exc.value.details
    with pytest.raises(Invalid) as exc:
        plan(demo, kind="third_party")
    assert "evaluator" in exc.value.details
    with pytest.raises(Invalid) as exc:
        plan(demo, units=())
    assert "units" in exc.value.details
    with pytest.raises(Invalid) as exc:
        plan(demo, kind="random")  # a random inspection's units come from its draw
    assert "units" in exc.value.details
    with pytest.raises(Invalid) as exc:
        plan(demo, inspectors=("sysadmin",))
    assert "inspectors" in exc.value.details
    joint = plan(demo, kind="joint", partners="市公安局、市市场监管局", inspectors=("inspector_fa",))
    assert joint.partners == "市公安局、市市场监管局" and joint.inspectors.get().user.username == "inspector_fa"
    with pytest.raises(Forbidden):
        services.plan_inspection(get("liaison_chengdong"), demo, kind="special", title="x",
                                 starts_on=timezone.localdate(), ends_on=timezone.localdate(), unit_ids=[1])


def test_complete_needs_every_unit_rated(demo, inspectors):
    inspection = plan(demo, units=(CHENGDONG, "南山县民政局"), inspectors=("inspector_fa",))
    with pytest.raises(Invalid) as exc:
        services.rate_target(get("office"), target_of(inspection, CHENGDONG), "good")
    assert "尚未开始" in exc.value.message
    with pytest.raises(Forbidden):  # an inspector's scope opens when the inspection starts
        services.rate_target(get("inspector_fa"), target_of(inspection, CHENGDONG), "good")
    inspection = started(inspection)
    services.rate_target(get("inspector_fa"), target_of(inspection, CHENGDONG), "good", "台账齐全")
    with pytest.raises(Invalid) as exc:
        services.complete_inspection(get("office"), inspection, version=inspection.version)
    assert "南山县民政局" in exc.value.message
    with pytest.raises(Forbidden):  # the office completes, not the inspector
        services.complete_inspection(get("inspector_fa"), inspection, version=inspection.version)
    services.rate_target(get("office"), target_of(inspection, "南山县民政局"), "fair")
    done = services.complete_inspection(get("office"), inspection, version=inspection.version + 2, summary="总体较好")
    assert done.status == "completed" and done.summary == "总体较好"
    with pytest.raises(Invalid):
        finding(done)


def test_a_finding_becomes_a_problem_of_the_inspected_unit(demo, inspectors, login):
    inspection = started(plan(demo, inspectors=("inspector_fa",)))
    found = finding(inspection, by="inspector_fa", text="城东低保档案缺少入户调查记录", person="liaison_chengdong")
    problem = found.problem
    assert (problem.source, problem.unit.name, problem.rectification_type, problem.campaign_id) == (
        "inspection", CHENGDONG, "immediate", demo.pk)
    assert problem.responsible_person.username == "liaison_chengdong"
    assert Finding.objects.get(problem=problem).inspection == inspection
    liaison = login("liaison_chengdong")
    assert "城东低保档案缺少入户调查记录" in liaison.get("/problems/?source=inspection").content.decode()
    workbench = liaison.get("/").content.decode()
    assert "城东低保档案缺少入户调查记录" in workbench
    detail = liaison.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "城东低保档案缺少入户调查记录" in detail and f"问题 P{problem.pk:06d}" in detail
    assert "城东低保档案缺少入户调查记录" not in login("liaison_chengxi").get("/problems/").content.decode()


def test_an_inspector_not_on_the_inspection_cannot_record(demo, inspectors, login, api):
    with pytest.raises(Invalid) as refused:  # 城东 is inspector_cd's own unit: not even on the plan
        plan(demo, units=(CHENGDONG, "南山县民政局"), inspectors=("inspector_fa", "inspector_cd"))
    assert "须回避本单位及上下级单位" in refused.value.details["inspectors"]
    inspection = started(plan(demo, units=(CHENGDONG, "南山县民政局"), inspectors=("inspector_fa",)))
    target = target_of(inspection, CHENGDONG)
    with pytest.raises(Forbidden):
        finding(inspection, by="inspector_sw")
    with pytest.raises(Forbidden):  # not on the team
        finding(inspection, name="南山县民政局", by="inspector_cd", text="南山台账不全")
    form = {"finding-target": target.pk, "finding-description": "越权登记", "finding-measures": "x",
            "finding-deadline": timezone.localdate().isoformat()}
    # An inspector not on the inspection does not even see it (their scope is their own inspections' units).
    response = login("inspector_sw").post(f"/supervision/inspections/{inspection.pk}/findings/", form)
    assert response.status_code == 404
    response = api("inspector_sw").post(f"/api/v1/inspections/{inspection.pk}/findings",
                                        {"unit": target.unit_id, "description": "越权登记", "measures": "x",
                                         "deadline": timezone.localdate().isoformat()}, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    rating = login("inspector_sw").post(f"/supervision/inspections/{inspection.pk}/targets/{target.pk}/rating/",
                                        {f"t{target.pk}-rating": "poor"})
    assert rating.status_code == 404
    assert not Finding.objects.filter(description="越权登记").exists()
    assert not Problem.objects.filter(description="越权登记").exists()
    # The inspector on the inspection records through the page.
    response = login("inspector_fa").post(f"/supervision/inspections/{inspection.pk}/findings/", form)
    assert response.status_code == 302 and Finding.objects.filter(description="越权登记").exists()


def test_a_drawn_inspector_works_only_on_the_unit_drawn_for(demo, inspectors):
    inspection = random_inspection(demo)
    draw = draw_services.draw_inspection(get("office"), inspection, count=2, per_unit=1, seed="pair",
                                         unit_ids=[unit("南山县民政局").pk, unit("北湖县民政局").pk],
                                         pool_ids=[inspectors["inspector_fa"].pk, inspectors["inspector_sw"].pk])
    inspection = started(Inspection.objects.get(pk=inspection.pk))
    pairs = {a["unit"]: a["inspectors"][0] for a in draw.result["assignments"]}
    for target in inspection.targets.select_related("unit"):
        mine = User.objects.get(pk=pairs[target.unit_id])
        other = User.objects.get(pk=next(v for k, v in pairs.items() if k != target.unit_id))
        assert services.may_work(mine, target) and not services.may_work(other, target)


def test_my_inspections_lists_what_the_inspector_does(demo, inspectors):
    mine = plan(demo, inspectors=("inspector_fa",), title="冯督导参加的检查")
    plan(demo, inspectors=("inspector_sw",), title="别人的检查")
    assert list(queries.my_inspections(get("inspector_fa"))) == [mine]
    inspection = started(mine)
    services.rate_target(get("office"), target_of(inspection, CHENGDONG), "excellent")
    services.complete_inspection(get("office"), inspection, version=inspection.version + 1)  # the rating moved it on
    assert list(queries.my_inspections(get("inspector_fa"))) == []


# --- risk settings -------------------------------------------------------------------------------------------------

def test_risk_settings_page_and_api(demo, inspectors, login, api):
    office = login("office")
    page = office.get("/supervision/inspections/risk/")
    assert page.status_code == 200 and "w = 1 +" in page.content.decode()
    response = office.post("/supervision/inspections/risk/", {"part": "weights", "service_coverage": "3",
                                                             "funds": "2.5", "special_groups": "0",
                                                             "overdue_problems": "1"})
    assert response.status_code == 302
    weights = RiskWeights.objects.get(campaign=demo)
    assert (str(weights.service_coverage), str(weights.funds), str(weights.special_groups)) == ("3.00", "2.50", "0.00")
    nanshan = unit("南山县民政局")
    response = office.post("/supervision/inspections/risk/", {
        "part": "profiles", f"{nanshan.pk}-service_coverage": "5000", f"{nanshan.pk}-funds": "120.5",
        f"{nanshan.pk}-special_groups": "300"})
    assert response.status_code == 302
    assert RiskProfile.objects.get(unit=nanshan).service_coverage == 5000
    bad = office.post("/supervision/inspections/risk/", {
        "part": "profiles", f"{nanshan.pk}-service_coverage": "-1", f"{nanshan.pk}-funds": "1",
        f"{nanshan.pk}-special_groups": "1"})
    assert bad.status_code == 200 and "不能为负数" in bad.content.decode()
    assert RiskProfile.objects.get(unit=nanshan).service_coverage == 5000
    client = api("office")
    assert client.get("/api/v1/risk/weights").json()["service_coverage"] == "3.00"
    put = client.put("/api/v1/risk/weights", {"funds": 4}, content_type="application/json")
    assert put.status_code == 200 and put.json()["funds"] == "4.00" and put.json()["service_coverage"] == "3.00"
    put = client.put("/api/v1/risk/profiles", {"profiles": [{"unit": nanshan.pk, "special_groups": 42}]},
                     content_type="application/json")
    row = next(r for r in put.json()["results"] if r["unit"]["id"] == nanshan.pk)
    assert put.status_code == 200 and row["special_groups"] == 42 and row["service_coverage"] == 5000
    assert client.put("/api/v1/risk/weights", {"funds": -1}, content_type="application/json").status_code == 422
    assert login("liaison_chengdong").get("/supervision/inspections/risk/").status_code == 403
    assert api("liaison_chengdong").get("/api/v1/risk/profiles").status_code == 403
    assert api("inspector_fa").put("/api/v1/risk/weights", {"funds": 9}, content_type="application/json").status_code == 403
    with pytest.raises(Forbidden):
        risk_services.save_weights(get("inspector_fa"), demo, {"funds": 1})


# --- pages and API end to end --------------------------------------------------------------------------------------

def test_pages_plan_draw_and_record(demo, inspectors, login):
    office = login("office")
    listing = office.get("/supervision/inspections/")
    assert listing.status_code == 200 and "随机抽查" in listing.content.decode()
    assert office.get("/supervision/inspections/new/").status_code == 200
    form = office.get("/supervision/inspections/new/?kind=random")
    assert "候选单位" in form.content.decode() and "随机种子" in form.content.decode()
    today = timezone.localdate()
    response = office.post("/supervision/inspections/new/?kind=random", {
        "title": "页面随机抽查", "starts_on": today, "ends_on": today + timedelta(days=3),
        "candidates": [unit(CHENGDONG).pk], "count": 1, "per_unit": 2, "seed": "页面种子"})
    assert response.status_code == 302, response.content.decode()
    inspection = Inspection.objects.get(title="页面随机抽查")
    assert inspection.draw.seed == "页面种子" and target_of(inspection, CHENGDONG)
    office.post(f"/supervision/inspections/{inspection.pk}/actions/start/", {"version": inspection.version})
    target = target_of(inspection, CHENGDONG)
    response = office.post(f"/supervision/inspections/{inspection.pk}/targets/{target.pk}/rating/",
                           {f"t{target.pk}-rating": "fair", f"t{target.pk}-notes": "台账基本齐全"})
    assert response.status_code == 302
    response = office.post(f"/supervision/inspections/{inspection.pk}/findings/", {
        "finding-target": target.pk, "finding-description": "页面登记的问题", "finding-measures": "限期补正",
        "finding-deadline": (today + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    detail = office.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "页面登记的问题" in detail and "一般" in detail and "页面种子" in detail
    found = Finding.objects.get(description="页面登记的问题").problem_id
    assert f"（问题 {format_problem_no(found)}，责任单位{CHENGDONG}）" in detail  # the flash names the 问题编号
    filtered = office.get("/supervision/inspections/?kind=special").content.decode()
    assert "页面随机抽查" not in filtered
    assert "页面随机抽查" in office.get("/supervision/inspections/?kind=random&status=in_progress").content.decode()
    # Too many units asked: the form says so, nothing is planned.
    response = office.post("/supervision/inspections/new/?kind=random", {
        "title": "抽太多", "starts_on": today, "ends_on": today, "candidates": [unit(CHENGDONG).pk], "count": 3,
        "per_unit": 1})
    assert response.status_code == 200 and "抽取单位数应在 1 至 1" in response.content.decode()
    assert not Inspection.objects.filter(title="抽太多").exists()


def test_api_plan_draw_verify_find_and_act(demo, inspectors, api):
    client = api("office")
    today = timezone.localdate().isoformat()
    created = client.post("/api/v1/inspections", {"campaign": demo.pk, "kind": "random", "title": "接口随机抽查",
                                                  "starts_on": today, "ends_on": today},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    inspection_id = created.json()["id"]
    drawn = client.post(f"/api/v1/inspections/{inspection_id}/draw",
                        {"count": 1, "inspectors_per_unit": 1, "units": [unit(CHENGDONG).pk], "seed": "42"},
                        content_type="application/json")
    assert drawn.status_code == 201 and drawn.json()["seed"] == "42" and drawn.json()["inputs"]["seed"] == "42"
    again = client.post(f"/api/v1/inspections/{inspection_id}/draw", {"count": 1}, content_type="application/json")
    assert again.status_code == 409
    assert client.get(f"/api/v1/inspections/{inspection_id}/draw/verify").json() == {
        "consistent": True, "label": "一致", "seed": "42", "algorithm": "efraimidis-spirakis/v1"}
    assert client.post(f"/api/v1/inspections/{inspection_id}/actions/start", {}, content_type="application/json"
                       ).json()["status"] == "in_progress"
    found = client.post(f"/api/v1/inspections/{inspection_id}/findings",
                        {"unit": unit(CHENGDONG).pk, "description": "接口登记的问题", "measures": "整改",
                         "deadline": today}, content_type="application/json")
    assert found.status_code == 201
    assert Problem.objects.get(pk=found.json()["problem"]).source == "inspection"
    refused = client.post(f"/api/v1/inspections/{inspection_id}/actions/complete", {}, content_type="application/json")
    assert refused.status_code == 422
    rated = client.post(f"/api/v1/inspections/{inspection_id}/actions/rate",
                        {"unit": unit(CHENGDONG).pk, "rating": "poor", "notes": "问题较多"},
                        content_type="application/json")
    assert rated.json()["targets"][0]["rating"] == "poor"
    done = client.post(f"/api/v1/inspections/{inspection_id}/actions/complete", {"summary": "需加强"},
                       content_type="application/json").json()
    assert done["status"] == "completed" and done["findings"][0]["problem"]["status"] == "open"
    listing = client.get("/api/v1/inspections?kind=random").json()
    assert listing["count"] == 1 and listing["results"][0]["units"] == [{"id": unit(CHENGDONG).pk, "name": CHENGDONG}]
    assert client.get("/api/v1/inspections?kind=nonsense").status_code == 422


# --- data scope ----------------------------------------------------------------------------------------------------

def test_data_scope_on_every_route(demo, inspectors, login, api):
    """A liaison of another district gets 404 on every route of an inspection of 城东; the list leaves it out."""
    inspection = started(plan(demo, inspectors=("inspector_fa",), title="城东专项督查"))
    found = finding(inspection, text="城东机密发现")
    target = target_of(inspection, CHENGDONG)
    random_one = random_inspection(demo, title="城东随机抽查")
    draw_services.draw_inspection(get("office"), random_one, count=1, per_unit=1, unit_ids=[unit(CHENGDONG).pk])
    outsider, api_outsider = login("liaison_chengxi"), api("liaison_chengxi")
    for pk in (inspection.pk, random_one.pk):
        for url in (f"/supervision/inspections/{pk}/", f"/supervision/inspections/{pk}/?verify=1"):
            assert outsider.get(url).status_code == 404
        for url in (f"/supervision/inspections/{pk}/draw/", f"/supervision/inspections/{pk}/findings/",
                    f"/supervision/inspections/{pk}/targets/{target.pk}/rating/",
                    f"/supervision/inspections/{pk}/actions/start/"):
            assert outsider.post(url, {"version": 1}).status_code in (403, 404), url
        for method, url in (("get", f"/api/v1/inspections/{pk}"), ("get", f"/api/v1/inspections/{pk}/draw/verify"),
                            ("post", f"/api/v1/inspections/{pk}/draw"), ("post", f"/api/v1/inspections/{pk}/findings"),
                            ("post", f"/api/v1/inspections/{pk}/actions/start"),
                            ("post", f"/api/v1/inspections/{pk}/actions/rate")):
            response = getattr(api_outsider, method)(url, {} if method == "post" else None,
                                                     content_type="application/json")
            assert response.status_code == 404, (url, response.status_code)
    assert "城东专项督查" not in outsider.get("/supervision/inspections/").content.decode()
    assert api_outsider.get("/api/v1/inspections").json()["count"] == 0
    # The inspected unit's liaison and the leaders see it.
    assert login("liaison_chengdong").get(f"/supervision/inspections/{inspection.pk}/").status_code == 200
    assert api("leader").get(f"/api/v1/inspections/{inspection.pk}").json()["findings"][0]["id"] == found.pk
    # A drawn spot check stays unannounced to the unit until it starts.
    assert api("liaison_chengdong").get(f"/api/v1/inspections/{random_one.pk}").status_code == 404
    started(Inspection.objects.get(pk=random_one.pk))
    assert api("liaison_chengdong").get(f"/api/v1/inspections/{random_one.pk}/draw/verify").json()["consistent"]


def test_a_liaison_sees_only_their_units_part_of_a_wider_inspection(demo, inspectors, login, api):
    inspection = started(plan(demo, units=(CHENGDONG, CHENGXI), title="两区专项督查"))
    finding(inspection, name=CHENGDONG, text="城东的发现")
    finding(inspection, name=CHENGXI, text="城西的机密发现")
    body = login("liaison_chengdong").get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "城东的发现" in body and "城西的机密发现" not in body
    data = api("liaison_chengdong").get(f"/api/v1/inspections/{inspection.pk}").json()
    assert [t["unit"]["name"] for t in data["targets"]] == [CHENGDONG]
    assert [f["description"] for f in data["findings"]] == ["城东的发现"]
    random_one = random_inspection(demo)
    draw_services.draw_inspection(get("office"), random_one, count=1, per_unit=1,
                                  unit_ids=[unit(CHENGDONG).pk, unit(CHENGXI).pk], seed="scope")
    drawn = Inspection.objects.get(pk=random_one.pk).targets.get().unit.name
    started(Inspection.objects.get(pk=random_one.pk))
    viewer = "liaison_chengdong" if drawn == CHENGDONG else "liaison_chengxi"
    draw = api(viewer).get(f"/api/v1/inspections/{random_one.pk}").json()["draw"]
    assert [c["name"] for c in draw["candidates"]] == [drawn] and draw["hidden_candidates"] == 1
    assert "inputs" not in draw


def test_sample_inspections_load_once(demo):
    from qicha.supervision.inspection_demo import SAMPLE_TITLE, load_sample_inspections

    assert load_sample_inspections(demo) and not load_sample_inspections(demo)
    inspection = Inspection.objects.get(title=SAMPLE_TITLE)
    assert inspection.status == "completed" and inspection.findings.get().problem.source == "inspection"
    assert RiskProfile.objects.get(unit__name="南山县民政局").service_coverage == 26400


def test_an_inspector_finds_their_inspections_on_the_workbench(demo, login, user):
    from qicha.supervision.demo_inspectors import load_demo_inspectors
    from qicha.supervision.services.inspections import plan_inspection

    from .conftest import DEMO_PASSWORD

    load_demo_inspectors(DEMO_PASSWORD)
    inspection = plan_inspection(
        user("office"), demo, kind="special", title="殡葬领域专项督查", focus="", partners="", evaluator="",
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=5),
        unit_ids=[Unit.objects.get(name="城西区民政局").pk], inspector_ids=[user("inspector_fa").pk],
    )
    html = login("inspector_fa").get("/").content.decode()
    assert 'data-testid="todo-inspections"' in html and "殡葬领域专项督查" in html
    listed = login("inspector_fa").get("/supervision/inspections/?mine=1").content.decode()
    assert "殡葬领域专项督查" in listed and inspection.pk
    assert "殡葬领域专项督查" not in login("inspector_sw").get("/").content.decode()


def test_walkthrough_rules(demo, inspectors, login, user):
    """A manual plan refuses a conflicting inspector; a planned spot check stays unannounced to the unit; a refused
    action is audited but not part of the inspection's story; the 403 page says why."""
    from qicha.core.models import AuditEvent
    from qicha.supervision.services.inspections import plan_inspection

    chengdong = Unit.objects.get(name="城东区民政局")
    conflicted = User.objects.filter(unit__path__startswith=chengdong.path, roles__code="inspector").first()
    assert conflicted is not None
    with pytest.raises(Invalid) as error:
        plan_inspection(user("office"), demo, kind="special", title="专项", starts_on=timezone.localdate(),
                        ends_on=timezone.localdate(), unit_ids=[chengdong.pk], inspector_ids=[conflicted.pk])
    assert "须回避本单位及上下级单位" in error.value.details["inspectors"]
    spot = plan_inspection(user("office"), demo, kind="random", title="不打招呼的抽查",
                           starts_on=timezone.localdate(), ends_on=timezone.localdate())
    from qicha.supervision.models import InspectionTarget

    InspectionTarget.objects.create(inspection=spot, unit=chengdong)
    assert "不打招呼的抽查" not in login("liaison_chengdong").get("/supervision/inspections/").content.decode()
    page = login("leader")
    refused = page.post(f"/supervision/inspections/{spot.pk}/actions/start/")
    assert refused.status_code in (302, 403)
    assert AuditEvent.objects.filter(object_id=str(spot.pk), outcome="denied").exists()
    assert "无权执行" not in login("office").get(f"/supervision/inspections/{spot.pk}/").content.decode()


def test_a_finding_waits_on_the_units_workbench_for_an_owner(demo, inspectors, login):
    inspection = started(plan(demo, inspectors=("inspector_fa",), title="城东专项督查"))
    finding(inspection, text="城东殡葬服务收费公示不全")
    html = login("liaison_chengdong").get("/").content.decode()
    assert 'data-testid="todo-no_owner"' in html and "城东殡葬服务收费公示不全" in html
    listed = login("liaison_chengdong").get("/problems/?no_owner=1").content.decode()
    assert "城东殡葬服务收费公示不全" in listed
