"""Monthly reporting on the 工作台: the three to-dos and, for those overseeing several units, 及时率 / 完整率."""

from qicha.core.scope import has_permission
from qicha.core.workbench import TODO_LIMIT, Card, Figure, TodoRow

from . import queries
from .models import Status

HOME = "/reporting/"
FIGURES = {
    "to_prepare": "待报送的月报", "to_approve": "待审核的报送", "to_accept": "待接收的报送",
    "expected_units": "应报单位", "reported": "已报（已截止月份）", "timely": "按时报送（已截止月份）",
    "current_reported": "本月已报",
}
TODOS = (("to_prepare", "report.prepare"), ("to_approve", "report.approve"), ("to_accept", "report.review"))


def _periods(viewer) -> list:
    campaign = viewer.fact("campaign")
    return viewer.once("reporting.periods", lambda: list(queries.visible_periods(viewer.user, campaign))
                       if campaign is not None else [])


def report_counts(viewer) -> dict:
    if not queries.can_view(viewer.user):
        return {}
    return queries.workbench_lists(viewer.user, viewer.fact("campaign"), _periods(viewer), viewer.today)


def report_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("reporting")
    # The to-dos open their full list; the rates' counts are broken down on the reporting page's matrix.
    return {name: Figure(FIGURES[name], n, todo_url(name) if name in queries.TODO_LISTS else None)
            for name, n in counts.items()}


def todo_url(name: str) -> str:
    return f"{HOME}todo/{name}/"


def report_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    user, today, cards = viewer.user, viewer.today, []
    periods = _periods(viewer)
    timeliness = queries.timeliness_from(periods, {name: f.value for name, f in figures.items()}, today)
    if timeliness is not None and viewer.fact("campaign") is not None:
        cards.append(Card("report_rates", "月度报送", "reporting/_workbench_rates.html", slot="summary",
                          data={"t": timeliness}))
    for name, permission in TODOS:
        if not has_permission(user, permission) or (name == "to_prepare" and not user.unit_id):
            continue
        count = figures[name].value
        if name == "to_prepare":
            rows = queries.to_prepare_rows(user, list(queries.to_prepare(user, today)[:TODO_LIMIT]), today) if count else []
        else:
            status = Status.PENDING_APPROVAL if name == "to_approve" else Status.SUBMITTED
            rows = queries.waiting_rows(queries.waiting_for(user, permission, status), TODO_LIMIT) if count else []
        cards.append(Card(f"report_{name}", figures[name].label, "notify/_todo_card.html", count=count,
                          link=figures[name].url,
                          rows=[TodoRow(row.url, row.label, row.detail) for row in rows]))
    return cards
