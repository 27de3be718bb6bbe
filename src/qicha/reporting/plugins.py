"""What the monthly reporting plugs into the platform (registered from ReportingConfig.ready())."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    api,
    demo,
    notifications,  # noqa: F401  (who hears of each step: registers the act notices)
    reminders,
    workbench,
)

# After the clues: the past months' snapshots include them.
registry.register_demo("reporting", registry.REPORTING, demo.load_reporting_demo, accounts=[
    (username, name, unit, "单位领导：审核本单位的月度报送") for username, name, unit in demo.DEMO_LEADERS])

registry.register_reminder("report_reminders", "月度报送提醒", reminders.send_report_reminders)

registry.register_router(api.router)

# Its 工作台 cards (and the cockpit's figures): core.workbench.
core_workbench.register("reporting", order=50, counts=workbench.report_counts, figures=workbench.report_figures,
                        cards=workbench.report_cards)
