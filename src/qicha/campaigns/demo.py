"""Demo data for `make run`: this year's 七查七摆 campaign over the demo organisation, with sample self-inspection
answers. Written through the services, acting as the demo office. Loading twice changes nothing.
"""

from datetime import date

from django.db import transaction

from qicha.core.demo_clock import acting_on, story_day
from qicha.orgs.demo import DEPARTMENTS, DISTRICTS, SUBORDINATES, demo_units
from qicha.orgs.models import Unit, User

from . import services as campaign_services
from .models import Campaign
from .template import SEVEN_CHECKS, default_schedule


def demo_campaign() -> Campaign | None:
    """The campaign the later demo steps fill (the first one)."""
    return Campaign.objects.order_by("id").first()


@transaction.atomic
def load_demo_campaign(password: str) -> bool:
    """Create the demo campaign once the demo organisation exists. Returns False when a campaign exists already."""
    if demo_campaign() is not None or not User.objects.filter(username="office", is_demo=True).exists():
        return False
    with acting_on(story_day(0, days=-10)):  # the office launched it ten days before the deploy phase
        campaign = _create_campaign(demo_units())
    _sample_answers(campaign, demo_units())
    return True


def _create_campaign(units: dict[str, Unit]) -> Campaign:
    office = User.objects.get(username="office")
    year = date.today().year
    schedule = default_schedule(year)
    participants = [units[n] for n in DEPARTMENTS + SUBORDINATES] + [units[name] for _, name in DISTRICTS]
    campaign = campaign_services.create_campaign(
        office,
        name=f"{year}年“七查七摆”专项行动",
        year=year,
        document_no=f"民扫办〔{year}〕3号",
        description="根据市扫黑办《关于开展“七查七摆”专项行动的通知》要求，全面查找工作中存在的漏洞和薄弱环节，整改突出问题，弥补短板弱项。",
        organiser=units["局扫黑办"],
        participating_units=participants,
        phases=schedule["phases"],
        template_code=SEVEN_CHECKS,
        report_due_day=schedule["report_due_day"],
        stage_summary_due=schedule["stage_summary_due"],
        clue_clearance_date=schedule["clue_clearance_date"],
        final_summary_due=schedule["final_summary_due"],
    )
    return campaign


SAMPLE_STATEMENTS = {
    1: ("局主要领导先后4次主持召开党组会研究部署扫黑除恶工作，带队开展专题调研2次；领导小组办公室编发简报12期。"
        "查摆出问题：对基层民政所的督促指导频次不足，部分乡镇未按期上报工作台账。"),
    2: "已与局党组签订承诺书，主动接受纪检、群众监督；对照承诺逐项自查，未发现违反承诺情形。",
    6: "本年度共接收上级交办线索6条，已核查完结5条，剩余1条正在核查；实名举报2件均已答复。",
}


def _sample_answers(campaign: Campaign, units: dict[str, Unit]) -> None:
    """Filled in during the deploy phase's first weeks, one item a day."""
    liaison = User.objects.get(username="liaison_chengxi")
    unit = units["城西区民政局"]
    for item in campaign.check_items.all():
        statement = SAMPLE_STATEMENTS.get(item.ordinal, f"已对照“{item.check_text}”逐条开展查摆，形成查摆报告。")
        no_problem = item.ordinal in (2, 7)
        with acting_on(story_day(0.04, days=item.ordinal), hour=10):
            campaign_services.save_self_inspection(
                liaison, campaign=campaign, unit=unit, check_item=item, statement=statement,
                no_problem_found=no_problem,
                reason="经领导班子集体研究、对照台账逐项核实，未发现该方面问题。" if no_problem else "",
            )
    city_liaison = User.objects.get(username="liaison_city")
    for item in campaign.check_items.filter(ordinal__in=[1, 5]):
        with acting_on(story_day(0.06, days=item.ordinal), hour=15):
            campaign_services.save_self_inspection(
                city_liaison, campaign=campaign, unit=units["社会救助科"], check_item=item,
                statement="围绕农村低保专项治理开展查摆：抽查低保档案300份，发现“人情保”嫌疑3户、“漏保”2户，已建立整改台账。",
                no_problem_found=False,
            )
