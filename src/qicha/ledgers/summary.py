"""The summaries' table per built-in ledger (core.registry.register_summary_tables): rows by the ledger's kind
column, with how many are closed (a yes/no 是否办结 column), by status (a choice column named …状态) and the sums
of its amounts, as of the summary's day, in the writer's scope; and the one sentence 取得的成效 says about it. A
ledger with no rows gets neither (a table of zeros says nothing the sentence could not)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from qicha.core.registry import SummaryTable

from . import columns as col
from . import queries
from .workbench import closed_column

TABLE_WIDTH = 156  # mm, as the summary's other tables
FIRST_WIDTH = 36


def _group_column(definition) -> dict | None:
    choices = [c for c in definition.visible_columns if c["type"] == col.CHOICE_T]
    return next((c for c in choices if "类型" in c["label"] or "等级" in c["label"]), choices[0] if choices else None)


def _status_column(definition) -> dict | None:
    return next((c for c in definition.visible_columns if c["type"] == col.CHOICE_T and "状态" in c["label"]), None)


def _amount(stored) -> Decimal:
    try:
        return Decimal(str(stored)) if stored not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def ledger_table(user, definition, as_of: date) -> SummaryTable | None:
    group = _group_column(definition)
    if group is None:
        return None
    closed, status = closed_column(definition), _status_column(definition)
    amounts = [c for c in definition.visible_columns if c["type"] == col.AMOUNT]
    options = col.options_of(group)
    statuses = col.options_of(status) if status else []
    keys = ["rows", *(["closed", "open"] if closed else []), *statuses, *(c["key"] for c in amounts)]
    tally = {option: dict.fromkeys(keys, 0) for option in [*options, "合计"]}
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    for values in (queries.visible_rows(user, definition).filter(created_at__lt=end)
                   .values_list("values", flat=True).iterator(chunk_size=2000)):
        for option in (values.get(group["key"]), "合计"):
            if option not in tally:
                continue
            counts = tally[option]
            counts["rows"] += 1
            if closed:
                counts["closed" if values.get(closed) else "open"] += 1
            if status and values.get(status["key"]) in counts:
                counts[values[status["key"]]] += 1
            for c in amounts:
                counts[c["key"]] += _amount(values.get(c["key"]))
    if not tally["合计"]["rows"]:
        return None  # nothing registered: no table of zeros, and no sentence
    header = [group["label"], "登记（条）", *(["已办结", "未办结"] if closed else []), *statuses,
              *(c["label"] for c in amounts)]
    rows = [[option, *(_money(tally[option][k]) if k in {c["key"] for c in amounts} else tally[option][k]
                       for k in keys)] for option in tally]
    rest = (TABLE_WIDTH - FIRST_WIDTH) // (len(header) - 1)
    widths = [TABLE_WIDTH - rest * (len(header) - 1), *[rest] * (len(header) - 1)]
    day = f"{as_of.year}年{as_of.month}月{as_of.day}日"
    return SummaryTable(title=f"{definition.name}情况", header=header, rows=rows, widths=widths,
                        note=f"统计截至{day}登记的记录，按{group['label']}分列。",
                        sentence=_sentence(definition, group, closed, statuses, amounts, tally))


def _sentence(definition, group, closed, statuses, amounts, tally) -> str:
    total = tally["合计"]
    if not total["rows"]:
        return ""
    parts = [f"{definition.name}登记{total['rows']}条"]
    kinds = "、".join(f"{option}{counts['rows']}条" for option, counts in tally.items()
                      if option != "合计" and counts["rows"])
    if kinds:
        parts[0] += f"，其中{kinds}"
    if closed:
        parts.append("已全部办结" if total["closed"] == total["rows"] else
                     f"已办结{total['closed']}条、未办结{total['open']}条" if total["closed"] else "均未办结")
    if statuses:
        shown = "、".join(f"{s}{total[s]}条" for s in statuses if total[s])
        if shown:
            parts.append(shown)
    for c in amounts:
        if total[c["key"]]:
            parts.append(f"{c['label'].split('（')[0]}合计{_money(total[c['key']])}元")
    return "，".join(parts) + "。"


def summary_tables(user, as_of: date) -> list[SummaryTable]:
    """One table per built-in ledger the user may see that has rows by then (a ledger the office defined later is its
    own business)."""
    tables = (ledger_table(user, d, as_of) for d in queries.visible_definitions(user).filter(builtin=True))
    return [table for table in tables if table is not None]
