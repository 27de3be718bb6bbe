"""The review of a flagged beneficiary: 待核实 / 属实 / 不属实 (with reason), and a confirmed hit in one click as a row
of the 低保 sector ledger or as a clue (domain 低保). Each is the named act of a row of HIT_WORKFLOW."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from qicha.campaigns.queries import current_campaign
from qicha.clues.models import Domain, Source
from qicha.clues.services.intake import register_clue
from qicha.core.errors import Invalid
from qicha.ledgers.models import LedgerDefinition
from qicha.ledgers.services.rows import create_row

from ..engine import RULES
from ..models import Hit
from ..workflow import HIT_WORKFLOW

DIBAO_LEDGER = "dibao"
LEDGER_KINDS = ("错保", "关系保")


def _stamp(actor, reason: str) -> dict:
    return {"reason": (reason or "").strip()[:300], "reviewed_by": actor, "reviewed_at": timezone.now()}


@HIT_WORKFLOW.act("verify")
def mark_to_verify(actor, hit: Hit, *, version: int, reason: str = "") -> Hit:
    step = HIT_WORKFLOW.begin(actor, hit, "verify")
    step.apply(version=version, fields=_stamp(actor, reason), detail=reason)
    return hit


@HIT_WORKFLOW.act("confirm")
def confirm_hit(actor, hit: Hit, *, version: int, reason: str = "") -> Hit:
    step = HIT_WORKFLOW.begin(actor, hit, "confirm")
    step.apply(version=version, fields=_stamp(actor, reason), detail=reason)
    return hit


@HIT_WORKFLOW.act("reject")
def reject_hit(actor, hit: Hit, *, version: int, reason: str = "") -> Hit:
    step = HIT_WORKFLOW.begin(actor, hit, "reject")
    if not (reason or "").strip():
        raise Invalid("请说明不属实的理由。", {"reason": "请填写理由，如：已登记的豁免车辆"})
    step.apply(version=version, fields=_stamp(actor, reason), detail=reason)
    return hit


def default_ledger_kind(hit: Hit) -> str:
    return "关系保" if "R1" in (hit.rules or []) else "错保"


def situation(hit: Hit) -> str:
    """What the hit says, for the ledger row and the clue; it names the hit (the way back from there)."""
    lines = [f"数据比对（{hit.run.payment_month} 发放名册，第 {hit.run_id} 批，命中编号 {hit.pk}）发现："]
    for item in hit.evidence.all():
        rule = RULES[item.rule]
        facts = "，".join(f"{label}：{value}" for label, value in zip(rule.evidence, (item.ev1, item.ev2, item.ev3),
                                                                      strict=True) if label and value)
        lines.append(f"{rule.code} {rule.name}" + (f"（{facts}）" if facts else ""))
    if hit.reason:
        lines.append(f"核查情况：{hit.reason}")
    return "\n".join(lines)


def _amount(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise Invalid("追回金额应为数字。", {"amount": "追回金额应为数字，如 1250.00"}) from None
    if value < 0:
        raise Invalid("追回金额不能为负数。", {"amount": "追回金额不能为负数"})
    return value


@HIT_WORKFLOW.act("to_ledger")
def record_in_ledger(actor, hit: Hit, *, version: int, kind: str = "", amount=None) -> Hit:
    step = HIT_WORKFLOW.begin(actor, hit, "to_ledger")
    if hit.ledger_row_id:
        raise Invalid("该命中已登记到低保台账。")
    kind = kind or default_ledger_kind(hit)
    if kind not in LEDGER_KINDS:
        raise Invalid("问题类型只能是错保或关系保。", {"kind": "请选择错保或关系保"})
    recovered = _amount(amount)
    definition = LedgerDefinition.objects.filter(key=DIBAO_LEDGER).first()
    if definition is None:
        raise Invalid("系统中没有农村低保专项治理台账。")
    values = {"head_name": hit.name, "head_id": hit.id_number.clear(), "village": hit.village_code or hit.county_code,
              "kind": kind, "found_by": "数据比对", "found_on": timezone.localdate(), "situation": situation(hit),
              "action": ["停保", "追回资金"] if recovered else ["停保"], "recovered": recovered, "closed": False}
    with transaction.atomic():
        row = create_row(actor, definition, hit.unit, values)
        step.apply(version=version, fields={"ledger_row": row}, detail=f"低保台账第 {row.pk} 条（{kind}）")
    return hit


@HIT_WORKFLOW.act("to_clue")
def turn_into_clue(actor, hit: Hit, *, version: int) -> Hit:
    step = HIT_WORKFLOW.begin(actor, hit, "to_clue")
    if hit.clue_id:
        raise Invalid("该命中已转为线索。")
    campaign = current_campaign(actor)
    if campaign is None:
        raise Invalid("当前没有进行中的专项行动，不能登记线索。")
    with transaction.atomic():
        clue = register_clue(actor, campaign=campaign, source=Source.PROACTIVE, received_date=timezone.localdate(),
                             content=situation(hit), domain=Domain.SUBSISTENCE, region=hit.village_code or hit.county_code,
                             unit=hit.unit, real_name=False,
                             subjects=[{"name": hit.name, "id_number": hit.id_number.clear()}])
        step.apply(version=version, fields={"clue": clue}, detail=f"线索 {clue.pk}")
    return hit
