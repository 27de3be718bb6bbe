"""When and to whom a deadline digest goes: the lead days, role holders found up the unit tree, and the per-person
collection of a digest's records. Shared by the problem digests (problems/reminders.py) and the clue digests
(clues/reminders.py).
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings

from qicha.core.scope import can_act_on
from qicha.orgs.models import Role, User

LEADER_ROLE = "unit_leader"
LIAISON_ROLE = "liaison"


def lead_days() -> list[int]:
    """Days before a deadline on which "due soon" is sent (QICHA_DEADLINE_REMINDER_DAYS_BEFORE), plus the day itself."""
    return sorted({0, *(d for d in settings.DEADLINE_REMINDER_DAYS_BEFORE if d >= 0)})


def due_dates(today: date) -> list[date]:
    """The deadlines that are exactly one lead day away today: only those are reminded, not every day of the week."""
    return [today + timedelta(days=d) for d in lead_days()]


def days_left_text(due: date, today: date) -> str:
    days = (due - today).days
    return "今天到期" if days == 0 else f"还剩 {days} 天"


def holders_by_unit_path(role_code: str) -> dict[str, list[User]]:
    holders = defaultdict(list)
    users = User.objects.filter(is_active=True, roles__code=role_code, unit__isnull=False).select_related("unit")
    for user in users.distinct():
        holders[user.unit.path].append(user)
    return holders


def nearest(holders: dict[str, list[User]], unit_path: str) -> list[User]:
    """The holders at the deepest unit that is the given unit or one of its ancestors (materialised paths)."""
    best = ""
    for path in holders:
        if unit_path.startswith(path) and len(path) > len(best):
            best = path
    return holders[best] if best else []


class Recipients:
    """{user id: (user, [records])}: each record at most once per person, only to active people it `may_reach`."""

    def __init__(self, may_reach: Callable[[User, object], bool]):
        self._may_reach = may_reach
        self._by_user: dict[int, tuple[User, list]] = {}
        self._seen: set[tuple[int, int]] = set()

    def add(self, person: User | None, record) -> None:
        if person is None or not person.is_active or (person.pk, record.pk) in self._seen:
            return
        if not self._may_reach(person, record):
            return
        self._seen.add((person.pk, record.pk))
        self._by_user.setdefault(person.pk, (person, []))[1].append(record)

    def as_dict(self) -> dict[int, tuple[User, list]]:
        return self._by_user


# --- who acts next: the people a workflow act reaches (notify/acts.py) --------------------------------------------

def unit_role_holders(unit, role_code: str) -> list[User]:
    """Active holders of `role_code` at the deepest of `unit` and its ancestors that has any: a department's
    records reach the liaisons of the bureau above it when the department has none of its own."""
    if unit is None:
        return []
    step = type(unit).steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    users = (User.objects.filter(is_active=True, roles__code=role_code, unit__path__in=paths)
             .select_related("unit").distinct())
    by_path = defaultdict(list)
    for user in users:
        by_path[user.unit.path].append(user)
    return sorted(nearest(by_path, unit.path), key=lambda u: u.pk)


def permission_holders(unit, permission: str) -> list[User]:
    """Active people who hold `permission` over a record of `unit` (the office that signs off, reviews …)."""
    if unit is None:
        return []
    granting = [role.pk for role in Role.objects.all() if permission in (role.permissions or [])]
    users = User.objects.filter(is_active=True, roles__in=granting).distinct().select_related("unit").order_by("pk")
    return [user for user in users if can_act_on(user, permission, unit)]
