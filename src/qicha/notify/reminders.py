"""The daily reminder run (R-NTF-2): every reminder the ledgers registered (`core.registry.register_reminder`), once.

The problem digests live in problems/reminders.py, the clue digests in clues/reminders.py, the monthly-report
reminders in reporting/reminders.py; each is safe to run twice a day (deliveries carry a dated dedupe key).
"""

import logging
from datetime import date

from qicha.core.audit import record_event
from qicha.core.registry import REMINDERS

log = logging.getLogger(__name__)


def run_daily_reminders(today: date) -> dict[str, int]:
    """The daily run (Huey periodic task and `send_reminders`): {reminder key: notifications delivered}."""
    counts = {reminder.key: reminder.send(today) or 0 for reminder in REMINDERS.values()}
    # The run itself is on the audit log (who was told what is in each inbox).
    record_event("create", object_type="notify.notification", object_repr=f"{today:%Y-%m-%d} 定时提醒",
                 action="send_reminders", after=counts, username="system", detail=summary(counts))
    log.info("daily reminders for %s: %s", today, counts)
    return counts


def summary(counts: dict[str, int]) -> str:
    """The run in one line, for the audit log and the `send_reminders` command: "逾期问题提醒 3 条，…"."""
    return "，".join(f"{reminder.label} {counts.get(reminder.key, 0)} 条" for reminder in REMINDERS.values())
