"""What each app plugs into the platform: API routers, ledger exports, ledger imports, demo data, daily reminders
and values sealed outside SensitiveField.

An app registers its pieces from its `AppConfig.ready()` (the usual place is the app's `plugins.py`), so `jobs`,
`notify` and `load_demo` find every ledger here and import none of them; a new ledger adds itself without editing them.
Job kinds register the same way with `qicha.jobs.registry.job_handler` (in the app's `job_handlers.py`).
Everything is keyed: registering a key twice replaces the entry (a reloaded module does no harm).
"""

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

# ---- API routers: qicha/api/urls.py mounts them on the one NinjaAPI, in the order the apps registered them ----

ROUTERS: list = []


def register_router(router) -> None:
    if router not in ROUTERS:
        ROUTERS.append(router)


# ---- Ledger exports: `/jobs/export/<key>/` and `POST /api/v1/exports` ----


@dataclass(frozen=True)
class LedgerExport:
    key: str
    label: str
    kind: str                     # the job kind its handler is registered under
    permission: str               # the list's view permission
    list_url: str                 # url name of the list page
    parse: Callable               # params → the list's filters object (with .errors)
    check: Callable               # (actor, filters, **extra) → raises NotFound / Invalid before the job starts
    reveals: bool = False         # may be asked for sensitive values in clear (with a reason)
    back: Callable | None = None  # params → the list's URL, for a list whose URL has a path parameter
    describe: Callable | None = None  # (actor, filters) → "筛选条件：…" ("" when none): the sheet says the same


EXPORTS: dict[str, LedgerExport] = {}


def register_export(key: str, label: str, **fields) -> None:
    EXPORTS[key] = LedgerExport(key, label, **fields)


# ---- Ledger imports: `/api/v1/imports` ----


@dataclass(frozen=True)
class LedgerImport:
    key: str
    label: str
    template: Callable                       # (user, campaign id) → (bytes, file name)
    start: Callable | None = None            # (user, campaign id, data, file name) → preview job
    confirm: Callable | None = None          # (user, import id) → confirm job
    preview_kind: str = ""                   # the job kind of its preview (the import id is that job's id)
    page_hint: str = ""                      # where to import when the API cannot
    form_fields: tuple[str, ...] = ()        # more form fields `start` takes as keywords (a batch's number, date)


IMPORTS: dict[str, LedgerImport] = {}


def register_import(key: str, label: str, **fields) -> None:
    IMPORTS[key] = LedgerImport(key, label, **fields)


# ---- Demo data: `python -m qicha load_demo` and the tests' `demo` fixture ----

# Steps run in this order: each may rely on what the earlier ones created.
ORGS, CAMPAIGNS, PROBLEMS, CLUES, SUPERVISION, REPORTING = 10, 20, 30, 40, 50, 60


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    load: Callable[[str], object]                              # (demo password) → truthy when it created something
    accounts: Sequence[tuple[str, str, str, str]] = ()         # (username, full name, unit, description) to print


DEMO_STEPS: dict[str, DemoStep] = {}


def register_demo(name: str, order: int, load: Callable[[str], object], *, accounts=()) -> None:
    DEMO_STEPS[name] = DemoStep(order, name, load, tuple(accounts))


def demo_steps() -> list[DemoStep]:
    return sorted(DEMO_STEPS.values(), key=lambda step: (step.order, step.name))


def load_demo_data(password: str, *, through: int | None = None) -> bool:
    """Run the registered steps in order (up to and including `through`); True when any of them created something."""
    created = False
    for step in demo_steps():
        if through is not None and step.order > through:
            break
        created = bool(step.load(password)) or created
    return created


def demo_password_file() -> Path:
    return settings.VAR_DIR / "demo_password"


def resolve_demo_password(configured: str | None) -> str:
    """QICHA_DEMO_PASSWORD if given, else the one generated on the first run (kept under var/)."""
    path = demo_password_file()
    if configured:
        return configured
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    generated = f"Qc-{secrets.token_urlsafe(9)}7a"
    path.write_text(generated, encoding="utf-8")
    path.chmod(0o600)
    return generated


# ---- Daily reminders: the `notify` run (Huey periodic task and `send_reminders`) ----


@dataclass(frozen=True)
class Reminder:
    key: str                      # the count's name in the run's result
    label: str                    # "逾期问题提醒": the run's summary says "逾期问题提醒 3 条"
    send: Callable[[date], int]   # (today) → how many notifications it delivered


REMINDERS: dict[str, Reminder] = {}


def register_reminder(key: str, label: str, send: Callable[[date], int]) -> None:
    REMINDERS[key] = Reminder(key, label, send)


# ---- Sealed values kept outside SensitiveField (django-otp's TOTP seeds): `rotate_keys` re-encrypts them and the
# start-up key check tries one, without core importing the app that owns them ----


