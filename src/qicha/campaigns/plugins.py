"""What the campaigns app plugs into the platform (registered from CampaignsConfig.ready())."""

from django.urls import reverse
from django.utils.http import urlencode

from qicha.core import registry
from qicha.core import workbench as core_workbench
from qicha.core.params import parse_id

from . import api, demo, exporting, queries, workbench


def _coverage_url(params: dict) -> str:
    """Back to the coverage page of the campaign the export named (the page has it in its path, not its query)."""
    campaign = parse_id(params.get("campaign"))
    if campaign is None:
        return reverse("campaigns:coverage_home")
    query = urlencode({k: v for k, v in params.items() if k != "campaign"})
    return reverse("campaigns:coverage", args=[campaign]) + (f"?{query}" if query else "")


registry.register_export("self_inspections", "自查自纠台账", kind="campaigns.self_inspection_export",
                         permission="coverage.view", list_url="campaigns:coverage_home",
                         parse=queries.CoverageFilters.from_params, check=exporting.check_export, back=_coverage_url,
                         describe=exporting.describe)

registry.register_demo("campaigns", registry.CAMPAIGNS, demo.load_demo_campaign)

registry.register_router(api.router)

# Its 工作台 cards (and the cockpit's figures): core.workbench.
core_workbench.provide("campaign", workbench.current_campaign)
core_workbench.register("campaigns", order=5, figures=workbench.campaign_figures, cards=workbench.campaign_cards)
