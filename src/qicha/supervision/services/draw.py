"""随机抽查的抽签 (R-SUP-3): which units are inspected, and by whom — drawn at random, weighted by risk, reproducibly.

The draw is a pure function of its inputs (`compute_draw`); the Draw row keeps the seed and every input, so anyone can
run it again (`rerun_draw`) and must get the same result.

Weight of a candidate unit u:

    w(u) = 1 + Σ_f weight_f × factor_f(u) / max_v factor_f(v)

over the factors f = 服务对象 (service_coverage), 监管资金 (funds), 特殊群体 (special_groups) and 逾期未整改问题
(overdue_problems, counted live from the problem ledger at the moment of the draw); a factor whose maximum over the
candidates is 0 adds nothing. Every unit weighs at least 1, so a unit with no risk factor can still be drawn.

Sampling without replacement (Efraimidis & Spirakis, 2006): each unit, taken in the order of its id, gets
u ~ U(0, 1] from `random.Random(seed)`, and key = u^(1/w); the `count` units with the largest keys are drawn.
Keys are compared as ln(u)/w (the same order), computed in decimal arithmetic with a fixed context: Python's
Mersenne Twister and the decimal module are specified to the bit, so the draw is identical on every machine
(no hash randomisation, no platform maths library).

Inspectors: for each drawn unit, the pool minus anyone in conflict — an inspector whose unit is the drawn unit, is
above it or below it in the tree (one "line": either path is a prefix of the other). Each eligible inspector gets a
random key; those not yet drawn for another unit come first, so nobody is drawn twice when the pool allows. Units
with the fewest eligible inspectors are served first.
"""

import random
import secrets
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, record_event, to_json_safe
from qicha.core.errors import Conflict, Forbidden, Invalid
from qicha.core.scope import can_act_on, has_permission
from qicha.orgs.models import Role, UnitKind, User
from qicha.orgs.permissions import ADMIN
from qicha.problems.models import Problem
from qicha.problems.queries import overdue_q

from ..models import (
    Draw,
    Inspection,
    InspectionInspector,
    InspectionKind,
    InspectionStatus,
    InspectionTarget,
    RiskProfile,
    RiskWeights,
)

ALGORITHM = "efraimidis-spirakis"
ALGORITHM_VERSION = 1
ALGORITHM_NAME = f"{ALGORITHM}/v{ALGORITHM_VERSION}"
FORMULA = "w = 1 + Σ 权重f × 因素f ÷ 候选单位中因素f的最大值；key = u^(1/w)，u 取自 random.Random(种子)，取 key 最大的单位"

FACTORS = ("service_coverage", "funds", "special_groups", "overdue_problems")
FACTOR_LABELS = {
    "service_coverage": "服务对象（人）",
    "funds": "监管资金（万元）",
    "special_groups": "特殊群体（人）",
    "overdue_problems": "逾期未整改问题（个）",
}
DEFAULT_KINDS = (UnitKind.DISTRICT_BUREAU, UnitKind.SUBORDINATE, UnitKind.DEPARTMENT)
MAX_PER_UNIT = 10
SEED_MAX = 64
# Fixed decimal context: the same digits everywhere, whatever the caller's context.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
SHOWN = Decimal("0.000001")


# --- the pure draw -------------------------------------------------------------------------------------------------

def in_conflict(inspector_unit_path: str, unit_path: str) -> bool:
    """An inspector does not inspect their own unit, nor a unit above or below it (the same line)."""
    if not inspector_unit_path:
        return False
    return inspector_unit_path.startswith(unit_path) or unit_path.startswith(inspector_unit_path)


def unit_weights(units: list[dict], weights: dict) -> dict[int, Decimal]:
    """w(u) = 1 + Σ_f weight_f × factor_f(u) / max factor_f, per unit id (full precision)."""
    with localcontext(CONTEXT):
        maxima = {f: max((Decimal(str(u[f])) for u in units), default=Decimal(0)) for f in FACTORS}
        result = {}
        for u in units:
            w = Decimal(1)
            for f in FACTORS:
                if maxima[f] > 0:
                    w += Decimal(str(weights[f])) * (Decimal(str(u[f])) / maxima[f])
            result[u["id"]] = w
        return result


