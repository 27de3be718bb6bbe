"""Demo data for `make run`: sample problems in the demo campaign (feedback, self-inspection, one signed off, one
overdue), written through the services as the demo office and liaisons. Loading twice changes nothing.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qicha.campaigns.demo import demo_campaign
from qicha.campaigns.models import Campaign
from qicha.core.attachments import store_upload
from qicha.core.demo_clock import acting_on, days_ago, real_today, story_day
from qicha.orgs.demo import MINIMAL_PDF, demo_units
from qicha.orgs.models import Unit, User

from . import services as problem_services
from .models import Problem

FEEDBACK_ASPECTS = ["线索摸排不细致、不深入", "行业监管存在薄弱环节", "长效常治机制不够健全"]
@transaction.atomic
def load_sample_problems(password: str) -> bool:
    """Sample problems in the demo campaign, once. Returns False when it has problems already (or does not exist)."""
    campaign = demo_campaign()
    if campaign is None or Problem.objects.filter(campaign=campaign).exists():
        return False
    _sample_problems(campaign, demo_units())
    return True


def _sample_problems(campaign: Campaign, units: dict[str, Unit]) -> None:
    """Each act on the day it happened (core.demo_clock): the central group's feedback registered early in the
    campaign, self-found problems over the months, one signed off mid-campaign, the latest ones last week."""
    today = real_today()
    office = User.objects.get(username="office")
    chengxi = User.objects.get(username="liaison_chengxi")
    handler = User.objects.get(username="handler")
    with acting_on(story_day(0.15), hour=9):
        aspects = [problem_services.add_feedback_aspect(office, campaign, title=t) for t in FEEDBACK_ASPECTS]
        _feedback(campaign, units, office, aspects, today)
    _self_found(campaign, units, chengxi, office, handler, today)


def _feedback(campaign, units, office, aspects, today) -> None:
    item3 = campaign.check_items.get(ordinal=3)
    feedback = [
        (aspects[0], "城东区民政局", "对村（居）委会成员涉黑涉恶线索摸排流于形式，台账不完整。", 20, "陈建国", "基层政权股股长"),
        (aspects[0], "南山县民政局", "群众反映的低保领域问题线索未建立逐条核查机制。", -5, "王丽萍", "社会救助股股长"),
        (aspects[1], "社会组织管理科", "对活动异常社会组织清理不及时，年检未通过的仍在开展活动。", 30, "赵文斌", "科长"),
        (aspects[1], "社会事务科", "医疗太平间违规从事殡葬服务的联合执法次数偏少。", 45, "孙海涛", "副科长"),
        (aspects[2], "政策法规科", "失职失责责任倒查追究办法配套细则尚未出台。", 60, "李慧敏", "科长"),
    ]
    created = []
    for aspect, unit_name, text, days, person, post in feedback:
        created.append(problem_services.register_problem(
            office, campaign=campaign, unit=units[unit_name], source="group_feedback", aspect=aspect, check_item=item3,
            description=text, rectification_type="deadline", measures="制定整改方案，明确责任人，倒排时间表逐项整改。",
            deadline=today + timedelta(days=days), responsible_leader="分管副局长",
            responsible_person_name=person, responsible_person_post=post,
            milestones=[{"title": "完成问题核实与整改方案", "due_date": today + timedelta(days=days - 3)}],
        ))
    overdue = created[1]
    liaison_nanshan = User.objects.get(username="liaison_nanshan")
    with acting_on(story_day(0.2), hour=14):
        problem_services.start_problem(liaison_nanshan, overdue, version=overdue.version)


def _self_found(campaign, units, chengxi, office, handler, today) -> None:
    entry = campaign.self_inspections.get(unit=units["城西区民政局"], check_item__ordinal=1)
    with acting_on(days_ago(20), hour=10):
        quick = problem_services.register_problem(
            chengxi, campaign=campaign, unit=units["城西区民政局"], self_inspection=entry,
            description="对基层民政所的督促指导频次不足，部分乡镇未按期上报工作台账。", rectification_type="immediate",
            measures="立即印发督办通知，明确每月15日前报送台账，局领导带队督导。", deadline=today + timedelta(days=10),
            responsible_leader="局长", responsible_department="办公室", responsible_person_name="周建华",
            responsible_person_post="办公室主任", responsible_person_phone="13905710123",
        )
    with acting_on(days_ago(3), hour=16):
        evidence = store_upload(chengxi, SimpleUploadedFile("督办通知.pdf", MINIMAL_PDF, content_type="application/pdf"))
        problem_services.add_progress(chengxi, quick, text="已印发督办通知，8个乡镇全部按期报送。", percent=100,
                                      attachment_ids=[evidence.pk])
        problem_services.submit_problem(chengxi, quick, version=quick.version)

    with acting_on(story_day(0.3), hour=10):
        done = problem_services.register_problem(
            chengxi, campaign=campaign, unit=units["城西区民政局"], self_inspection=entry,
            description="扫黑除恶简报编发不及时。", rectification_type="immediate", measures="明确专人负责，每月编发简报。",
            deadline=story_day(0.45), responsible_person_name="刘志强", responsible_person_post="综合科科员",
        )
    with acting_on(story_day(0.4), hour=11):
        proof = store_upload(chengxi, SimpleUploadedFile("简报目录.pdf", MINIMAL_PDF, content_type="application/pdf"))
        problem_services.add_progress(chengxi, done, text="已编发简报3期。", percent=100, attachment_ids=[proof.pk])
        problem_services.submit_problem(chengxi, done, version=done.version)
    with acting_on(story_day(0.42), hour=15):
        problem_services.sign_off_problem(
            office, done, version=done.version, checks=dict.fromkeys(
                ["facts_clear", "rectified", "responsibility_fixed", "public_satisfied", "loophole_closed",
                 "weakness_fixed"], True),
            opinion="整改到位，同意销号。",
        )

    liaison_chengdong = User.objects.get(username="liaison_chengdong")
    with acting_on(days_ago(8), hour=9):
        problem_services.register_problem(
            liaison_chengdong, campaign=campaign, unit=units["城东区民政局社会救助股"], source="self_inspection",
            check_item=campaign.check_items.get(ordinal=5),
            description="农村低保动态管理不到位，存在“人情保”嫌疑2户。", rectification_type="deadline",
            measures="逐户入户核查，不符合条件的依法停保并追回资金。", deadline=today + timedelta(days=6),
            responsible_person=handler, responsible_department="社会救助股",
            milestones=[{"title": "完成入户核查", "due_date": today + timedelta(days=3)}],
        )