@dataclass(frozen=True)
class SealedValues:
    label: str                           # "otp_totp.TOTPDevice.key": the count's name in rotate_keys' output
    reseal: Callable[[], int]            # re-encrypt every value with the current SM4 key → how many changed
    first_error: Callable[[], str | None]  # try one stored value with the keys → a Chinese problem, or None


SEALED: dict[str, SealedValues] = {}


def register_sealed(label: str, *, reseal: Callable[[], int], first_error: Callable[[], str | None]) -> None:
    SEALED[label] = SealedValues(label, reseal, first_error)


# -- 全局搜索: each ledger answers for its own records, in the searching user's scope --------------------------------

@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Searcher:
    key: str
    label: str
    order: int
    # (user, query, limit) → (the first `limit` hits, how many there are); only what the user may see
    search: Callable[[object, str, int], tuple[list[SearchHit], int]]
    list_url: Callable[[str], str] | None = None  # the ledger's list filtered by the query, when it has one


SEARCHERS: dict[str, Searcher] = {}


def register_search(key: str, label: str, order: int, search, *, list_url=None) -> None:
    SEARCHERS[key] = Searcher(key, label, order, search, list_url)


def searchers() -> list[Searcher]:
    return sorted(SEARCHERS.values(), key=lambda s: (s.order, s.key))


# -- 负面清单比对: the village 联审 asks every holder of negative lists (the lists imported for a round, the
# data-comparison registers) whether a candidate's identity number is on one — a 比对提示, never a decision ----------

@dataclass(frozen=True)
class NegativeListHit:
    id_number: str   # the normalised 18-digit number that was asked about
    ground: str      # the list's ground, in Chinese (受过刑事处罚、涉黑涉恶、村霸 …)
    source: str      # which list says so, e.g. "公安局 刑事处罚人员名单（2026-11 导入）"


# (normalised 18-digit identity numbers) → the hits among them; the caller has already checked the actor's scope
NEGATIVE_LIST_CHECKS: dict[str, Callable[[Sequence[str]], list[NegativeListHit]]] = {}


def register_negative_list_check(key: str, check: Callable[[Sequence[str]], list[NegativeListHit]]) -> None:
    NEGATIVE_LIST_CHECKS[key] = check


def check_negative_lists(id_numbers: Sequence[str]) -> list[NegativeListHit]:
    return [hit for key in sorted(NEGATIVE_LIST_CHECKS) for hit in NEGATIVE_LIST_CHECKS[key](id_numbers)]


# -- Records that point at another record: a clue's page lists the ledger rows whose link column names it, without
# the clue app importing the ledgers ----------------------------------------------------------------------------

# (user, kind "clue" | "problem", pk) → the records in the user's scope that link to it, as search hits
LINKED_RECORDS: dict[str, Callable[[object, str, int], list[SearchHit]]] = {}


def register_linked_records(key: str, find: Callable[[object, str, int], list[SearchHit]]) -> None:
    LINKED_RECORDS[key] = find


def linked_records(user, kind: str, pk: int) -> list[SearchHit]:
    return [hit for key in sorted(LINKED_RECORDS) for hit in LINKED_RECORDS[key](user, kind, pk)]


# -- 总结的统计表: more attachment tables for the stage and final summaries (one per built-in sector ledger), each
# with the sentence 取得的成效 says about it ("" when its figures give nothing to say) -------------------------------

@dataclass(frozen=True)
class SummaryTable:
    title: str                 # "农村低保专项治理台账情况"; the document numbers it 表8, 表9 …
    header: Sequence[str]
    rows: Sequence[Sequence]
    widths: Sequence[int]      # mm, 156 in all
    note: str = ""
    sentence: str = ""


# (user, as of) → the tables, in the user's scope, counting what was registered up to that day
SUMMARY_TABLES: dict[str, Callable[[object, date], list[SummaryTable]]] = {}


def register_summary_tables(key: str, build: Callable[[object, date], list[SummaryTable]]) -> None:
    SUMMARY_TABLES[key] = build


def summary_tables(user, as_of: date) -> list[SummaryTable]:
    return [table for key in sorted(SUMMARY_TABLES) for table in SUMMARY_TABLES[key](user, as_of)]


# -- 按月填报: other monthly duties the reporting matrix links to (a sector ledger every unit of some kinds fills each
# month), each with its own units × months table ----------------------------------------------------------------

@dataclass(frozen=True)
class MonthlyDuty:
    label: str   # "农村低保专项治理台账"
    url: str     # its units × months table
    detail: str  # "本月 3 / 10 个单位已填报"


# (user, today) → the duties the user oversees, in the user's scope
MONTHLY_DUTIES: dict[str, Callable[[object, date], list[MonthlyDuty]]] = {}


def register_monthly_duties(key: str, duties: Callable[[object, date], list[MonthlyDuty]]) -> None:
    MONTHLY_DUTIES[key] = duties


def monthly_duties(user, today: date) -> list[MonthlyDuty]:
    return [duty for key in sorted(MONTHLY_DUTIES) for duty in MONTHLY_DUTIES[key](user, today)]
