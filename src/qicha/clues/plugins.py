"""What the clue and case ledgers plug into the platform (registered from CluesConfig.ready())."""

from qicha.campaigns.demo import demo_campaign
from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    api,
    case_api,
    case_exporting,
    case_queries,
    demo,
    exporting,
    import_jobs,
    importing,
    notices,  # noqa: F401  (who hears of each act: registers the act notices)
    queries,
    reminders,
    search,
    workbench,
)

registry.register_export("clues", "线索核查台账", kind="clues.export", permission="clue.view", list_url="clues:list",
                         parse=queries.ClueFilters.from_params, check=exporting.check_export, reveals=True,
                         describe=exporting.describe)
registry.register_export("cases", "案件督办台账", kind="cases.export", permission="case.view", list_url="cases:list",
                         parse=case_queries.CaseFilters.from_params, check=case_exporting.check_export,
                         describe=case_exporting.describe)


def _template(user, campaign_id):
    importing.check_allowed(user)
    return importing.build_template(), importing.TEMPLATE_NAME


registry.register_import(
    "clues", "线索清单", template=_template, start=import_jobs.start_preview,
    confirm=import_jobs.start_confirm, preview_kind=import_jobs.PREVIEW_JOB, form_fields=import_jobs.FORM_FIELDS,
    page_hint="也可在页面“线索核查 → 导入交办批次”中导入。")



def _load_demo(password: str) -> bool:
    campaign = demo_campaign()
    return campaign is not None and demo.load_sample_clues(campaign)


registry.register_demo("clues", registry.CLUES, _load_demo)

registry.register_reminder("clue_due_soon_digests", "线索到期提醒", reminders.send_clue_due_soon_digests)
registry.register_reminder("clue_overdue_digests", "线索逾期提醒", reminders.send_clue_overdue_digests)

registry.register_router(api.router)
registry.register_router(case_api.router)

# Its 工作台 cards (and the cockpit's figures): core.workbench.
core_workbench.register("clues", order=20, counts=workbench.clue_counts, figures=workbench.clue_figures,
                        cards=workbench.clue_cards)
core_workbench.register("cases", order=30, counts=workbench.case_counts, figures=workbench.case_figures,
                        cards=workbench.case_cards)

registry.register_search("clues", "线索", 20, search.search_clues, list_url=search.clue_list_url)
registry.register_search("cases", "案件", 30, search.search_cases)
