"""Transition tables and the one path every act on a tracked record takes.

One table per kind (problems, clues, cases, inspections, submissions): (action, label, from statuses, to status,
permission, requirement). The page shows the buttons `allowed_actions` returns, the API exposes the same actions, and
tests walk the whole table. Each action has one named act in its app's services (`sign_off_problem`, `assign_clue` …),
registered with `@WORKFLOW.act("sign_off")`; pages and the API reach it through `Workflow.perform`.

Every act takes the same path, written once here:
    step = WORKFLOW.begin(actor, obj, "return")   # may this actor do it now? (a refusal is audited)
    ... the act's own validation, in Chinese ...
    step.apply(version=version, fields={...}, detail=reason)
`apply` compare-and-sets status and version in one UPDATE, updates the object in memory, writes the audit event
(before/after status plus the changed fields, serialised one way) and queues the workflow's notifier on commit.
No status is set any other way.
"""

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Model

from .audit import EventType, Outcome, record_event, to_json_safe
from .errors import Conflict, Forbidden, Invalid, NotFound
from .scope import can_act_on

# Every workflow built, by name: the spine's test walks them all.
WORKFLOWS: dict[str, "Workflow"] = {}

MISSING_VERSION = "缺少版本号（version），无法确认您操作的是最新内容。"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button's Chinese text
    sources: tuple[str, ...]
    # None: the action records something without changing the status; a tuple: the act restores an earlier
    # status (one of these) and names which when it applies (撤销提级复核 returns a clue to where it was).
    target: str | tuple[str, ...] | None
    permission: str
    requires: str = ""  # what the action needs, said in Chinese for the table's documentation
    style: str = "primary"


