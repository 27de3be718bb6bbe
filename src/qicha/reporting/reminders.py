"""Reminders before the monthly report day, and escalation when it has passed (R-NTF-2).

`send_report_reminders(today)` is called once a day by notify's daily task. For each period of an active campaign:
- `settings.REMINDER_DAYS_BEFORE` days before the due date (default 3 and 1) and on the due date itself, the liaisons
  (users holding report.prepare in the unit) of every expected unit that has not reported are reminded;
  a unit whose report waits for its leader's approval reminds the leader instead;
- after the due date, once, the liaisons and the unit leaders (report.approve) of every unit still not reported.
A unit whose report the office returned is told it was returned and must be corrected and resubmitted.
Every notification carries a dedupe key, so a rerun of the same day sends nothing new.
"""

from datetime import date

from django.conf import settings

from qicha.notify.services import notify_users
from qicha.orgs.models import User

from .models import REPORTED_STATUSES, ReportingPeriod, Status


def holders(unit, permission: str) -> list[User]:
    users = User.objects.filter(unit=unit, is_active=True).prefetch_related("roles")
    return [u for u in users if any(permission in role.permissions for role in u.roles.all())]


def send_report_reminders(today: date) -> int:
    days_before = set(getattr(settings, "REMINDER_DAYS_BEFORE", [3, 1]))
    sent = 0
    periods = (ReportingPeriod.objects.filter(campaign__is_active=True, start__lte=today)
               .select_related("campaign").prefetch_related("submissions"))
    for period in periods:
        days_left = (period.due_date - today).days
        overdue = days_left < 0
        if not overdue and days_left not in days_before and days_left != 0:
            continue
        link = f"/reporting/periods/{period.pk}/"
        status_of = {s.unit_id: s.status for s in period.submissions.all()}
        for unit in period.campaign.participating_units.order_by("path"):
            status = status_of.get(unit.pk)
            if status in REPORTED_STATUSES:
                continue
            when = "今天" if days_left == 0 else f"{days_left} 天后（{period.due_date:%m月%d日}）"
            returned = status == Status.RETURNED
            if overdue:
                state = "的报送已被退回，请修改后重新报送" if returned else "尚未报送，请尽快报送"
                sent += notify_users(
                    holders(unit, "report.prepare") + holders(unit, "report.approve"), kind="report_overdue",
                    title=f"{unit.name}{period.report_name}" + ("已被退回，尚未重新报送" if returned else "逾期未报送"),
                    body=f"{period.report_name}已于 {period.due_date:%Y-%m-%d} 截止，{unit.name}{state}。",
                    link=link, dedupe_key=f"report:{period.pk}:{unit.pk}:overdue")
            elif status == Status.PENDING_APPROVAL:
                sent += notify_users(
                    holders(unit, "report.approve"), kind="report_reminder",
                    title=f"{period.report_name}待您审核（{when}截止）",
                    body=f"{unit.name}{period.report_name}已报单位领导审核，{when}截止报送，请及时审核。",
                    link=link, dedupe_key=f"report:{period.pk}:{unit.pk}:approve:d{days_left}")
            elif returned:
                sent += notify_users(
                    holders(unit, "report.prepare"), kind="report_reminder",
                    title=f"{period.report_name}已被退回，{when}截止报送",
                    body=f"{unit.name}{period.report_name}已被退回，请修改后重新报送"
                         f"（截止 {period.due_date:%Y-%m-%d}，含当日）。",
                    link=link, dedupe_key=f"report:{period.pk}:{unit.pk}:d{days_left}")
            else:
                sent += notify_users(
                    holders(unit, "report.prepare"), kind="report_reminder",
                    title=f"{period.report_name}将于{when}截止报送",
                    body=f"请于 {period.due_date:%Y-%m-%d}（含当日）前报送{unit.name}{period.report_name}。",
                    link=link, dedupe_key=f"report:{period.pk}:{unit.pk}:d{days_left}")
    return sent