def compute_draw(inputs: dict) -> dict:
    """The draw from its inputs alone (see the module docstring). Raises Invalid when it cannot be made."""
    units = sorted(inputs["units"], key=lambda u: u["id"])
    pool = sorted(inputs["pool"], key=lambda p: p["id"])
    count, per_unit = int(inputs["count"]), int(inputs["inspectors_per_unit"])
    if not units:
        raise Invalid("没有候选单位，无法抽签。", {"units": "请至少选择一个候选单位"})
    if not 1 <= count <= len(units):
        raise Invalid(f"抽取单位数应在 1 至 {len(units)}（候选单位数）之间。", {"count": f"应在 1 至 {len(units)} 之间"})
    if not 1 <= per_unit <= MAX_PER_UNIT:
        raise Invalid(f"每个单位的检查人员应在 1 至 {MAX_PER_UNIT} 人之间。",
                      {"inspectors_per_unit": f"应在 1 至 {MAX_PER_UNIT} 之间"})
    rng = random.Random(f"{inputs['seed']}")
    weights = unit_weights(units, inputs["weights"])
    rows = []
    with localcontext(CONTEXT):
        for u in units:
            draw = Decimal(1.0 - rng.random())  # exact binary value, in (0, 1]
            key = draw.ln() / weights[u["id"]]  # ln(u^(1/w)): same order as u^(1/w)
            rows.append({"id": u["id"], "name": u["name"], "weight": str(weights[u["id"]].quantize(SHOWN)),
                         "u": str(draw.quantize(SHOWN)), "key": str(key), "_key": key})
    rows.sort(key=lambda r: (-r["_key"], r["id"]))
    chosen = rows[:count]
    by_id = {u["id"]: u for u in units}

    # Inspectors: most constrained unit first; the ones not drawn yet before the ones already drawn.
    eligible = {r["id"]: [p for p in pool if not in_conflict(p.get("unit_path") or "", by_id[r["id"]]["path"])]
                for r in chosen}
    rank = {r["id"]: i for i, r in enumerate(chosen)}
    used: set[int] = set()
    assignments = {}
    for unit_id in sorted(eligible, key=lambda i: (len(eligible[i]), rank[i])):
        people = eligible[unit_id]
        if len(people) < per_unit:
            raise Invalid(
                f"检查人员不足：可派往“{by_id[unit_id]['name']}”的检查人员只有 {len(people)} 人（已排除该单位及其上下级"
                f"单位的人员），每个单位需要 {per_unit} 人。请减少每个单位的检查人员数，或请安全管理员为更多人员分配督导员角色。",
                {"inspectors_per_unit": f"“{by_id[unit_id]['name']}”可派检查人员只有 {len(people)} 人"},
            )
        keys = {p["id"]: rng.random() for p in people}
        picked = sorted(people, key=lambda p: (p["id"] in used, keys[p["id"]], p["id"]))[:per_unit]
        assignments[unit_id] = [p["id"] for p in picked]
        used.update(assignments[unit_id])
    for r in rows:
        r["selected"] = r["id"] in rank
        del r["_key"]
    return {
        "algorithm": ALGORITHM_NAME,
        "ranking": rows,
        "selected": [r["id"] for r in chosen],
        "assignments": [{"unit": r["id"], "inspectors": assignments[r["id"]]} for r in chosen],
    }


# --- inputs from the database --------------------------------------------------------------------------------------

def weights_for(campaign: Campaign) -> RiskWeights:
    """The campaign's weights (all 1 until the office changes them); not saved by reading."""
    return RiskWeights.objects.filter(campaign=campaign).first() or RiskWeights(campaign=campaign)


def weight_text(value) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def default_candidates(campaign: Campaign):
    return campaign.participating_units.filter(kind__in=DEFAULT_KINDS).order_by("path")


def eligible_candidates(actor, campaign: Campaign):
    """The participating units the actor may draw from (inspection.manage scope)."""
    return [u for u in campaign.participating_units.order_by("path") if can_act_on(actor, "inspection.manage", u)]


def risk_factors(campaign: Campaign, units) -> list[dict]:
    """Each unit with its factor values: the office's risk profile, and open overdue problems counted now
    (the unit and its sub-units, this campaign)."""
    units = list(units)
    profiles = {p.unit_id: p for p in RiskProfile.objects.filter(unit__in=units)}
    overdue = overdue_counts(campaign, units)
    rows = []
    for unit in sorted(units, key=lambda u: u.pk):
        profile = profiles.get(unit.pk) or RiskProfile(unit=unit)
        rows.append({
            "id": unit.pk, "name": unit.name, "path": unit.path,
            "service_coverage": int(profile.service_coverage), "funds": str(Decimal(profile.funds).quantize(Decimal("0.01"))),
            "special_groups": int(profile.special_groups),
            "overdue_problems": overdue[unit.pk],
        })
    return rows


def _role_ids(test) -> list[int]:
    return [r.pk for r in Role.objects.all() if test(set(r.permissions))]


def inspector_pool():
    """Active users holding a role with inspection.work, not the 三员 (who hold no business role anyway)."""
    work = _role_ids(lambda perms: "inspection.work" in perms)
    admin = _role_ids(lambda perms: bool(perms & set(ADMIN)))
    return (User.objects.filter(is_active=True, roles__in=work).exclude(roles__in=admin).distinct()
            .select_related("unit").order_by("id"))


def pool_entry(user: User) -> dict:
    return {"id": user.pk, "name": user.display_name, "unit_id": user.unit_id,
            "unit_name": user.unit.name if user.unit_id else "", "unit_path": user.unit.path if user.unit_id else ""}


