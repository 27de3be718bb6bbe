"""What the monthly reporting plugs into the platform (registered from ReportingConfig.ready())."""

from qicha.core import registry

from . import api, demo, reminders

# After the clues: the past months' snapshots include them.
registry.register_demo("reporting", registry.REPORTING, demo.load_reporting_demo, accounts=[
    (username, name, unit, "单位领导：审核本单位的月度报送") for username, name, unit in demo.DEMO_LEADERS])

registry.register_reminder("report_reminders", "月度报送提醒", reminders.send_report_reminders)

registry.register_router(api.router)
