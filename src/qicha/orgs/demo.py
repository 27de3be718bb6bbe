"""Demo data for `make run`: a city bureau, its departments and units, four district bureaus, and one
account per role. Everything is written through the services, acting as the demo administrators.
Loading twice changes nothing.
"""

import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from qicha.campaigns import services as campaign_services
from qicha.campaigns.models import Campaign
from qicha.campaigns.template import SEVEN_CHECKS, default_schedule
from qicha.core.errors import Invalid

from . import services
from .models import Role, Unit, UnitKind, User
from .services.bootstrap import bootstrap_admin

CITY = "市民政局"
DEPARTMENTS = ["办公室", "社会组织管理科", "社会救助科", "社会事务科", "基层政权建设科", "政策法规科"]
SUBORDINATES = ["市殡仪馆", "市救助管理站", "市社会福利院", "市社会组织服务中心", "市居民家庭经济状况核对中心"]
DISTRICTS = [("chengdong", "城东区民政局"), ("chengxi", "城西区民政局"), ("nanshan", "南山县民政局"), ("beihu", "北湖县民政局")]
DISTRICT_DEPARTMENTS = ["办公室", "社会救助股", "基层政权股"]

# username, full name, unit name, role code, description for the README and the console.
DEMO_USERS = [
    ("office", "王扫黑", "局扫黑办", "office", "扫黑办工作人员：全部数据，审核、销号"),
    ("leader", "李局长", CITY, "bureau_leader", "局领导：全部数据，只读与看板"),
    ("liaison_city", "赵联络", "社会救助科", "liaison", "局机关科室联络员"),
    *[(f"liaison_{code}", f"{name[:2]}联络员", name, "liaison", f"{name}联络员：本局及下属科室") for code, name in DISTRICTS],
    ("handler", "钱承办", "城东区民政局社会救助股", "handler", "承办人：仅本人承办的事项"),
    ("sysadmin", "孙系统", "办公室", "sysadmin", "系统管理员：单位与用户，不看业务数据"),
    ("secadmin", "周安全", "办公室", "secadmin", "安全管理员：角色与数据权限，不看业务数据"),
    ("auditor", "吴审计", "办公室", "auditor", "审计管理员：审计日志，不看业务数据"),
]


def demo_password_file() -> Path:
    return settings.VAR_DIR / "demo_password"


def resolve_demo_password(configured: str | None) -> str:
    """QICHA_DEMO_PASSWORD if given, else the one generated on the first run (kept under var/)."""
    path = demo_password_file()
    if configured:
        return configured
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    generated = f"Qc-{secrets.token_urlsafe(9)}7a"
    path.write_text(generated, encoding="utf-8")
    path.chmod(0o600)
    return generated


def _check_password(password: str) -> None:
    for username, *_ in DEMO_USERS:
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as exc:
            raise Invalid(f"演示密码不符合密码规则（账号 {username}）：{' '.join(exc.messages)}") from exc


@transaction.atomic
def load_demo(password: str) -> bool:
    """Create the demo organisation, accounts and campaign. Returns False when they already exist."""
    _check_password(password)
    if User.objects.filter(username="sysadmin", is_demo=True).exists():
        _set_passwords(password)
        return False
    sysadmin, _ = bootstrap_admin(username="sysadmin", role_code="sysadmin", full_name="孙系统", root_unit_name=CITY)
    secadmin, _ = bootstrap_admin(username="secadmin", role_code="secadmin", full_name="周安全")
    units = _build_tree(sysadmin)
    sysadmin.unit = secadmin.unit = units["办公室"]
    User.objects.filter(pk__in=[sysadmin.pk, secadmin.pk]).update(unit=units["办公室"])
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, unit_name, role_code, _ in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = services.create_user(sysadmin, username=username, full_name=full_name, unit=units[unit_name])
            user = User.objects.get(pk=user.pk)
            services.assign_roles(secadmin, user, [roles[role_code]], version=user.version)
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).update(is_demo=True)
    _set_passwords(password)
    _create_campaign(units)
    return True


