"""The daily problem digests (R-NTF-2): overdue, due soon. `notify` runs them with every other registered reminder.

Who hears about an overdue problem:
- its 责任人 (owner);
- the leaders of its unit: users holding the 单位领导 role at the nearest unit, from the problem's unit upwards, that has
  one (a 股's problem reaches the 区局 leader; the 市局 leader is not told of every district's problems);
- when it has no owner, the unit's 联络员, found the same way — someone must name an owner.
A problem due soon (its 整改时限 exactly `QICHA_DEADLINE_REMINDER_DAYS_BEFORE` days away, or today) goes to its owner,
or without one to the unit's nearest 联络员; leaders hear of it only once it is overdue.
Everyone hears only of problems inside their own data scope, and at most once a day per digest: the dedupe key carries
the date, so a rerun on the same day delivers nothing new and the next day's run reminds again.
"""

from datetime import date

from django.urls import reverse

from qicha.core.scope import can_act_on
from qicha.notify.recipients import (
    LEADER_ROLE,
    LIAISON_ROLE,
    Recipients,
    days_left_text,
    due_dates,
    holders_by_unit_path,
    lead_days,
    nearest,
)
from qicha.notify.services import deliver
from qicha.orgs.models import User

from .models import Problem, Status
from .numbers import format_problem_no
from .queries import due_within_q, overdue_q

DIGEST_ITEMS = 10  # the digest lists this many problems, most urgent first; the link leads to all of them
DIGEST_KIND = "overdue_digest"
DUE_KIND = "due_soon_digest"


def _may_see(person: User, problem: Problem) -> bool:
    return person.pk == problem.responsible_person_id or can_act_on(
        person, "problem.view", problem.unit, problem.responsible_person_id)


def _recipients(problems, *, escalate: bool) -> dict[int, tuple[User, list[Problem]]]:
    """Each problem to its owner, or without one to the nearest liaisons; with `escalate`, also the nearest leaders."""
    liaisons = holders_by_unit_path(LIAISON_ROLE)
    leaders = holders_by_unit_path(LEADER_ROLE) if escalate else {}
    recipients = Recipients(_may_see)
    for problem in problems.select_related("unit", "responsible_person").order_by("deadline", "id").iterator(
            chunk_size=2000):
        if problem.responsible_person is not None:
            recipients.add(problem.responsible_person, problem)
        else:
            for liaison in nearest(liaisons, problem.unit.path):
                recipients.add(liaison, problem)
        for leader in nearest(leaders, problem.unit.path):
            recipients.add(leader, problem)
    return recipients.as_dict()


def overdue_recipients(today: date) -> dict[int, tuple[User, list[Problem]]]:
    """{user id: (user, their overdue problems, most overdue first)} for everyone the digest goes to."""
    return _recipients(Problem.objects.filter(overdue_q(today)), escalate=True)


def due_soon_recipients(today: date) -> dict[int, tuple[User, list[Problem]]]:
    """{user id: (user, their problems due on a lead day, soonest first)}: owners, or the liaisons of ownerless ones."""
    # due_within_q is the ledger's own "still binding" rule; the lead days then pick the exact deadlines.
    # A problem whose sign-off is already asked for waits on the office's review, not on its owner.
    problems = Problem.objects.filter(due_within_q(max(lead_days()), today), deadline__in=due_dates(today)).exclude(
        status=Status.SUBMITTED)
    return _recipients(problems, escalate=False)


def _item(problem: Problem, when: str) -> dict:
    owner = problem.responsible_person_name or "未落实责任人"
    description = problem.description if len(problem.description) <= 40 else problem.description[:39] + "…"
    waiting = "；已申请销号，待审核" if problem.status == Status.SUBMITTED else ""
    text = (f"{format_problem_no(problem.pk)}｜{problem.unit.display_name}｜{description}（责任人：{owner}；"
            f"整改时限 {problem.deadline:%Y-%m-%d}，{when}{waiting}）")
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
        items = [_item(p, f"已逾期 {(today - p.deadline).days} 天") for p in problems[:DIGEST_ITEMS]]
        sent += deliver([person], kind=DIGEST_KIND, title=title, body=body, link=link, items=items,
                        dedupe_key=f"{DIGEST_KIND}:{today.isoformat()}")
    return sent


def send_due_soon_digests(today: date) -> int:
    """One digest per person per lead day listing their problems about to reach the 整改时限."""
    sent = 0
    for person, problems in due_soon_recipients(today).values():
        only_own = all(p.responsible_person_id == person.pk for p in problems)
        count = len(problems)
        # The ledger filtered to everything due by the furthest deadline listed (it may show a few more in between).
        link = reverse("problems:list") + f"?due_within_days={(problems[-1].deadline - today).days}"
        link += "&mine=1" if only_own else ""
        title = f"到期提醒：您负责的 {count} 个问题即将到期" if only_own else f"到期提醒：{count} 个问题即将到期"
        body = f"截至 {today:%Y年%m月%d日}，共有 {count} 个问题临近整改时限，请抓紧整改，按时申请销号。"
        if count > DIGEST_ITEMS:
            body += f"以下列出最先到期的 {DIGEST_ITEMS} 个，全部问题请查看问题台账。"
        items = [_item(p, days_left_text(p.deadline, today)) for p in problems[:DIGEST_ITEMS]]
        sent += deliver([person], kind=DUE_KIND, title=title, body=body, link=link, items=items,
                        dedupe_key=f"{DUE_KIND}:{today.isoformat()}")
    return sent
