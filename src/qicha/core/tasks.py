"""Huey periodic task (djhuey discovers this module): the daily audit chain check.

It verifies the chain and appends the head to the signed copy under var/ (`core.audit.save_head_copy`), so a
database rolled back or truncated later no longer matches. A failure is logged at ERROR; operators who prefer cron
run `python -m qicha audit verify` instead, which does the same and prints the head to send out.
"""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, periodic_task

from .audit import save_head_copy, verify_chain

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="47"))
def daily_audit_verify() -> None:
    checked, problem = verify_chain()
    if problem:
        # Keep the last good copy as it is: appending a broken head would make the rollback look legitimate.
        log.error("审计链校验失败：%s", problem)
        return
    seq, head_hash = save_head_copy("daily")
    log.info("审计链完整：%s 条记录，链头 %s:%s", checked, seq, head_hash)


@periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Every minute the worker (on Redis) says it is alive; /healthz reads how long ago (core.health)."""
    if settings.REDIS_URL:
        from .health import beat

        beat()
