"""The problem ledger on the 工作台: its counters, to-do lists and 挂账督办, from one aggregate query."""

from qicha.core.masking import mask_free_text
from qicha.core.workbench import Card, Figure, TodoRow, cut, first_rows_each

from .models import Status
from .numbers import format_problem_no
from .queries import SOON_DAYS, Unclosed, workbench_lists

LEDGER = "/problems/"
RELATED = ("unit",)
# What the rows print, and nothing else (a problem carries 25 columns): `todo_row` and `supervised_row` read these.
ROW_FIELDS = ("description", "deadline", "status", "return_reason", "responsible_person_name", "unit__name")

# name → (label, the ledger list showing exactly those rows; None where no list shows the figure alone)
FIGURES = {
    **{status: (label, f"{LEDGER}?status={status}") for status, label in Status.choices},
    "overdue": ("逾期", f"{LEDGER}?overdue=1"),
    "assigned": ("分配给我的问题", f"{LEDGER}?mine=1&rectifying=1"),
    "returned": ("被退回的问题", f"{LEDGER}?status=in_progress&returned=1"),
    "due_soon": (f"{SOON_DAYS}日内到期的问题", f"{LEDGER}?due_within_days={SOON_DAYS}"),
    "work_overdue": ("已逾期的问题", f"{LEDGER}?overdue=1"),
    "no_owner": ("待落实责任人的问题", f"{LEDGER}?no_owner=1"),
    "to_review": ("待我审核销号", f"{LEDGER}?status=submitted"),
    "supervised": ("逾期挂账督办", f"{LEDGER}?overdue=1"),
}
# The to-do cards, in page order: (card key, figure).
TODOS = (("assigned", "assigned"), ("returned", "returned"), ("due_soon", "due_soon"), ("overdue", "work_overdue"),
         ("no_owner", "no_owner"), ("to_review", "to_review"))


def todo_row(p) -> TodoRow:
    return TodoRow(f"{LEDGER}{p.pk}/", cut(mask_free_text(p.description), 28), p.unit.name, number=format_problem_no(p.pk),
                   due=p.deadline, days=p.days_left, warning=f"退回理由：{p.return_reason}" if p.return_reason else "",
                   pk=p.pk)


def supervised_row(p) -> TodoRow:
    """A row of the 挂账督办 table: the problem, its unit, its 责任人 (`aside`) and its deadline."""
    return TodoRow(f"{LEDGER}{p.pk}/", cut(mask_free_text(p.description), 40), p.unit.name, number=format_problem_no(p.pk),
                   due=p.deadline, days=p.days_left, aside=p.responsible_person_name or "—", pk=p.pk)


def _lists(viewer) -> dict:
    return viewer.once("problems", lambda: workbench_lists(viewer.user, viewer.today))


def problem_counts(viewer) -> dict:
    return _lists(viewer)


def problem_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("problems")
    if not counts:
        return {}
    figures = {name: Figure(FIGURES[name][0], n, FIGURES[name][1]) for name, n in counts.items()}
    total = sum(counts[s] for s in Status.values) - counts[Status.VOIDED]
    unclosed = Unclosed.from_counts(counts)
    figures["total"] = Figure("问题总数", total, f"{LEDGER}?not_voided=1")
    figures["unclosed"] = Figure("未销号", unclosed.total, f"{LEDGER}?unclosed=1")
    figures["closure_rate"] = Figure("销号率", round(100.0 * counts[Status.CLOSED] / total, 1) if total else 0.0)
    return figures


def problem_cards(viewer, figures: dict[str, Figure]) -> list[Card]:
    if not figures:
        return []
    lists = _lists(viewer)
    value = {name: figure.value for name, figure in figures.items()}
    cards = [Card("counters", "问题整改", "problems/_workbench_counters.html", slot="summary", data={
        "total": figures["total"], "unclosed": Unclosed.from_counts(value), "unclosed_url": figures["unclosed"].url,
        "closed": figures[Status.CLOSED],
        "overdue": figures["overdue"], "closure_rate": value["closure_rate"]})]
    # Every to-do list's first rows in two queries (the 挂账督办 table's too), not two per card.
    shown = [name for _, name in TODOS if name in figures] + (["supervised"] if "supervised" in figures else [])
    rows = first_rows_each({name: lists[name] for name in shown}, value, ("deadline", "id"), RELATED, ROW_FIELDS)
    for key, name in TODOS:
        if name in figures:
            cards.append(Card(key, figures[name].label, "notify/_todo_card.html", count=figures[name].value,
                              link=figures[name].url, rows=[todo_row(p) for p in rows[name]]))
    if "supervised" in figures and figures["supervised"].value:
        cards.append(Card("supervised", figures["supervised"].label, "problems/_workbench_supervised.html", slot="wide",
                          count=figures["supervised"].value, link=figures["supervised"].url,
                          rows=[supervised_row(p) for p in rows["supervised"]]))
    return cards

