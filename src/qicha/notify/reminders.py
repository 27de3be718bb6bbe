"""Scheduled reminders (R-NTF-2): the daily digest of overdue problems, and the monthly-report reminders.

Who hears about an overdue problem:
- its 责任人 (owner);
- the leaders of its unit: users holding the 单位领导 role at the nearest unit, from the problem's unit upwards, that has
  one (a 股's problem reaches the 区局 leader; the 市局 leader is not told of every district's problems);
- when it has no owner, the unit's 联络员, found the same way — someone must name an owner.
Everyone hears only of problems inside their own data scope, and at most once a day: the dedupe key carries the date,
so a rerun on the same day delivers nothing new and the next day's run reminds again.
"""

import logging
from collections import defaultdict
from datetime import date

from django.urls import reverse

from qicha.core.audit import record_event
from qicha.core.scope import can_act_on
from qicha.orgs.models import User
from qicha.problems.models import Problem
from qicha.problems.queries import overdue_q

from .services import deliver

log = logging.getLogger(__name__)

LEADER_ROLE = "unit_leader"
LIAISON_ROLE = "liaison"
DIGEST_ITEMS = 10  # the digest lists this many problems, most overdue first; the link leads to all of them
DIGEST_KIND = "overdue_digest"


def _holders_by_unit_path(role_code: str) -> dict[str, list[User]]:
    holders = defaultdict(list)
    users = User.objects.filter(is_active=True, roles__code=role_code, unit__isnull=False).select_related("unit")
    for user in users.distinct():
        holders[user.unit.path].append(user)
    return holders


def _nearest(holders: dict[str, list[User]], unit_path: str) -> list[User]:
    """The holders at the deepest unit that is the given unit or one of its ancestors (materialised paths)."""
    best = ""
    for path in holders:
        if unit_path.startswith(path) and len(path) > len(best):
            best = path
    return holders[best] if best else []


def overdue_recipients(today: date) -> dict[int, tuple[User, list[Problem]]]:
    """{user id: (user, their overdue problems, most overdue first)} for everyone the digest goes to."""
    problems = (Problem.objects.filter(overdue_q(today)).select_related("unit", "responsible_person")
                .order_by("deadline", "id"))
    leaders = _holders_by_unit_path(LEADER_ROLE)
    liaisons = _holders_by_unit_path(LIAISON_ROLE)
    result: dict[int, tuple[User, list[Problem]]] = {}

    def add(person: User, problem: Problem) -> None:
        if not person.is_active:
            return
        if person.pk != problem.responsible_person_id and not can_act_on(
            person, "problem.view", problem.unit, problem.responsible_person_id
        ):
            return
        result.setdefault(person.pk, (person, []))[1].append(problem)

    for problem in problems.iterator(chunk_size=2000):
        if problem.responsible_person is not None:
            add(problem.responsible_person, problem)
        else:
            for liaison in _nearest(liaisons, problem.unit.path):
                add(liaison, problem)
        for leader in _nearest(leaders, problem.unit.path):
            if leader.pk != problem.responsible_person_id:
                add(leader, problem)
    return result


def _item(problem: Problem, today: date) -> dict:
    days = (today - problem.deadline).days
    owner = problem.responsible_person.display_name if problem.responsible_person else "未落实责任人"
    description = problem.description if len(problem.description) <= 40 else problem.description[:39] + "…"
    text = (f"{problem.unit.display_name}｜{description}（责任人：{owner}；整改时限 "
            f"{problem.deadline:%Y-%m-%d}，已逾期 {days} 天）")
    return {"text": text, "link": reverse("problems:detail", args=[problem.pk])}


def send_overdue_digests(today: date) -> int:
    """One digest per person per day listing their overdue problems. Returns the number of new notifications."""
    sent = 0
    for person, problems in overdue_recipients(today).values():
        only_own = all(p.responsible_person_id == person.pk for p in problems)
        link = reverse("problems:list") + ("?overdue=1&mine=1" if only_own else "?overdue=1")
        count = len(problems)
        title = f"逾期提醒：{count} 个问题已超过整改时限" if not only_own else f"逾期提醒：您负责的 {count} 个问题已超过整改时限"
        body = f"截至 {today:%Y年%m月%d日}，共有 {count} 个问题逾期未完成整改，请督促尽快整改并申请销号。"
        if count > DIGEST_ITEMS:
            body += f"以下列出逾期最久的 {DIGEST_ITEMS} 个，全部问题请查看问题台账。"
        sent += deliver([person], kind=DIGEST_KIND, title=title, body=body, link=link,
                        items=[_item(p, today) for p in problems[:DIGEST_ITEMS]],
                        dedupe_key=f"{DIGEST_KIND}:{today.isoformat()}")
    return sent


def run_daily_reminders(today: date) -> dict[str, int]:
    """The daily run (Huey periodic task and `send_reminders`): overdue digests and monthly-report reminders."""
    from qicha.reporting.reminders import send_report_reminders

    counts = {"overdue_digests": send_overdue_digests(today), "report_reminders": send_report_reminders(today) or 0}
    # The run itself is on the audit log (who was told what is in each inbox).
    record_event("create", object_type="notify.notification", object_repr=f"{today:%Y-%m-%d} 定时提醒",
                 action="send_reminders", after=counts, username="system",
                 detail=f"逾期问题提醒 {counts['overdue_digests']} 条，月度报送提醒 {counts['report_reminders']} 条")
    log.info("daily reminders for %s: %s", today, counts)
    return counts
