"""Sample clues and cases for `make run`, written through the services as the people who would, each act on the day
it happened (core.demo_clock): a central-group batch early in the campaign whose partly-true clue became a case,
closed with its 一案一整治 record; a real-name report judged untrue and answered, its repeat gone to 提级复核; a
case handed down mid-campaign still under investigation, a leader's instruction last week; work under way in two
districts and a new batch this week."""


from stdnum.cn import ric

from qicha.campaigns.models import Campaign
from qicha.core.demo_clock import acting_on, days_ago, story_day
from qicha.orgs.models import Unit, User

from . import services
from .models import Clue, ClueBatch
from .services import cases as case_services
from .workflow import CLUE_WORKFLOW


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def load_sample_clues(campaign: Campaign) -> bool:
    """Returns False when the samples are already there (loading twice changes nothing)."""
    if Clue.objects.filter(campaign=campaign).exists():
        return False
    office = User.objects.get(username="office")
    chengxi = User.objects.get(username="liaison_chengxi")
    nanshan = User.objects.get(username="liaison_nanshan")
    handler = User.objects.get(username="handler")
    units = {u.name: u for u in Unit.objects.filter(name__in=["城西区民政局", "城东区民政局", "南山县民政局"])}
    person = _id("11010519650505121")

    def clue(received, content, **extra):
        fields = {"source": "central_group", "received_date": received, "content": content,
                  "domain": "subsistence", "region": "", "subjects": [], "reporter": {}} | extra
        with acting_on(received, hour=9):
            return services.register_clue(office, campaign=campaign, **fields)

    def act(day, item, action, by, hour=10, **data):
        with acting_on(day, hour=hour):
            item.refresh_from_db()
            CLUE_WORKFLOW.perform(by, item, action, version=item.version, **data)

    # Early in the campaign: the central group's second batch; one clue partly true → case → closed with 一案一整治.
    received = story_day(0.2)
    with acting_on(received, hour=8):
        second = ClueBatch.objects.create(campaign=campaign, source="central_group", reference="中央督导组交办第2批",
                                          received_date=received, created_by=office)
    done = clue(received, "反映城西区东关街道和平社区居委会副主任王某某为其亲属违规办理低保，并收受好处费。",
                batch=second, reference_no="ZY2-001", region="城西区东关街道和平社区",
                subjects=[{"kind": "person", "name": "王某某", "id_number": _id("11010819700312004")}])
    act(story_day(0.21), done, "assign", office, unit=units["城西区民政局"])
    act(story_day(0.22), done, "start", chengxi)
    act(story_day(0.26), done, "report_result", chengxi, result="partly_true",
        findings="经入户核查、调取银行流水，王某某为其弟违规办理低保属实，收受好处费问题查无实据。")
    act(story_day(0.28), done, "record_follow_up", chengxi, date=story_day(0.28), kind="discipline",
        document_no="城西民移〔2026〕5号", note="王某某违规问题移送区纪委监委")
    act(story_day(0.29), done, "record_follow_up", chengxi, date=story_day(0.29), kind="rectification",
        document_no="城西民〔2026〕21号", measures="清退违规低保金，对全区低保对象开展亲属关系排查",
        deadline=story_day(0.5))
    act(story_day(0.31), done, "close", office)
    _closed_case(done, office, chengxi)

    # Mid-campaign: a real-name report, judged untrue and answered; the reporter writes again this week (提级复核).
    received = story_day(0.5)
    reported = clue(received, "实名举报城东区新华街道幸福村村民张某某家有两套房产仍享受低保，每月领取低保金。",
                    source="public_report", region="城东区新华街道幸福村", real_name=True,
                    reporter={"name": "刘明", "phone": "13800138000"},
                    subjects=[{"kind": "person", "name": "张某某", "id_number": person}])
    act(story_day(0.51), reported, "assign", office, unit=units["城东区民政局"], handler=handler)
    act(story_day(0.52), reported, "start", handler)
    act(story_day(0.55), reported, "report_result", handler, result="untrue",
        findings="经不动产登记查询，张某某名下仅一处自住房，另一处为其已分户子女所有，反映问题不属实。")
    act(story_day(0.57), reported, "record_reply", handler, date=story_day(0.57), channel="in_person",
        content="当面告知核查结果及依据", reporter_response="举报人表示仍有疑虑")
    act(story_day(0.58), reported, "close", office)
    _investigating_case(campaign, units["南山县民政局"], office, nanshan)

    # The last weeks: the third batch (one clue under way, late), a leader's instruction, the repeat, a new batch.
    received = days_ago(40)
    with acting_on(received, hour=8):
        third = ClueBatch.objects.create(campaign=campaign, source="central_group", reference="中央督导组交办第3批",
                                         received_date=received, created_by=office)
    late = clue(received, "反映南山县某殡仪服务公司垄断遗体接运、强制捆绑销售丧葬用品，涉嫌欺行霸市。", batch=third,
                reference_no="ZY3-001", domain="funeral", region="南山县城关镇",
                subjects=[{"kind": "organisation", "name": "南山县安泰殡仪服务有限公司", "credit_code": ""}])
    act(days_ago(39), late, "assign", office, unit=units["南山县民政局"])
    act(days_ago(37), late, "start", nanshan)
    instructed = clue(days_ago(10), "市领导批示：关注城东区部分村（居）委会换届中有“村霸”参选问题，请民政局配合摸排。",
                      source="leader_instruction", domain="grassroots", region="城东区")
    act(days_ago(9), instructed, "assign", office, unit=units["城东区民政局"])
    _open_case(campaign, units["城东区民政局"], office)
    received = days_ago(3)
    with acting_on(received, hour=8):
        fourth = ClueBatch.objects.create(campaign=campaign, source="central_group", reference="中央督导组交办第4批",
                                          received_date=received, created_by=office)
    clue(received, "反映北湖县某社会组织以扫黑除恶名义向会员摊派费用。", batch=fourth, reference_no="ZY4-001",
         domain="social_org", region="北湖县")
    clue(days_ago(2), "再次举报幸福村张某某家有两套房还吃低保，上次核查走过场。", source="public_report",
         region="城东区新华街道幸福村", real_name=True, reporter={"name": "刘明", "phone": "13800138000"},
         subjects=[{"kind": "person", "name": "张某某", "id_number": person}])
    return True


