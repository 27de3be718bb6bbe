"""Transition tables for tracked items (problems, clues, cases).

One table per kind: (from statuses, action, to status, permission, requirement). The page shows the buttons
`allowed_actions` returns, the API exposes the same actions, and tests walk the whole table. No status is set
any other way: services call `check_transition` and then `Transition.target`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import Invalid, NotFound
from .scope import can_act_on


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button's Chinese text
    sources: tuple[str, ...]
    target: str | None  # None: the action records something without changing the status
    permission: str
    requires: str = ""  # what the action needs, said in Chinese for the table's documentation
    style: str = "primary"


@dataclass
class Workflow:
    name: str
    transitions: list[Transition]
    unit_of: Callable = field(default=lambda obj: obj.unit)
    owner_of: Callable = field(default=lambda obj: None)

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
            from .audit import EventType, Outcome, record_event
            from .errors import Forbidden

            record_event(EventType.ACCESS_DENIED, actor=user, obj=obj, action=action, outcome=Outcome.DENIED,
                         detail=f"无权执行“{transition.label}”")
            raise Forbidden(f"您无权对该记录执行“{transition.label}”。")
        if obj.status not in transition.sources:
            raise Invalid(f"当前状态为“{obj.get_status_display()}”，不能执行“{transition.label}”。")
        return transition
