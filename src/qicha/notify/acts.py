"""Who hears of an act, decided in one place: each ledger registers a small table (action → recipient kinds and a
Chinese title), and this module turns an act into notifications once its transaction has committed.

A ledger registers from its plugins.py:

    register_act_notices(ActNotices(
        name="problem", workflow=PROBLEM_WORKFLOW, link=lambda p: f"/problems/{p.pk}/", subject=..., unit=...,
        view_permission="problem.view", people={"owner": lambda p: p.responsible_person},
        notices={"return": Notice(("owner", "liaisons"), "{subject}被退回", "退回理由：{reason}", resolves=("submit",))},
    ))

A workflow's acts reach `notify_act` through the spine's notifier (core/workflow.py queues it on commit, so a failed
or rolled-back act tells nobody); acts outside a workflow (an inspection's finding, a commitment check) call
`announce`, which queues the same on commit.

Recipient kinds:
- a name in the table's `people` (the record's owner, handler, preparer …: a user, a list, or None);
- "liaisons" / "leaders": the 联络员 / 单位领导 of the record's unit, or of the nearest unit above it that has some;
- "office": whoever holds the table's `office_permission` over the record's unit (销号, 审核);
- "a|b": a, or b when a names nobody (the handler, else the unit's liaisons).
The actor never hears of their own act, and nobody hears of a record they may not see (`view_permission`).
The title names the record only; a reason stays in the body (the intranet bot carries the title and link only).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from qicha.core.scope import can_act_on

from .recipients import LEADER_ROLE, LIAISON_ROLE, permission_holders, unit_role_holders
from .services import deliver, resolve_notifications

# Trailing marks of a reason typed as a sentence; the body ends the sentence itself.
CLOSING_MARKS = "。．.，,；;：:、 \t\r\n　"


@dataclass(frozen=True)
class Notice:
    to: tuple[str, ...]  # recipient kinds, see the module's docstring
    title: str  # "{subject}被退回": {subject}, {actor}, {unit} and the table's facts
    body: str | Callable = ""  # may also use {reason} (the act's detail, a sentence); or names → text
    kind: str = ""  # the notification's kind when not "<table>.<action>" (a kind other code already resolves)
    # Earlier acts on the same record whose notifications this act answers (marked read for everyone):
    # a resubmitted problem's 被退回 is done.
    resolves: tuple[str, ...] = ()


@dataclass
class ActNotices:
    name: str  # the kind prefix: notifications are of kind "<name>.<action>"
    link: Callable  # record → its page
    subject: Callable  # record → how the title names it ("问题 WT-2026-0001")
    unit: Callable  # record → its unit (None: several units; the table's people say whose, unchecked)
    view_permission: str
    notices: dict[str, Notice]
    people: dict[str, Callable] = field(default_factory=dict)
    office_permission: str = ""
    owner_of: Callable = field(default=lambda obj: None)  # for a 'self' scope's view check
    facts: Callable = field(default=lambda obj: {})  # more names the templates may use
    workflow: object = None  # a core.workflow.Workflow whose notifier this table becomes


TABLES: dict[str, ActNotices] = {}


def register_act_notices(table: ActNotices) -> ActNotices:
    TABLES[table.name] = table
    if table.workflow is not None:
        table.workflow.notifier = lambda actor, obj, action, detail="": notify_act(table.name, actor, obj, action,
                                                                                    detail)
    return table


def announce(name: str, actor, obj, action: str, detail: str = "") -> None:
    """For an act outside a workflow: notify once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: notify_act(name, actor, obj, action, detail), robust=True)


def recipients(table: ActNotices, notice: Notice, obj) -> list:
    """The people `notice` reaches for `obj`, in the order of its kinds, each once (before the actor is taken out)."""
    unit = table.unit(obj)
    found, seen = [], set()
    for kind in notice.to:
        for alternative in kind.split("|"):
            people = _people(table, alternative, obj, unit)
            if people:
                break
        for person in people:
            if person.pk not in seen and person.is_active:
                seen.add(person.pk)
                found.append(person)
    return found


def _people(table: ActNotices, kind: str, obj, unit) -> list:
    if kind in table.people:
        value = table.people[kind](obj)
        if value is None:
            return []
        return [value] if not isinstance(value, list | tuple) else [p for p in value if p is not None]
    if kind == "liaisons":
        return unit_role_holders(unit, LIAISON_ROLE)
    if kind == "leaders":
        return unit_role_holders(unit, LEADER_ROLE)
    if kind == "office":
        return permission_holders(unit, table.office_permission)
    raise KeyError(f"unknown recipient kind {kind!r} in the act notices of {table.name}")


def as_sentence(text: str) -> str:
    text = (text or "").strip().rstrip(CLOSING_MARKS)
    return text if not text or text.endswith(("！", "？", "!", "?", "…")) else f"{text}。"


def notify_act(name: str, actor, obj, action: str, detail: str = "") -> int:
    """Deliver the notice of `action` on `obj` (called once the act has committed); returns how many were sent."""
    table = TABLES.get(name)
    notice = table.notices.get(action) if table else None
    if notice is None:
        return 0
    link = table.link(obj)
    kind = notice.kind or f"{name}.{action}"
    if notice.resolves:
        resolve_notifications(kind=[table.notices[a].kind or f"{name}.{a}" for a in notice.resolves], link=link)
    unit = table.unit(obj)
    people = [p for p in recipients(table, notice, obj)
              if p.pk != getattr(actor, "pk", None) and _may_see(table, p, obj, unit)]
    if not people:
        return 0
    names = {"subject": table.subject(obj), "actor": getattr(actor, "display_name", "系统"),
             "unit": getattr(unit, "name", "局扫黑办"), "reason": as_sentence(detail), "detail": detail or ""}
    names |= table.facts(obj)
    body = notice.body(names) if callable(notice.body) else notice.body.format(**names)
    return deliver(people, kind=kind[:40], title=notice.title.format(**names), body=body, link=link)


def _may_see(table: ActNotices, person, obj, unit) -> bool:
    if unit is None:
        return True
    return can_act_on(person, table.view_permission, unit, owner_id=table.owner_of(obj))
