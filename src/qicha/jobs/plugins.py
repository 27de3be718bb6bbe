"""The jobs app's own API (the job status, ledger import and export over what the ledgers registered) and when its
sidebar entry shows."""

from qicha.core import navigation, registry
from qicha.core.scope import has_permission

from . import api, export_api, ledger_api
from .models import Job

registry.register_router(api.router)
registry.register_router(ledger_api.router)
registry.register_router(export_api.router)

# 我的后台任务 is for those who start background work as part of their job (imports, the city roll-up, the summaries'
# Word files); anyone else (a leader, a handler) sees it only once they have a job of their own, e.g. an export.
JOB_STARTING_PERMISSIONS = ("problem.create", "clue.create", "ledger.edit", "report.review", "summary.edit")


def _shows_jobs(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if any(has_permission(user, code) for code in JOB_STARTING_PERMISSIONS):
        return True
    return Job.objects.filter(owner=user).exists()


navigation.register_condition("jobs:list", _shows_jobs)
