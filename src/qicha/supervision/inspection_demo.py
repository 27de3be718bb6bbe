"""Sample inspection data for the demo: risk profiles of the district bureaus and one completed 专项督查 with a
finding (which is a problem in the ledger). Written through the services, as the office, each act on its day
(core.demo_clock). Loading twice changes nothing."""

from datetime import timedelta

from django.db import transaction

from qicha.core.demo_clock import acting_on, days_ago, real_today, story_day
from qicha.orgs.models import Unit, User

from .models import Inspection
from .services import inspections as services
from .services import risk as risk_services

SAMPLE_TITLE = "低保领域专项督查（第一轮）"
# unit name → 服务对象（人）, 监管资金（万元）, 特殊群体（人）
RISK_PROFILES = {
    "城东区民政局": (18600, "5230.00", 1240),
    "城西区民政局": (15200, "4180.50", 980),
    "南山县民政局": (26400, "7905.00", 2310),
    "北湖县民政局": (9800, "2650.00", 610),
}


@transaction.atomic
def load_sample_inspections(campaign) -> bool:
    """Returns False when the sample is already there."""
    if Inspection.objects.filter(campaign=campaign, title=SAMPLE_TITLE).exists():
        return False
    office = User.objects.get(username="office")
    with acting_on(story_day(0.1), hour=14):  # the risk profiles, early in the campaign (core.demo_clock)
        for name, (coverage, funds, special) in RISK_PROFILES.items():
            risk_services.save_profile(office, Unit.objects.get(name=name),
                                       {"service_coverage": coverage, "funds": funds, "special_groups": special})
    today = real_today()
    with acting_on(days_ago(27), hour=10):
        inspection = services.plan_inspection(
            office, campaign, kind="special", title=SAMPLE_TITLE, focus="低保审核审批、动态管理和资金发放",
            starts_on=today - timedelta(days=20), ends_on=today - timedelta(days=10),
            unit_ids=[Unit.objects.get(name="南山县民政局").pk, Unit.objects.get(name="北湖县民政局").pk],
        )
    with acting_on(days_ago(20), hour=9):
        inspection = services.start_inspection(office, inspection, version=inspection.version)
    targets = {t.unit.name: t for t in inspection.targets.select_related("unit")}
    with acting_on(days_ago(12), hour=17):
        services.rate_target(office, targets["南山县民政局"], "fair", "抽查低保档案60份，4份缺少入户调查记录。")
        services.rate_target(office, targets["北湖县民政局"], "good", "抽查低保档案40份，审核审批程序规范。")
        services.record_finding(office, inspection, targets["南山县民政局"], "部分低保档案缺少入户调查记录，审核把关不严。",
                                "逐户补齐入户调查记录，对近一年新增低保户开展复核。", today + timedelta(days=15))
    with acting_on(days_ago(10), hour=16):
        inspection.refresh_from_db()  # the ratings and the finding moved its version on
        services.complete_inspection(office, inspection, version=inspection.version,
                                     summary="两县低保审核审批总体规范，南山县入户调查环节需加强。")
    return True
