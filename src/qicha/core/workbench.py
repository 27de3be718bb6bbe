"""The 工作台's cards and the cockpit's figures, registered by the ledgers.

Each app that has something to show keeps a `workbench.py` beside its queries and registers it from its plugins.py:

    core_workbench.register("problems", order=10, figures=workbench.problem_figures, cards=workbench.problem_cards)

`counts(viewer)` hands over the ledger's scoped querysets (the ledger's queries apply the viewer's data scope) and
`figures(viewer)` turns their counts, `viewer.counts(key)`, into named `Figure`s, each with the list it opens: every
ledger's querysets are counted together in ONE statement (`count_each`), whatever the number of ledgers.
`cards(viewer, figures)` turns the figures into the 工作台's cards (to-do lists with their first rows, counters, rate
lines), adding only the rows a list shows. `notify` builds the page from `cards_for` and imports no ledger; a cockpit
reuses the same numbers through `figures_for`. A source without `counts` asks its own queries in `figures`.

A source may also provide a shared fact others need (the current campaign) with `provide`; it is computed once per
page, on first use.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext

TODO_LIMIT = 10  # rows a to-do card lists; its badge counts them all


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | None
    url: str | None = None  # the list showing exactly these `value` rows; None when no list shows this figure alone


@dataclass(frozen=True, slots=True)
class TodoRow:
    """One row of a to-do card, ready to print: `notify/_todo_rows.html` writes it with no logic per row (a row
    template that reads model fields through filters and includes costs several times as much at 150 rows)."""

    url: str
    label: str
    detail: str = ""  # the grey line under it
    number: str = ""  # the record's number, before the label (never wrapped)
    due: date | None = None  # the date on the right, with how many days are left under it
    days: int | None = None  # days to `due`, negative once late; None: not counted (done, or not running)
    late: str = "逾期"  # the word for a late row
    aside: str = ""  # a short word on the right instead of a date (a status)
    aside_class: str = "text-secondary"
    warning: str = ""  # an amber line (退回理由), cut to 45 characters with the whole of it as the title
    pk: int | None = None  # the record's id

    @property
    def days_text(self) -> str:
        days = self.days
        if days is None:
            return ""
        return f"{self.late} {-days} 天" if days < 0 else "今天到期" if days == 0 else f"剩 {days} 天"

    @property
    def days_class(self) -> str:
        days = self.days
        return "" if days is None else "text-danger fw-bold" if days < 0 else "text-warning" if days <= 7 else (
            "text-secondary")

    @property
    def due_text(self) -> str:
        return self.due.isoformat() if self.due else ""

    @property
    def warning_shown(self) -> str:
        return cut(self.warning, 45)


_ENDINGS: dict[str, str] = {}  # language → the truncation text ("%(truncated_text)s…"; zh-hans: "…...")


def cut(text: str, length: int) -> str:
    """Exactly what `{{ text|truncatechars:length }}` prints, without its cost per call (two translation look-ups
    and a lazy wrapper: ~80 µs, 130 times a page): at most `length` characters, a cut text ending in the language's
    ellipsis. Text with combining marks or not in NFC goes through Django's Truncator itself."""
    text = text or ""
    head = text[:length + 2]
    if not unicodedata.is_normalized("NFC", head) or any(unicodedata.combining(char) for char in head):
        return Truncator(text).chars(length)
    if len(text) <= length:
        return text
    language = get_language() or ""
    ending = _ENDINGS.get(language)
    if ending is None:
        ending = _ENDINGS[language] = pgettext("String to return when truncating text", "%(truncated_text)s…")
    if "%(truncated_text)s" not in ending:
        return Truncator(text).chars(length)
    kept = max(length - sum(1 for char in ending.replace("%(truncated_text)s", "")
                            if not unicodedata.combining(char)), 0)
    return ending % {"truncated_text": text[:kept]}


@dataclass
class Card:
    """One block of the 工作台. `slot` says where: "summary" (the top lines), "todos" (the grid of to-do lists),
    "wide" (full-width tables), "campaign" (the campaign row at the bottom)."""

    key: str
    title: str
    template: str  # rendered with `card`
    slot: str = "todos"
    count: int = 0
    link: str = ""
    rows: list = field(default_factory=list)  # TodoRows for the default row template
    row_template: str = "notify/_todo_rows.html"
    data: dict = field(default_factory=dict)