def _closed_case(clue: Clue, office, liaison) -> None:
    """The partly-true clue's case: investigated, concluded, its 一案一整治 record names the loophole, the measures
    and the rectification problem the clue opened; then 销号."""
    received = story_day(0.32)
    with acting_on(received, hour=9):
        case = case_services.register_case(
            office, clue.campaign, clue.unit, name="城西区和平社区王某某违规办理低保案", source="clue",
            reference_no=clue.reference_no, received_date=received, clue=clue,
            summary="王某某利用居委会副主任职务便利，为其弟违规办理低保；已移送区纪委监委。")
    with acting_on(story_day(0.33), hour=10):
        case = case_services.start_case(liaison, case, version=case.version)
    with acting_on(story_day(0.36), hour=15):
        case_services.add_case_progress(liaison, case, "区纪委监委已立案审查；违规低保金12,600元已全部追回。")
    with acting_on(story_day(0.4), hour=11):
        case.refresh_from_db()
        case = case_services.conclude_case(liaison, case, version=case.version,
                                           conclusion="王某某受党内严重警告处分，依法罢免居委会副主任职务；违规低保已停发。")
    problem = clue.follow_ups.exclude(problem=None).first().problem
    with acting_on(story_day(0.41), hour=10):
        case_services.save_rectification(
            liaison, case, None, gap="低保审批对申请人与经办人员的亲属关系缺少比对，社区初审把关流于形式。",
            measures="建立经办人员近亲属备案和低保审批回避比对制度；全区低保对象亲属关系排查一遍。",
            problem_ids=[problem.pk])
    with acting_on(story_day(0.43), hour=16):
        case.refresh_from_db()
        case_services.close_case(office, case, version=case.version)


def _investigating_case(campaign, unit, office, liaison) -> None:
    received = story_day(0.6)
    with acting_on(received, hour=9):
        case = case_services.register_case(
            office, campaign, unit, name="南山县某殡葬服务公司强揽业务案", source="central_group",
            reference_no="督交〔2026〕7号", received_date=received,
            summary="中央督导组交办：某殡葬服务公司负责人涉嫌以暴力威胁手段强揽遗体接运业务。")
    with acting_on(story_day(0.62), hour=10):
        case = case_services.start_case(liaison, case, version=case.version)
    with acting_on(days_ago(12), hour=15):
        case_services.add_case_progress(liaison, case, "已会同县市场监管局调取经营记录，约谈公司负责人；正配合公安机关调查。")


def _open_case(campaign, unit, office) -> None:
    received = days_ago(6)
    with acting_on(received, hour=9):
        case_services.register_case(
            office, campaign, unit, name="城东区部分村“村霸”干扰换届案", source="leader_instruction",
            received_date=received, instruction="请城东区民政局会同组织部门逐村摸排，确保换届风清气正。",
            summary="市领导批示：城东区部分村（居）委会换届中有“村霸”参选、拉票问题。")