def add_demo_accounts(password: str, role_code: str, accounts: list[tuple[str, str, str]]) -> int:
    """Extra demo accounts (username, name, unit name) holding one role, created through the services as the demo
    administrators; returns how many were created (0 when they exist already)."""
    sysadmin, secadmin = User.objects.get(username="sysadmin"), User.objects.get(username="secadmin")
    role = Role.objects.get(code=role_code)
    created = 0
    for username, full_name, unit_name in accounts:
        if User.objects.filter(username=username).exists():
            continue
        user, _ = services.create_user(sysadmin, username=username, full_name=full_name,
                                       unit=Unit.objects.get(name=unit_name))
        user = User.objects.get(pk=user.pk)
        services.assign_roles(secadmin, user, [role], version=user.version)
        User.objects.filter(pk=user.pk).update(is_demo=True)
        created += 1
    _set_passwords(password)
    return created


def _set_passwords(password: str) -> None:
    for user in User.objects.filter(is_demo=True):
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])


def _build_tree(actor) -> dict[str, Unit]:
    root = Unit.objects.get_root_nodes().first()
    units = {CITY: root}
    units["局党组"] = services.create_unit(actor, parent=root, name="局党组", kind=UnitKind.PARTY_GROUP)
    units["局扫黑办"] = services.create_unit(actor, parent=root, name="局扫黑办", kind=UnitKind.CAMPAIGN_OFFICE,
                                           short_name="扫黑办")
    for name in DEPARTMENTS:
        units[name] = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.DEPARTMENT)
    for name in SUBORDINATES:
        units[name] = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.SUBORDINATE)
    for code, name in DISTRICTS:
        district = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.DISTRICT_BUREAU, code=code)
        units[name] = district
        for dept in DISTRICT_DEPARTMENTS:
            full = f"{name}{dept}"
            units[full] = services.create_unit(actor, parent=_fresh(district), name=full, short_name=dept,
                                               kind=UnitKind.DISTRICT_DEPARTMENT)
    return units


def _fresh(unit: Unit) -> Unit:
    # treebeard keeps child counters on the parent row; re-read it before each add_child.
    return Unit.objects.get(pk=unit.pk)


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
    _sample_answers(campaign, units)
    _sample_problems(campaign, units)
    return campaign


SAMPLE_STATEMENTS = {
    1: ("局主要领导先后4次主持召开党组会研究部署扫黑除恶工作，带队开展专题调研2次；领导小组办公室编发简报12期。"
        "查摆出问题：对基层民政所的督促指导频次不足，部分乡镇未按期上报工作台账。"),
    2: "已与局党组签订承诺书，主动接受纪检、群众监督；对照承诺逐项自查，未发现违反承诺情形。",
    6: "本年度共接收上级交办线索6条，已核查完结5条，剩余1条正在核查；实名举报2件均已答复。",
}


def _sample_answers(campaign: Campaign, units: dict[str, Unit]) -> None:
    liaison = User.objects.get(username="liaison_chengxi")
    unit = units["城西区民政局"]
    for item in campaign.check_items.all():
        statement = SAMPLE_STATEMENTS.get(item.ordinal, f"已对照“{item.check_text}”逐条开展查摆，形成查摆报告。")
        no_problem = item.ordinal in (2, 7)
        campaign_services.save_self_inspection(
            liaison, campaign=campaign, unit=unit, check_item=item, statement=statement,
            no_problem_found=no_problem, reason="经领导班子集体研究、对照台账逐项核实，未发现该方面问题。" if no_problem else "",
        )
    city_liaison = User.objects.get(username="liaison_city")
    for item in campaign.check_items.filter(ordinal__in=[1, 5]):
        campaign_services.save_self_inspection(
            city_liaison, campaign=campaign, unit=units["社会救助科"], check_item=item,
            statement="围绕农村低保专项治理开展查摆：抽查低保档案300份，发现“人情保”嫌疑3户、“漏保”2户，已建立整改台账。",
            no_problem_found=False,
        )


