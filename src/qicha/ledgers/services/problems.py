"""A ledger row opens a problem in the problem ledger (查摆问题, to be rectified), and the row keeps the link."""

from django.db import transaction

from qicha.campaigns import queries as campaign_queries
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version
from qicha.problems.models import Source
from qicha.problems.services import register_problem

from .. import columns as col
from ..models import LedgerRow


def row_summary(row: LedgerRow) -> str:
    """The row in words, for the problem's description: "农村低保专项治理台账第 3 条：户主姓名：张三；问题类型：错保 …"."""
    parts = [f"{c['label']}：{col.display(c, row.values.get(c['key']))}" for c in row.definition.visible_columns
             if row.values.get(c["key"]) not in (None, "", []) and c["type"] != col.ATTACHMENT]
    return f"{row.definition.name}第 {row.pk} 条：" + "；".join(parts)


def open_problem(actor, row: LedgerRow, *, version: int | None, rectification_type: str, measures: str, deadline,
                 milestones=(), description: str = ""):
    """Register a problem of the row's unit (current campaign, the ledger's check item) and link it to the row."""
    if not can_act_on(actor, "ledger.edit", row.unit) or not can_act_on(actor, "problem.create", row.unit):
        raise NotFound()
    if row.problem_id:
        raise Invalid("该记录已登记为问题。", {"problem": f"已关联问题 {row.problem_id}"})
    campaign = campaign_queries.current_campaign(actor)
    if campaign is None:
        raise Invalid("当前没有进行中的专项行动，不能登记问题。")
    check_item = campaign.check_items.filter(ordinal=row.definition.check_item).first() if row.definition.check_item else None
    with transaction.atomic():
        claim_version(row, version)
        problem = register_problem(actor, campaign=campaign, unit=row.unit, milestones=milestones,
                                   source=Source.SELF_INSPECTION, check_item=check_item,
                                   description=(description or "").strip() or row_summary(row),
                                   rectification_type=rectification_type, measures=measures, deadline=deadline)
        row.problem = problem
        row.save(update_fields=["problem", "updated_at"])
        record_event(EventType.UPDATE, actor=actor, obj=row, action="open_problem", after={"problem": problem.pk},
                     detail=f"登记为问题 {problem.pk}")
    return problem
