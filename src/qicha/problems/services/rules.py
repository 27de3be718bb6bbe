from django.db import transaction

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on

from ..models import LastingRule


def record_lasting_rule(actor, *, campaign, unit, title: str, document_no: str = "", issued_on=None, summary: str = "",
                        problems=()) -> LastingRule:
    """制度成果: a rule or norm, with the problems (of its unit's scope) that it closes."""
    if not can_act_on(actor, "rule.manage", unit):
        raise NotFound()
    if not (title or "").strip():
        raise Invalid(details={"title": "请填写制度名称。"})
    foreign = [p for p in problems if not p.unit.path.startswith(unit.path) or p.campaign_id != campaign.pk]
    if foreign:
        raise Invalid(details={"problems": "只能关联本单位（含下属单位）在本次专项行动中的问题。"})
    with transaction.atomic():
        rule = LastingRule.objects.create(campaign=campaign, unit=unit, title=title.strip(), document_no=document_no.strip(),
                                          issued_on=issued_on, summary=summary.strip(), created_by=actor)
        rule.problems.set(problems)
        record_event(EventType.CREATE, actor=actor, obj=rule,
                     after={"title": rule.title, "problems": [p.pk for p in problems]})
    return rule
