"""Sample clues for `make run`, written through the services as the people who would: a central-group batch,
a real-name report judged untrue and answered, its repeat gone to 提级复核, and work under way in two districts."""

from datetime import timedelta

from django.utils import timezone
from stdnum.cn import ric

from qicha.campaigns.models import Campaign
from qicha.orgs.models import Unit, User

from . import services
from .models import Clue, ClueBatch
from .workflow import CLUE_WORKFLOW


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def load_sample_clues(campaign: Campaign) -> bool:
    """Returns False when the samples are already there (loading twice changes nothing)."""
    if Clue.objects.filter(campaign=campaign).exists():
        return False
    today = timezone.localdate()
    office = User.objects.get(username="office")
    chengxi = User.objects.get(username="liaison_chengxi")
    handler = User.objects.get(username="handler")
    units = {u.name: u for u in Unit.objects.filter(name__in=["城西区民政局", "城东区民政局", "南山县民政局"])}
    batch = ClueBatch.objects.create(campaign=campaign, source="central_group", reference="中央督导组交办第3批",
                                     received_date=today - timedelta(days=40), created_by=office)
    person = _id("11010519650505121")

    def clue(days_ago, content, **extra):
        fields = {"source": "central_group", "received_date": today - timedelta(days=days_ago), "content": content,
                  "domain": "subsistence", "region": "", "subjects": [], "reporter": {}} | extra
        return services.register_clue(office, campaign=campaign, **fields)

    def act(item, action, by, **data):
        item.refresh_from_db()
        CLUE_WORKFLOW.perform(by, item, action, version=item.version, **data)

    done = clue(40, "反映城西区东关街道和平社区居委会副主任王某某为其亲属违规办理低保，并收受好处费。", batch=batch,
                reference_no="ZY3-001", region="城西区东关街道和平社区",
                subjects=[{"kind": "person", "name": "王某某", "id_number": _id("11010819700312004")}])
    act(done, "assign", office, unit=units["城西区民政局"])
    act(done, "start", chengxi)
    act(done, "report_result", chengxi, result="partly_true",
        findings="经入户核查、调取银行流水，王某某为其弟违规办理低保属实，收受好处费问题查无实据。")
    act(done, "record_follow_up", chengxi, kind="discipline", date=today - timedelta(days=20),
        document_no="城西民移〔2026〕5号", note="王某某违规问题移送区纪委监委")
    act(done, "record_follow_up", chengxi, kind="rectification", date=today - timedelta(days=18),
        document_no="城西民〔2026〕21号", measures="清退违规低保金，对全区低保对象开展亲属关系排查",
        deadline=today + timedelta(days=30))
    act(done, "close", office)

    late = clue(40, "反映南山县某殡仪服务公司垄断遗体接运、强制捆绑销售丧葬用品，涉嫌欺行霸市。", batch=batch,
                reference_no="ZY3-002", domain="funeral", region="南山县城关镇",
                subjects=[{"kind": "organisation", "name": "南山县安泰殡仪服务有限公司", "credit_code": ""}])
    act(late, "assign", office, unit=units["南山县民政局"])
    act(late, "start", User.objects.get(username="liaison_nanshan"))

    clue(3, "反映北湖县某社会组织以扫黑除恶名义向会员摊派费用。", batch=batch, reference_no="ZY3-003",
         domain="social_org", region="北湖县")

    reported = clue(30, "实名举报城东区新华街道幸福村村民张某某家有两套房产仍享受低保，每月领取低保金。",
                    source="public_report", region="城东区新华街道幸福村", real_name=True,
                    reporter={"name": "刘明", "phone": "13800138000"},
                    subjects=[{"kind": "person", "name": "张某某", "id_number": person}])
    act(reported, "assign", office, unit=units["城东区民政局"], handler=handler)
    act(reported, "start", handler)
    act(reported, "report_result", handler, result="untrue",
        findings="经不动产登记查询，张某某名下仅一处自住房，另一处为其已分户子女所有，反映问题不属实。")
    act(reported, "record_reply", handler, date=today - timedelta(days=15), channel="in_person",
        content="当面告知核查结果及依据", reporter_response="举报人表示仍有疑虑")
    act(reported, "close", office)

    clue(2, "再次举报幸福村张某某家有两套房还吃低保，上次核查走过场。", source="public_report",
         region="城东区新华街道幸福村", real_name=True, reporter={"name": "刘明", "phone": "13800138000"},
         subjects=[{"kind": "person", "name": "张某某", "id_number": person}])

    instructed = clue(10, "市领导批示：关注城东区部分村（居）委会换届中有“村霸”参选问题，请民政局配合摸排。",
                      source="leader_instruction", domain="grassroots", region="城东区")
    act(instructed, "assign", office, unit=units["城东区民政局"])
    return True