FEEDBACK_ASPECTS = ["线索摸排不细致、不深入", "行业监管存在薄弱环节", "长效常治机制不够健全"]
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _sample_problems(campaign: Campaign, units: dict[str, Unit]) -> None:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from qicha.core.attachments import store_upload
    from qicha.problems import services as problem_services

    today = timezone.localdate()
    office = User.objects.get(username="office")
    chengxi = User.objects.get(username="liaison_chengxi")
    handler = User.objects.get(username="handler")
    aspects = [problem_services.add_feedback_aspect(office, campaign, title=t) for t in FEEDBACK_ASPECTS]
    item3 = campaign.check_items.get(ordinal=3)
    feedback = [
        (aspects[0], "城东区民政局", "对村（居）委会成员涉黑涉恶线索摸排流于形式，台账不完整。", 20),
        (aspects[0], "南山县民政局", "群众反映的低保领域问题线索未建立逐条核查机制。", -5),
        (aspects[1], "社会组织管理科", "对活动异常社会组织清理不及时，年检未通过的仍在开展活动。", 30),
        (aspects[1], "社会事务科", "医疗太平间违规从事殡葬服务的联合执法次数偏少。", 45),
        (aspects[2], "政策法规科", "失职失责责任倒查追究办法配套细则尚未出台。", 60),
    ]
    created = []
    for aspect, unit_name, text, days in feedback:
        created.append(problem_services.register_problem(
            office, campaign=campaign, unit=units[unit_name], source="group_feedback", aspect=aspect, check_item=item3,
            description=text, rectification_type="deadline", measures="制定整改方案，明确责任人，倒排时间表逐项整改。",
            deadline=today + timedelta(days=days), responsible_leader="分管副局长",
            milestones=[{"title": "完成问题核实与整改方案", "due_date": today + timedelta(days=days - 3)}],
        ))
    overdue = created[1]
    liaison_nanshan = User.objects.get(username="liaison_nanshan")
    problem_services.perform_action(liaison_nanshan, overdue, "start")

    entry = campaign.self_inspections.get(unit=units["城西区民政局"], check_item__ordinal=1)
    quick = problem_services.register_problem(
        chengxi, campaign=campaign, unit=units["城西区民政局"], self_inspection=entry,
        description="对基层民政所的督促指导频次不足，部分乡镇未按期上报工作台账。", rectification_type="immediate",
        measures="立即印发督办通知，明确每月15日前报送台账，局领导带队督导。", deadline=today + timedelta(days=10),
        responsible_leader="局长", responsible_department="办公室",
    )
    evidence = store_upload(chengxi, SimpleUploadedFile("督办通知.pdf", MINIMAL_PDF, content_type="application/pdf"))
    problem_services.add_progress(chengxi, quick, text="已印发督办通知，8个乡镇全部按期报送。", percent=100,
                                  attachment_ids=[evidence.pk])
    problem_services.perform_action(chengxi, quick, "submit")

    done = problem_services.register_problem(
        chengxi, campaign=campaign, unit=units["城西区民政局"], self_inspection=entry,
        description="扫黑除恶简报编发不及时。", rectification_type="immediate", measures="明确专人负责，每月编发简报。",
        deadline=today + timedelta(days=5),
    )
    proof = store_upload(chengxi, SimpleUploadedFile("简报目录.pdf", MINIMAL_PDF, content_type="application/pdf"))
    problem_services.add_progress(chengxi, done, text="已编发简报3期。", percent=100, attachment_ids=[proof.pk])
    problem_services.perform_action(chengxi, done, "submit")
    problem_services.perform_action(
        office, done, "sign_off", checks=dict.fromkeys(
            ["facts_clear", "rectified", "responsibility_fixed", "public_satisfied", "loophole_closed", "weakness_fixed"], True),
        opinion="整改到位，同意销号。",
    )

    liaison_chengdong = User.objects.get(username="liaison_chengdong")
    problem_services.register_problem(
        liaison_chengdong, campaign=campaign, unit=units["城东区民政局社会救助股"], source="self_inspection",
        check_item=campaign.check_items.get(ordinal=5),
        description="农村低保动态管理不到位，存在“人情保”嫌疑2户。", rectification_type="deadline",
        measures="逐户入户核查，不符合条件的依法停保并追回资金。", deadline=today + timedelta(days=6),
        responsible_person=handler, responsible_department="社会救助股",
        milestones=[{"title": "完成入户核查", "due_date": today + timedelta(days=3)}],
    )
