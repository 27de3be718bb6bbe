"""Clues and supervised cases on the 工作台: each ledger's to-do lists (and the reply rate) from one aggregate query."""

from qicha.core.masking import mask_free_text
from qicha.core.workbench import Card, Figure, TodoRow, cut, first_rows_each

from . import case_queries, queries

CLUES, CASES = "/clues/", "/cases/"

# name → (label, the list showing exactly those rows; None where no list shows the figure alone), in page order.
CLUE_TODOS = {
    "received": ("待分办线索", f"{CLUES}?status=received"),
    "to_verify": ("待核查线索", f"{CLUES}?to_verify=1"),
    "reply": ("实名举报待答复", f"{CLUES}?awaiting_reply=1"),
    "verified": ("待审核办结的线索", f"{CLUES}?status=verified"),
    "overdue": ("超期未核查线索", f"{CLUES}?overdue=1"),
    "escalated": ("提级复核", f"{CLUES}?status=escalated"),
}
REPLY_RATE = {"reply_due": ("应答复的实名举报", None), "replied": ("已答复的实名举报", None)}
CASE_TODOS = {
    "active": ("在办督办案件", f"{CASES}?active=1"),
    "concluded": ("待销号案件", f"{CASES}?status=concluded"),
}


def _figures(counts: dict, named: dict) -> dict[str, Figure]:
    return {name: Figure(named[name][0], n, named[name][1]) for name, n in counts.items()}


def clue_row(c) -> TodoRow:
    """The clue by its 线索编号 (its # only without one), the content masked."""
    return TodoRow(f"{CLUES}{c.pk}/", cut(mask_free_text(c.content or ""), 24),
                   f"{(c.unit.name if c.unit_id else '') or '未分办'} · {c.get_source_display()}",
                   number=str(c), due=c.due_date, days=c.days_left, late="超期", pk=c.pk)


def case_row(k) -> TodoRow:
    received = k.received_date.isoformat() if k.received_date else ""
    return TodoRow(f"{CASES}{k.pk}/", cut(k.name, 28),
                   f"{k.unit.name} · {k.get_source_display()} · {received}", aside=k.get_status_display(), pk=k.pk)


# What the rows print, and nothing else: `clue_row` and `case_row` read these.
CLUE_FIELDS = ("content", "reference_no", "due_date", "status", "source", "unit__name")
CASE_FIELDS = ("name", "source", "received_date", "status", "unit__name")


def _todo_cards(figures: dict, lists: dict, named: dict, *, prefix: str, order: tuple, row, fields: tuple) -> list:
    shown = [name for name in named if name in figures and name in lists]
    # Every card's first rows in two queries, not two per card.
    rows = first_rows_each({name: lists[name] for name in shown}, {name: figures[name].value for name in shown},
                           order, ("unit",), fields)
    return [Card(f"{prefix}{name}", figures[name].label, "notify/_todo_card.html", count=figures[name].value,
                 link=figures[name].url, rows=[row(found) for found in rows[name]]) for name in shown]


def _clue_lists(viewer) -> dict:
    return viewer.once("clues", lambda: queries.workbench_lists(viewer.user, viewer.fact("campaign"), viewer.today))


def _case_lists(viewer) -> dict:
    return viewer.once("cases", lambda: case_queries.workbench_lists(viewer.user))


def clue_counts(viewer) -> dict:
    return _clue_lists(viewer)


def clue_figures(viewer) -> dict[str, Figure]:
    return _figures(viewer.counts("clues"), CLUE_TODOS | REPLY_RATE)


def clue_cards(viewer, figures) -> list[Card]:
    lists = _clue_lists(viewer)
    cards = _todo_cards(figures, lists, CLUE_TODOS, prefix="clue_", order=("due_date", "id"),
                        row=clue_row, fields=CLUE_FIELDS)
    if "reply_due" in figures and figures["reply_due"].value:
        rate = queries.rate_of(figures["reply_due"].value, figures["replied"].value)
        cards.insert(0, Card("reply_rate", "实名举报答复率", "clues/_workbench_reply_rate.html", slot="summary",
                             data=rate))
    return cards


def case_counts(viewer) -> dict:
    return _case_lists(viewer)


def case_figures(viewer) -> dict[str, Figure]:
    return _figures(viewer.counts("cases"), CASE_TODOS)


def case_cards(viewer, figures) -> list[Card]:
    return _todo_cards(figures, _case_lists(viewer), CASE_TODOS, prefix="case_",
                       order=("received_date", "id"), row=case_row, fields=CASE_FIELDS)
