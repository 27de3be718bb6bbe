"""Clue deadline reminders (R-NTF-2), sent by notify's daily run: due soon on the lead days, and overdue every day.

Who hears of a clue still being verified (the clue app's own rule: UNVERIFIED_STATUSES, `overdue_q`):
- its 承办人 (handler), or without one the handling unit's nearest 联络员;
- a clue not yet given to a unit waits on whoever 分办s clues (clue.assign over the whole tree: the 扫黑办);
- once overdue, also the nearest 单位领导 (escalation).
Clues are sensitive: a notification names only the 线索编号, 涉及领域 and 办理时限 / days overdue and links to the clue;
never the reporter, never the content. Everyone hears only of clues they may view (clue.view over the clue's unit),
at most once a day per digest.
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
    nearest,
)
from qicha.notify.services import deliver
from qicha.orgs.models import Unit, User

from .models import UNVERIFIED_STATUSES, Clue
from .queries import overdue_q

DIGEST_ITEMS = 10
DUE_KIND = "clue_due_soon_digest"
OVERDUE_KIND = "clue_overdue_digest"


def _assigners(root: Unit) -> list[User]:
    """Who may 分办 a clue anywhere: an unassigned clue waits on them, not on a unit's liaison."""
    people = User.objects.filter(is_active=True, roles__isnull=False).distinct()
    return [person for person in people if can_act_on(person, "clue.assign", root)]


def _recipients(clues, *, escalate: bool) -> dict[int, tuple[User, list[Clue]]]:
    root = Unit.objects.get_first_root_node()
    assigners = None  # looked up once, only when an unassigned clue is due

    def unit_of(clue: Clue) -> Unit:
        return clue.unit if clue.unit_id else root  # the clue workflow's rule for an unassigned clue

    def may_view(person: User, clue: Clue) -> bool:
        return can_act_on(person, "clue.view", unit_of(clue), clue.handler_id)

    liaisons = holders_by_unit_path(LIAISON_ROLE)
    leaders = holders_by_unit_path(LEADER_ROLE) if escalate else {}
    recipients = Recipients(may_view)
    for clue in clues.select_related("unit", "handler").order_by("due_date", "id").iterator(chunk_size=2000):
        path = unit_of(clue).path
        if clue.unit_id is None:
            assigners = _assigners(root) if assigners is None else assigners
            for person in assigners:
                recipients.add(person, clue)
            continue
        if clue.handler is not None:
            recipients.add(clue.handler, clue)
        else:
            for liaison in nearest(liaisons, path):
                recipients.add(liaison, clue)
        for leader in nearest(leaders, path):
            recipients.add(leader, clue)
    return recipients.as_dict()


def due_soon_recipients(today: date) -> dict[int, tuple[User, list[Clue]]]:
    clues = Clue.objects.filter(status__in=UNVERIFIED_STATUSES, due_date__in=due_dates(today))
    return _recipients(clues, escalate=False)


def overdue_recipients(today: date) -> dict[int, tuple[User, list[Clue]]]:
    return _recipients(Clue.objects.filter(overdue_q(today)), escalate=True)


def _item(clue: Clue, when: str) -> dict:
    # Number, domain and time limit only: the digest also goes out by e-mail and to the bot.
    text = f"{clue}｜涉及领域：{clue.get_domain_display()}｜办理时限 {clue.due_date:%Y-%m-%d}，{when}"
    return {"text": text, "link": reverse("clues:detail", args=[clue.pk])}


def _send(today: date, recipients, *, kind: str, overdue: bool) -> int:
    sent = 0
    for person, clues in recipients.values():
        only_own = all(c.handler_id == person.pk for c in clues)
        count = len(clues)
        params = [*(["overdue=1"] if overdue else []), *(["mine=1"] if only_own else [])]
        link = reverse("clues:list") + ("?" + "&".join(params) if params else "")
        whose = f"您承办的 {count} 条线索" if only_own else f"{count} 条线索"
        if overdue:
            title = f"线索逾期提醒：{whose}已超过办理时限"
            body = f"截至 {today:%Y年%m月%d日}，共有 {count} 条线索超过办理时限仍未核查完结，请督促尽快核查。"
            items = [_item(c, f"已逾期 {(today - c.due_date).days} 天") for c in clues[:DIGEST_ITEMS]]
        else:
            title = f"线索到期提醒：{whose}即将到期"
            body = f"截至 {today:%Y年%m月%d日}，共有 {count} 条线索临近办理时限，请抓紧核查，按时报告核查结论。"
            items = [_item(c, days_left_text(c.due_date, today)) for c in clues[:DIGEST_ITEMS]]
        if count > DIGEST_ITEMS:
            body += f"以下列出最紧迫的 {DIGEST_ITEMS} 条，全部线索请查看线索台账。"
        sent += deliver([person], kind=kind, title=title, body=body, link=link, items=items,
                        dedupe_key=f"{kind}:{today.isoformat()}")
    return sent


def send_clue_due_soon_digests(today: date) -> int:
    """One digest per person per lead day listing their clues about to reach the 办理时限."""
    return _send(today, due_soon_recipients(today), kind=DUE_KIND, overdue=False)


def send_clue_overdue_digests(today: date) -> int:
    """One digest per person per day listing their overdue clues, most overdue first (leaders included)."""
    return _send(today, overdue_recipients(today), kind=OVERDUE_KIND, overdue=True)