class Viewer:
    """Who is looking and when, with the shared facts the sources provide (computed once, on first use)."""

    def __init__(self, user, today: date | None = None):
        if isinstance(user, LazyObject):  # request.user: the page reads it hundreds of times, each through the proxy
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        self.user = user
        self.today = today or timezone.localdate()
        self._facts: dict = {}
        self._memo: dict = {}
        self._counts: dict[str, dict[str, int]] = {}

    def fact(self, name: str):
        """A shared fact a source provides (`provide`), e.g. "campaign"; None when no source provides it."""
        if name not in self._facts:
            provider = PROVIDERS.get(name)
            self._facts[name] = provider(self) if provider else None
        return self._facts[name]

    def once(self, key: str, function: Callable):
        """`function()` computed once for this viewer: a ledger's scoped querysets serve its figures and its cards."""
        if key not in self._memo:
            self._memo[key] = function()
        return self._memo[key]

    def counts(self, key: str) -> dict[str, int]:
        """The counts of the querysets source `key`'s `counts` hook hands over: {name: rows}. Counted with every other
        source `count_sources` was given, in one statement; a source asked alone is counted alone."""
        if key not in self._counts:
            self.count_sources([SOURCES[key]])
        return self._counts[key]

    def count_sources(self, chosen) -> None:
        """Count the querysets of every source in `chosen` not counted yet, in ONE statement across ledgers."""
        named = {}
        for source in chosen:
            if source.counts is None or source.key in self._counts:
                continue
            self._counts[source.key] = {}
            for name, queryset in source.counts(self).items():
                named[(source.key, name)] = queryset
        for (key, name), n in _count(named).items():
            self._counts[key][name] = n


@dataclass(frozen=True)
class Source:
    key: str
    order: int
    figures: Callable[[Viewer], dict[str, Figure]]
    cards: Callable[[Viewer, dict[str, Figure]], list[Card]] | None = None
    counts: Callable[[Viewer], dict] | None = None  # {name: queryset}, counted across sources in one statement


SOURCES: dict[str, Source] = {}
PROVIDERS: dict[str, Callable[[Viewer], object]] = {}


def register(key: str, *, order: int, figures: Callable, cards: Callable | None = None,
             counts: Callable | None = None) -> None:
    """Register a ledger's figures (and the 工作台 cards built on them); registering a key again replaces it.
    `counts(viewer)` returns the querysets whose counts `figures` reads with `viewer.counts(key)`."""
    SOURCES[key] = Source(key, order, figures, cards, counts)


def provide(name: str, function: Callable[[Viewer], object]) -> None:
    PROVIDERS[name] = function


def sources() -> list[Source]:
    return sorted(SOURCES.values(), key=lambda source: (source.order, source.key))


def figures_for(viewer: Viewer) -> dict[str, dict[str, Figure]]:
    """Every ledger's named figures for this viewer (the cockpit's numbers): {ledger: {name: Figure}}."""
    every = sources()
    viewer.count_sources(every)
    return {source.key: source.figures(viewer) for source in every}


def cards_for(viewer: Viewer) -> list[Card]:
    # A source with figures only (for the cockpit) costs the 工作台 page nothing.
    shown = [source for source in sources() if source.cards is not None]
    viewer.count_sources(shown)  # every card's counts in one round trip
    cards = []
    for source in shown:
        cards.extend(source.cards(viewer, source.figures(viewer)))
    return cards


