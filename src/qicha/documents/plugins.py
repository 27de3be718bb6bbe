"""What the summary documents plug into the platform (registered from DocumentsConfig.ready())."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    api,
    demo,
    notices,  # noqa: F401  (who hears of each act on a unit's summary: registers the act notices)
    reminders,
    workbench,
)

registry.register_router(api.router)

registry.register_reminder("unit_summary_reminders", "单位总结提交提醒", reminders.send_unit_summary_reminders)

# After the monthly reports (whose loader creates the liaisons of the 科室 and 局属单位).
registry.register_demo("unit_summaries", registry.REPORTING + 5, demo.load_unit_summary_demo)

# Its 工作台 cards: after the monthly reports' (core.workbench).
core_workbench.register("unit_summaries", order=55, counts=workbench.summary_counts, figures=workbench.summary_figures,
                        cards=workbench.summary_cards)
