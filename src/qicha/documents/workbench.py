"""单位总结 on the 工作台: the office's summaries waiting to be received, a unit's summaries sent back to it."""

from qicha.core.workbench import TODO_LIMIT, Card, Figure

from .queries import SUMMARY_TODOS, summary_todo_rows, summary_todos

HOME = "/documents/units/"


def todo_url(name: str) -> str:
    return f"{HOME}todo/{name}/"


def _lists(viewer) -> dict:
    campaign = viewer.fact("campaign")
    return {} if campaign is None else summary_todos(viewer.user, campaign)


def summary_counts(viewer) -> dict:
    return viewer.once("unit_summaries", lambda: _lists(viewer))


def summary_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("unit_summaries")
    # Each opens its full list, both kinds together (the collection page shows one kind at a time).
    return {name: Figure(SUMMARY_TODOS[name][0], n, todo_url(name)) for name, n in counts.items()}


def summary_cards(viewer, figures) -> list[Card]:
    lists = viewer.once("unit_summaries", lambda: _lists(viewer))
    cards = []
    for name, queryset in lists.items():
        count = figures[name].value
        rows = summary_todo_rows(queryset, TODO_LIMIT) if count else []
        cards.append(Card(f"documents_{name}", figures[name].label, "notify/_todo_card.html", count=count,
                          link=figures[name].url, rows=rows))
    return cards