@dataclass(eq=False)
class Workflow:
    name: str
    transitions: list[Transition]
    unit_of: Callable = field(default=lambda obj: obj.unit)
    owner_of: Callable = field(default=lambda obj: None)
    noun: str = "记录"  # the record in messages: “该{noun}已被他人处理”
    # The module holding the named acts; imported on first lookup, so a page that reads only the table still
    # finds every act registered.
    acts_module: str = ""
    acts: dict[str, Callable] = field(default_factory=dict, repr=False)
    # notifier(actor, obj, action, detail): who hears of the act, called once the act's transaction commits.
    notifier: Callable | None = field(default=None, repr=False)

    def __post_init__(self):
        WORKFLOWS[self.name] = self

    # --- the table ----------------------------------------------------------------------------------------------

    def get(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise NotFound(f"没有名为“{action}”的操作。")

    def may(self, user, obj, transition: Transition) -> bool:
        return obj.status in transition.sources and self.permits(user, obj, transition.permission)

    def permits(self, user, obj, permission: str) -> bool:
        """Whether `user` holds `permission` over this record (its unit and owner), whatever its status."""
        return can_act_on(user, permission, self.unit_of(obj), owner_id=self.owner_of(obj))

    def allowed_actions(self, user, obj) -> list[Transition]:
        return [t for t in self.transitions if self.may(user, obj, t)]

    def check_transition(self, user, obj, action: str) -> Transition:
        """The transition `user` may perform now, or an error saying why not, in Chinese."""
        transition = self.get(action)
        if not self.permits(user, obj, transition.permission):
            # Visible but not permitted: say so plainly, and keep the attempt in the audit log.
            # (Invisible records never reach here: queries 404 first.)
            record_event(EventType.ACCESS_DENIED, actor=user, obj=obj, action=action, outcome=Outcome.DENIED,
                         detail=f"无权执行“{transition.label}”")
            raise Forbidden(f"您无权对该记录执行“{transition.label}”。")
        self._check_source(obj, transition)
        return transition

    @staticmethod
    def _check_source(obj, transition: Transition) -> None:
        if obj.status not in transition.sources:
            raise Invalid(f"当前状态为“{obj.get_status_display()}”，不能执行“{transition.label}”。")

    # --- the named acts -----------------------------------------------------------------------------------------

    def act(self, action: str) -> Callable:
        """Decorator: the named act of `action` (one per row of the table)."""
        self.get(action)  # a typo in the action fails at import, not on the first click

        def register(fn: Callable) -> Callable:
            self.acts[action] = fn
            return fn
        return register

    def act_for(self, action: str) -> Callable:
        self.get(action)
        if self.acts_module:
            importlib.import_module(self.acts_module)
        try:
            return self.acts[action]
        except KeyError:
            raise NotFound(f"操作“{action}”尚未实现。") from None

    def perform(self, actor, obj, action: str, *, version: int, **data):
        """The page's and the API's way in: look the act up in the table and give it the data it declares
        (a page's or the API's shared action form carries fields for other actions too)."""
        act = self.act_for(action)
        wanted = _keyword_parameters(act)
        return act(actor, obj, version=version, **{k: v for k, v in data.items() if k in wanted})

    def begin(self, actor, obj, action: str, *, system: bool = False) -> "Step":
        """Start an act: check the transition for the actor. `system` when a rule acts on its own (the repeat
        rule's 提级复核): no permission is asked, but the record must still be in a status the action leaves."""
        if system:
            transition = self.get(action)
            self._check_source(obj, transition)
        else:
            transition = self.check_transition(actor, obj, action)
        return Step(self, actor, obj, transition)


def _keyword_parameters(fn: Callable) -> set[str]:
    return set(inspect.signature(fn).parameters)


def _loggable(value) -> object:
    """A field's value in the audit: records as their ids (dates become ISO text in `to_json_safe`)."""
    return value.pk if isinstance(value, Model) else value


@dataclass
class Step:
    """An act under way: the transition is checked; `apply` writes it. Only `Workflow.begin` makes one."""

    workflow: Workflow
    actor: object
    obj: Model
    transition: Transition

    @property
    def action(self) -> str:
        return self.transition.action

    def apply(self, *, version: int | None, fields: dict | None = None, detail: str = "",
              after_extra: dict | None = None, unlogged: tuple[str, ...] = (), target: str | None = None) -> None:
        """Compare-and-set status and version, update the object, audit, queue the notifier.

        `fields` are written with the status (and logged before/after unless named in `unlogged`, e.g. a frozen
        snapshot its digest stands for); `after_extra` adds facts to the audit's after side. An action without a
        target status only bumps the version (others see the record moved) and is audited as an UPDATE.
        """
        if version is None:
            raise Conflict(MISSING_VERSION)
        obj, transition = self.obj, self.transition
        changes = dict(fields or {})
        if isinstance(transition.target, tuple):
            if target not in transition.target:
                raise ValueError(f"{transition.action} restores one of {transition.target}, not {target!r}")
            changes["status"] = target
        elif transition.target is not None:
            changes["status"] = transition.target
        before_status = obj.status
        before, after = {"status": before_status}, {}
        for name, value in changes.items():
            if name != "status" and name not in unlogged:
                attname = obj._meta.get_field(name).attname
                before[name] = getattr(obj, attname)
                after[name] = _loggable(value)
        with transaction.atomic():
            claimed = type(obj).objects.filter(pk=obj.pk, status=before_status, version=version).update(
                version=F("version") + 1, **changes)
            if not claimed:
                raise Conflict(f"该{self.workflow.noun}已被他人处理，请刷新页面查看最新状态。")
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.version = int(version) + 1
            event = EventType.TRANSITION if transition.target is not None else EventType.UPDATE
            record_event(event, actor=self.actor, obj=obj, action=transition.action,
                         before=to_json_safe(before),
                         after=to_json_safe({"status": obj.status} | after | (after_extra or {})), detail=detail)
            notifier = self.workflow.notifier
            if notifier is not None:
                actor, action = self.actor, transition.action
                # Once committed: an act that fails or is rolled back tells nobody.
                transaction.on_commit(lambda: notifier(actor, obj, action, detail), robust=True)


def given_version(value, obj) -> int:
    """The version a page or API request names, or the record's as just read when it names none (the API keeps
    `version` optional): the act still compares it, so a change between the read and the write is caught."""
    return obj.version if value is None else value
