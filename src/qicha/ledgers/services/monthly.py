"""按月填报: a monthly ledger counts as filled by a unit in a month when the unit added or edited rows in it that
month, or declared that it had nothing new (零报告). The row services mark the month as they write; the declaration
is its own audited act."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on

from ..models import Frequency, LedgerDefinition, LedgerMonthFiling

EDIT = "ledger.edit"


def month_of(day: date) -> date:
    return day.replace(day=1)


def mark_filed(definition: LedgerDefinition, unit_ids, actor, added: dict | None = None) -> None:
    """Inside the writing transaction: the units wrote this monthly ledger this month (`added`: unit id → new rows).
    A 零报告 the unit declared earlier in the month no longer holds once it adds a row."""
    if definition.frequency != Frequency.MONTHLY:
        return
    month = month_of(timezone.localdate())
    added = added or {}
    for unit_id in sorted(set(unit_ids)):
        filing, created = LedgerMonthFiling.objects.get_or_create(
            definition=definition, unit_id=unit_id, month=month,
            defaults={"added": added.get(unit_id, 0), "filed_by": actor})
        if not created and (added.get(unit_id) or filing.nil):
            LedgerMonthFiling.objects.filter(pk=filing.pk).update(
                added=F("added") + added.get(unit_id, 0), nil=filing.nil and not added.get(unit_id),
                filed_by=actor, filed_at=timezone.now())


def declare_nil(actor, definition: LedgerDefinition, unit) -> LedgerMonthFiling:
    """本月无新增: the unit says it has nothing to add to this monthly ledger this month."""
    if not can_act_on(actor, EDIT, unit):
        raise NotFound()
    if definition.frequency != Frequency.MONTHLY:
        raise Invalid("该台账不是按月填报的台账，无需零报告。")
    if definition.unit_kinds and unit.kind not in definition.unit_kinds:
        raise Invalid(f"“{unit.name}”不是该台账的填报单位类型。", {"unit": "该单位不填报此台账"})
    month = month_of(timezone.localdate())
    with transaction.atomic():
        filing = LedgerMonthFiling.objects.select_for_update().filter(definition=definition, unit=unit,
                                                                       month=month).first()
        if filing is not None:
            what = "已作零报告" if filing.nil else f"已填报（新增 {filing.added} 条）" if filing.added else "已更新记录"
            raise Invalid(f"{unit.name}{month.month}月的{definition.name}{what}，无需再作零报告。")
        try:
            with transaction.atomic():  # a savepoint: another 零报告 for the same month may commit first
                filing = LedgerMonthFiling.objects.create(definition=definition, unit=unit, month=month, nil=True,
                                                          filed_by=actor)
        except IntegrityError:
            raise Conflict(f"{unit.name}{month.month}月的{definition.name}刚刚已由他人填报或作零报告，请刷新页面查看。") from None
        record_event(EventType.CREATE, actor=actor, obj=filing, action="ledger_nil_report",
                     object_repr=f"{unit.name} {month.year}年{month.month}月 {definition.name}",
                     after={"台账": definition.name, "单位": unit.name, "月份": f"{month:%Y-%m}", "零报告": "本月无新增"},
                     detail=f"{unit.name}{month.year}年{month.month}月{definition.name}零报告（本月无新增）")
    return filing
