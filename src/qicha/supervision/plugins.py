"""What the supervision ledgers plug into the platform (registered from SupervisionConfig.ready())."""

from qicha.campaigns.demo import demo_campaign
from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import (
    demo,
    demo_inspectors,
    exporting,
    inspection_api,
    inspection_demo,
    letter_api,
    notices,  # noqa: F401  (who hears of each act: registers the act notices)
    scope,
    workbench,
)
from .queries import accountability, inspections

registry.register_export("letters", "责任书承诺书签订台账", kind="letters.export", permission="supervision.view",
                         list_url="supervision:letters", parse=exporting.LetterFilters.from_params,
                         check=exporting.check_letter_export, describe=exporting.describe_letters)
registry.register_export("inspections", "督导检查台账", kind="inspections.export", permission="supervision.view",
                         list_url="supervision:inspections", parse=inspections.InspectionFilters.from_params,
                         check=exporting.check_inspection_export, describe=exporting.describe_inspections)
registry.register_export("accountability", "问责台账", kind="accountability.export", permission="supervision.view",
                         list_url="supervision:accountability", parse=accountability.AccountabilityFilters.from_params,
                         check=exporting.check_accountability_export, describe=exporting.describe_accountability)


def _load_demo(password: str) -> bool:
    """The 督导员 accounts (a random inspection draws from them), then sample letters and inspections."""
    created = demo_inspectors.load_demo_inspectors(password) > 0
    campaign = demo_campaign()
    if campaign is not None:
        created = demo.load_sample_letters(campaign) | created
        created = inspection_demo.load_sample_inspections(campaign) | created
    return created


registry.register_demo("supervision", registry.SUPERVISION, _load_demo, accounts=[
    (username, name, unit, "督导员：参加督导检查，记录检查情况和发现的问题")
    for username, name, unit in demo_inspectors.DEMO_INSPECTORS])

registry.register_router(letter_api.router)
registry.register_router(inspection_api.router)

# The 督导员's data scope: the units of the inspections they are on, while under way.
scope.register()
# Its 工作台 cards (and the cockpit's figures): core.workbench.
core_workbench.register("supervision", order=40, counts=workbench.inspection_counts,
                        figures=workbench.inspection_figures, cards=workbench.inspection_cards)
