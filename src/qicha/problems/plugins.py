"""What the problem ledger plugs into the platform (registered from ProblemsConfig.ready())."""

from qicha.campaigns.queries import CellLedger, use_cell_ledger
from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    api,
    demo,
    exporting,
    importing,
    notices,  # noqa: F401  (who hears of each act: registers the act notices)
    queries,
    reminders,
    rule_exporting,
    search,
    workbench,
)
from .models import Problem, Status

registry.register_export("problems", "问题整改台账", kind="problems.export", permission="problem.view",
                         list_url="problems:list", parse=queries.ProblemFilters.from_params,
                         check=exporting.check_export, describe=exporting.describe)
registry.register_export("rules", "制度成果台账", kind="problems.rule_export", permission="problem.view",
                         list_url="problems:rules", parse=rule_exporting.RuleFilters.from_params,
                         check=rule_exporting.check_export, describe=rule_exporting.describe)


def _template(user, campaign_id):
    campaign = importing.campaign_for(user, campaign_id)
    return importing.build_template(user, campaign), importing.TEMPLATE_NAME


def _start(user, campaign_id, data: bytes, file_name: str):
    return importing.start_preview(user, importing.campaign_for(user, campaign_id), data, file_name)


def _confirm(user, import_id: int):
    return importing.start_confirm(user, importing.preview_job(user, import_id))


registry.register_import("problems", "问题整改台账", template=_template, start=_start, confirm=_confirm,
                         preview_kind="problems.import_preview")

registry.register_demo("problems", registry.PROBLEMS, demo.load_sample_problems)

registry.register_reminder("overdue_digests", "逾期问题提醒", reminders.send_overdue_digests)
registry.register_reminder("due_soon_digests", "问题到期提醒", reminders.send_due_soon_digests)

# The coverage matrix counts the live problems under each check item (voided ones are not a finding).
use_cell_ledger(CellLedger(live=lambda: Problem.objects.exclude(status=Status.VOIDED),
                           visible=lambda user: queries.visible_problems(user).exclude(status=Status.VOIDED),
                           counts_by_unit_path=queries.problem_counts_by_unit_path))

registry.register_router(api.router)

# Its 工作台 cards (and the cockpit's figures): core.workbench.
core_workbench.register("problems", order=10, counts=workbench.problem_counts, figures=workbench.problem_figures,
                        cards=workbench.problem_cards)

registry.register_search("problems", "问题", 10, search.search, list_url=search.list_url)
