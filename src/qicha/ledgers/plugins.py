"""What the sector ledgers plug into the platform (registered from LedgersConfig.ready())."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import api, demo, exporting, import_jobs, queries, search, summary, workbench

registry.register_export("ledgers", "专项治理台账", kind="ledgers.export", permission="ledger.view",
                         list_url="ledgers:home", parse=exporting.parse, check=exporting.check_export,
                         describe=exporting.describe, back=exporting.back)
registry.register_import("ledgers", "专项治理台账", template=import_jobs.template, start=import_jobs.start_preview,
                         confirm=import_jobs.start_confirm, preview_kind=import_jobs.PREVIEW_JOB,
                         form_fields=import_jobs.FORM_FIELDS, page_hint=import_jobs.PAGE_HINT)

# After the clues (its demo rows link one) and before reporting.
registry.register_demo("ledgers", registry.SUPERVISION - 5, demo.load_sample_rows)

registry.register_router(api.router)

# The cockpit's figures per ledger (figures only: the 工作台 does not count every ledger's rows) …
core_workbench.register("ledgers", order=45, counts=workbench.ledger_counts, figures=workbench.ledger_figures)
# … and the 工作台's to-do for a unit that has not filled this month's monthly ledgers (one query).
core_workbench.register("ledgers_monthly", order=46, figures=workbench.monthly_figures, cards=workbench.monthly_cards)

registry.register_search("ledgers", "专项治理台账", 50, search.search_rows)
registry.register_linked_records("ledgers", search.rows_linking)
registry.register_summary_tables("ledgers", summary.summary_tables)


def _monthly_duties(user, today):
    return [registry.MonthlyDuty(definition.name, f"/ledgers/{definition.key}/months/",
                                 f"本月（{today.month}月）{done} / {expected} 个单位已填报")
            for definition, done, expected in queries.filled_this_month(user, today)]


registry.register_monthly_duties("ledgers", _monthly_duties)
