"""What the village 联审 plugs into the platform (registered from VettingConfig.ready()): its API router, demo data,
the deadline reminder, the negative lists it holds (answering `core.registry.check_negative_lists`), the act notices
and the cockpit's panels."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    api,
    demo,
    notices,  # noqa: F401  (who hears of each act: registers the act notices)
    panels,
    reminders,
)
from .services import negative_lists

VETTING = registry.REPORTING + 10

registry.register_router(api.router)
registry.register_demo("vetting", VETTING, demo.load_vetting_demo,
                       accounts=[(u, n, unit, "联审部门：只答复所参加联审批次的候选人意见") for u, n, unit in
                                 demo.DEPARTMENT_ACCOUNTS])
registry.register_reminder("vetting_deadline", "联审答复提醒", reminders.send_deadline_reminders)
registry.register_negative_list_check("vetting_lists", negative_lists.check)

for key, order, build in panels.PANEL_BUILDERS:
    core_workbench.register_panel(key, order=order, build=build)
