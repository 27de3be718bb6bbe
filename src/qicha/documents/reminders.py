"""Reminders before the units' summaries are due (the seed: 阶段性总结 "6月23日前"), and once when overdue.

Called by notify's daily run through core.registry. For each active campaign and each summary with a due date,
the writers (summary.submit) of every participating unit that has not handed its summary in are reminded
LEAD_DAYS before the due date and on the day, and once after it. Each notification carries a dedupe key, so a
second run on the same day sends nothing new; a unit that has submitted (or been accepted) hears nothing.
"""

from datetime import date

from qicha.campaigns.models import Campaign
from qicha.notify.recipients import permission_holders
from qicha.notify.services import notify_users

from .models import HANDED_IN, Kind, UnitSummary
from .queries import due_date
from .unit_workflow import SUBMIT

# A summary takes longer to write than a monthly report: the first reminder comes a week ahead.
LEAD_DAYS = (7, 3, 1, 0)


def send_unit_summary_reminders(today: date) -> int:
    sent = 0
    for campaign in Campaign.objects.filter(is_active=True):
        for kind in Kind:
            due = due_date(campaign, kind)
            if due is None:
                continue
            days_left = (due - today).days
            if days_left not in LEAD_DAYS and days_left >= 0:
                continue
            handed_in = set(UnitSummary.objects.filter(campaign=campaign, kind=kind, status__in=HANDED_IN)
                            .values_list("unit_id", flat=True))
            for unit in campaign.participating_units.filter(is_active=True).order_by("path"):
                if unit.pk in handed_in:
                    continue
                writers = [p for p in permission_holders(unit, SUBMIT) if p.unit_id == unit.pk]
                if days_left < 0:
                    title = f"{unit.name}{kind.label}逾期未提交"
                    body = f"{kind.label}已于 {due:%Y-%m-%d} 截止，{unit.name}尚未提交，请尽快提交局扫黑办。"
                    key = "overdue"
                else:
                    when = "今天" if days_left == 0 else f"{days_left} 天后（{due.month}月{due.day}日）"
                    title = f"{kind.label}将于{when}截止提交"
                    body = f"请于 {due:%Y-%m-%d}（含当日）前向局扫黑办提交{unit.name}{kind.label}。"
                    key = f"d{days_left}"
                sent += notify_users(writers, kind="unit_summary_reminder", title=title, body=body,
                                     link=f"/documents/units/mine/?kind={kind.value}",
                                     dedupe_key=f"unit_summary:{campaign.pk}:{kind.value}:{unit.pk}:{key}")
    return sent
