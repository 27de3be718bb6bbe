"""The panels' table rows as HTML, written in Python once per page: the template's lookups, escaping and number
formatting per figure (about ten lookups each; a district's page has 1,200 figures) cost more than counting them
(bench/README.md). The markup is what `cockpit/_panel.html` wrote per row; the template keeps the rest."""

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯"}  # anything else: 绿灯
ROW_LINK = ' data-testid="row-link"'


def _value(value) -> str:
    # An integer prints as the template would print it (no thousands separator in this project); the rest as
    # `{{ value }}` does: localized, escaped.
    if value is None:
        return "—"
    return str(value) if type(value) is int else escape(localize(value))


def _figure(figure, marked: bool) -> str:
    if not figure.url:
        return _value(figure.value)
    mark = f' class="cockpit-figure" data-figure="{escape(figure.label)}"' if marked else ""
    return f'<a href="{escape(figure.url)}"{mark}>{_value(figure.value)}</a>'


def _label(row, marked: bool) -> str:
    if not row.url:
        return escape(row.label)
    return f'<a href="{escape(row.url)}"{ROW_LINK if marked else ""}>{escape(row.label)}</a>'


def body(panel) -> SafeString:
    """The `<tbody>` rows of a panel's table on the page: the row's label (its list), the light of a league table
    row, then every figure linked to its list."""
    league = panel.chart == "league"
    rows = []
    for row in panel.rows:
        light = row.light
        attrs = f' class="cockpit-light-{light}" data-light="{light}"' if light else ""
        badge = (f'<td><span class="badge bg-{light}-lt cockpit-badge-{light}">{LIGHT_LABELS.get(light, "绿灯")}'
                 "</span></td>") if league else ""
        cells = "".join(f'<td class="text-end">{_figure(figure, True)}</td>' for figure in row.cells)
        rows.append(f"<tr{attrs}><td>{_label(row, True)}</td>{badge}{cells}</tr>")
    return mark_safe("\n".join(rows))


def screen_body(panel, limit: int = 16) -> SafeString:
    """The big screen's table rows (league table and counters): the first `limit` rows, no test marks."""
    rows = []
    for row in panel.rows[:limit]:
        attrs = f' class="cockpit-light-{row.light}"' if row.light else ""
        cells = "".join(f'<td class="text-end">{_figure(figure, False)}</td>' for figure in row.cells)
        rows.append(f"<tr{attrs}><td>{_label(row, False)}</td>{cells}</tr>")
    return mark_safe("".join(rows))