def build_inputs(campaign: Campaign, units, pool, *, seed: str, count: int, per_unit: int) -> dict:
    weights = weights_for(campaign)
    return to_json_safe({
        "algorithm": ALGORITHM_NAME, "formula": FORMULA, "seed": seed, "campaign": campaign.pk,
        "units": risk_factors(campaign, units),
        "weights": {f: weight_text(getattr(weights, f)) for f in FACTORS},
        "count": count, "inspectors_per_unit": per_unit,
        "pool": [pool_entry(u) for u in pool],
    })


def new_seed() -> str:
    return secrets.token_hex(8)


# --- the draw as a write -------------------------------------------------------------------------------------------

def draw_inspection(actor, inspection: Inspection, *, count: int, per_unit: int, unit_ids=None, pool_ids=None,
                    seed: str | None = None) -> Draw:
    """抽签 for a planned 随机抽查: compute, store the seed, inputs and result, create the targets and inspectors."""
    if not has_permission(actor, "inspection.manage"):
        raise Forbidden("您无权为随机抽查抽签。")
    if inspection.kind != InspectionKind.RANDOM:
        raise Invalid("只有随机抽查需要抽签；其他检查方式在计划中直接选择被检查单位。")
    if inspection.status != InspectionStatus.PLANNED:
        raise Invalid(f"检查状态为“{inspection.get_status_display()}”，不能再抽签。")
    if Draw.objects.filter(inspection=inspection).exists() or inspection.targets.exists():
        raise Conflict("该随机抽查已经抽签，不能重复抽取。")
    errors = {}
    seed = (seed or "").strip()
    if len(seed) > SEED_MAX:
        errors["seed"] = f"随机种子不超过 {SEED_MAX} 个字符"
    allowed = eligible_candidates(actor, inspection.campaign)
    if unit_ids:
        wanted = {int(i) for i in unit_ids}
        units = [u for u in allowed if u.pk in wanted]
        if len(units) != len(wanted):
            errors["units"] = "候选单位须是本专项行动的参与单位，且在您的数据权限范围内"
    else:
        units = [u for u in allowed if u.kind in DEFAULT_KINDS]
    pool = list(inspector_pool())
    if pool_ids:
        wanted_pool = {int(i) for i in pool_ids}
        pool = [u for u in pool if u.pk in wanted_pool]
        if len(pool) != len(wanted_pool):
            errors["pool"] = "检查人员须是在岗的督导检查人员"
    try:
        count, per_unit = int(count), int(per_unit)
    except (TypeError, ValueError):
        errors["count"] = "请填写抽取单位数和每个单位的检查人员数"
    if errors:
        raise Invalid(details=errors)
    inputs = build_inputs(inspection.campaign, units, pool, seed=seed or new_seed(), count=count, per_unit=per_unit)
    result = to_json_safe(compute_draw(inputs))
    with transaction.atomic():
        claimed = Inspection.objects.filter(pk=inspection.pk, status=InspectionStatus.PLANNED).update(
            version=F("version") + 1)
        if not claimed:
            raise Conflict("该检查已被他人处理，请刷新页面。")
        try:
            with transaction.atomic():
                draw = Draw.objects.create(inspection=inspection, seed=inputs["seed"], algorithm=ALGORITHM_NAME,
                                           inputs=inputs, result=result, drawn_by=actor)
        except IntegrityError as exc:
            raise Conflict("该随机抽查已经抽签，不能重复抽取。") from exc
        units_by_id = {u.pk: u for u in units}
        users_by_id = {u.pk: u for u in pool}
        for assignment in result["assignments"]:
            target = InspectionTarget.objects.create(inspection=inspection, unit=units_by_id[assignment["unit"]])
            InspectionInspector.objects.bulk_create(
                InspectionInspector(inspection=inspection, user=users_by_id[uid], target=target)
                for uid in assignment["inspectors"]
            )
        inspection.version += 1
        record_event(EventType.CREATE, actor=actor, obj=draw, action="draw",
                     after={"seed": draw.seed, "algorithm": draw.algorithm, "selected": result["selected"],
                            "assignments": result["assignments"]},
                     detail=f"随机种子 {draw.seed}，抽中 {len(result['selected'])} 个单位")
    return draw


def rerun_draw(draw: Draw) -> dict:
    """The draw recomputed from its stored inputs (the stored result must equal it)."""
    return to_json_safe(compute_draw(draw.inputs))


def verify_draw(draw: Draw) -> bool:
    """复核抽签结果: 一致 (True) when re-running the stored inputs gives the stored result."""
    try:
        return rerun_draw(draw) == draw.result
    except Invalid:
        return False


def overdue_counts(campaign: Campaign, units) -> dict[int, int]:
    """Open overdue problems per unit (with its sub-units), for the risk settings page."""
    units = list(units)
    counts = dict.fromkeys((u.pk for u in units), 0)
    rows = (Problem.objects.filter(campaign=campaign).filter(overdue_q()).values("unit__path")
            .annotate(n=Count("id")))
    for row in rows:
        for u in units:
            if row["unit__path"].startswith(u.path):
                counts[u.pk] += row["n"]
    return counts

