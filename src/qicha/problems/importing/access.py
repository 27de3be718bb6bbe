"""Who may import problems, and into which campaign."""

from qicha.campaigns import queries as campaign_queries
from qicha.campaigns.models import Campaign
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission


def check_allowed(actor) -> None:
    if not has_permission(actor, "problem.create"):
        raise NotFound()


def campaign_for(actor, campaign_id=None) -> Campaign:
    if campaign_id:
        campaign = campaign_queries.get_campaign(actor, campaign_id)
    else:
        campaign = campaign_queries.current_campaign(actor)
        if campaign is None:
            raise Invalid("当前没有进行中的专项行动，不能导入问题。")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再导入问题。")
    return campaign