def first_rows_each(lists: dict, counts: dict, order: tuple, related: tuple = (),
                    fields: tuple = ()) -> dict[str, list]:
    """The first `TODO_LIMIT` rows, in `order`, of several to-do lists of one ledger, in two queries whatever their
    number: the first ids of each list picked from the index without sorting whole rows, in ONE statement (`SELECT 0, pk FROM (… LIMIT 10) UNION ALL SELECT 1, …`), then all
    those rows read once with their `related` rows joined and handed back to each list in `order`; with `fields`,
    only those columns (`unit__name` for a joined one) are read. A list whose count is 0 asks nothing.
    {name: rows} for every name in `lists`."""
    found: dict[str, list] = {name: [] for name in lists}
    parts, params, names, alias = [], [], [], None
    for name, queryset in lists.items():
        if not counts.get(name):
            continue
        try:
            sql, sql_params = queryset.order_by(*order).values("pk")[:TODO_LIMIT].query.sql_with_params()
        except EmptyResultSet:
            continue
        alias = alias or queryset.db
        parts.append(f"SELECT {len(names)}, picked.pk FROM ({sql}) picked")
        params.extend(sql_params)
        names.append(name)
    if not parts:
        return found
    with connections[alias].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        picked = cursor.fetchall()
    members: dict = {}
    for index, pk in picked:
        members.setdefault(pk, []).append(names[index])
    model = lists[names[0]].model
    rows = model._default_manager.using(alias).filter(pk__in=list(members)).select_related(*related)
    for row in (rows.only(*fields) if fields else rows).order_by(*order):
        for name in members[row.pk]:
            found[name].append(row)
    return found


def count_each(**querysets) -> dict[str, int]:
    """Each queryset's row count, in ONE query: `SELECT (SELECT COUNT(*) FROM (…)), (…), …`.

    Why not one pass with `Count(filter=Q(…))`: that evaluates every condition on every row in scope (100,000
    problems for the office), while each count here walks only the index range that serves its filter; at city scale
    on SQLite the pass took several times as long (bench/README.md). Querysets that compile to the same SQL are
    counted once, and an empty one (`.none()`) is 0 without asking."""
    return _count(querysets)


def aggregate_rows(queryset) -> list[tuple]:
    """The rows of an aggregate queryset (`values_list(…).annotate(n=Count(…))`) as the database returns them, run on
    a cursor: the same SQL, without the ORM's converter call per value (a city's cockpit reads ~20,000 such values).
    Only for integer and text columns, which need no converting; an empty filter (`.none()`) gives []."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _count(querysets: dict) -> dict:
    """`count_each` for any keys."""
    positions: dict = {}
    parts, params, seen, alias = [], [], {}, None
    for name, queryset in querysets.items():
        alias = alias or queryset.db
        try:
            sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            positions[name] = None
            continue
        key = (sql, tuple(sql_params))
        if key not in seen:
            seen[key] = len(parts)
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
            params.extend(sql_params)
        positions[name] = seen[key]
    row = ()
    if parts:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
    return {name: 0 if at is None else row[at] for name, at in positions.items()}


# ---- The cockpit's panels (/dashboard/): each a small table of figures, every cell the list it opens ----


@dataclass
class PanelRow:
    label: str
    cells: list  # one Figure per column (value, and the list showing exactly those rows)
    url: str | None = None  # the row label's own list (e.g. a unit's problems)
    light: str = ""  # "red" | "yellow" | "green" in a league table


@dataclass
class Panel:
    """One block of the cockpit: `columns` × `rows` of Figures, drawn as `chart` ("bar", "stack", "heatmap", "line",
    "pie", "league", "counters"); `note` is written under it (a league table's colouring rule)."""

    key: str
    title: str
    chart: str
    columns: list
    rows: list
    note: str = ""

    def figures(self):
        """(row label, column, Figure) for every cell."""
        for row in self.rows:
            for column, figure in zip(self.columns, row.cells, strict=False):
                yield row.label, column, figure


@dataclass(frozen=True)
class PanelSpec:
    key: str
    order: int
    build: Callable  # (viewer, focus) → Panel, or None when the viewer has nothing to see in it


PANELS: dict[str, PanelSpec] = {}


def register_panel(key: str, *, order: int, build: Callable) -> None:
    """A cockpit panel; a sector ledger adds its own from its plugins.py without touching the cockpit."""
    PANELS[key] = PanelSpec(key, order, build)


def panels_for(viewer: Viewer, focus) -> list[Panel]:
    built = (spec.build(viewer, focus) for spec in sorted(PANELS.values(), key=lambda s: (s.order, s.key)))
    return [panel for panel in built if panel is not None]
