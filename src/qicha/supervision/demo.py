"""Sample letters for `make run`, written through the services as the office would: most expected signers have
signed (a few have not, so the board has something to show), one commitment check found the commitment broken —
which opened a problem and an accountability record (约谈)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from qicha.campaigns.models import Campaign
from qicha.core.attachments import store_upload
from qicha.core.demo_clock import acting_on, days_ago, real_today, story_day
from qicha.orgs.demo import MINIMAL_PDF
from qicha.orgs.models import UnitKind, User

from .models import Letter, LetterKind
from .queries.letters import expected_signers
from .services import letters as services

# Expected signers left unsigned on purpose.
UNSIGNED = {
    LetterKind.RESPONSIBILITY: {"市居民家庭经济状况核对中心"},
    LetterKind.COMMITMENT: {"北湖县民政局", "政策法规科"},
}
SCOPES = {
    LetterKind.RESPONSIBILITY: ("一、严格落实扫黑除恶常态化工作责任，主要负责人为第一责任人；二、全面开展“七查七摆”，"
                                "问题整改按期销号；三、线索按时限核查办结，做到清仓见底；四、每月21日前报送工作台账。"),
    LetterKind.COMMITMENT: ("本人郑重承诺：切实履行扫黑除恶领导责任，本单位及本人不存在涉黑涉恶问题，不充当“保护伞”，"
                            "不插手、干预涉黑涉恶案件办理；如有违反，愿接受组织处理。"),
}
SIGNERS = ["张建国", "李卫东", "王秀英", "刘志强", "陈晓红", "杨德明", "赵丽华", "黄国平", "周文斌", "吴海燕",
           "徐立新", "孙明辉", "马红梅", "朱永刚", "胡春生", "郭玉兰", "何建华", "高志远"]


def load_sample_letters(campaign: Campaign) -> bool:
    """Returns False when the samples are already there (loading twice changes nothing)."""
    if Letter.objects.filter(campaign=campaign).exists():
        return False
    today = real_today()
    office = User.objects.get(username="office")
    names = iter(SIGNERS)
    letters = {}
    for kind in LetterKind.values:
        for index, unit in enumerate(expected_signers(office, campaign, kind)):
            if unit.name in UNSIGNED[kind]:
                continue
            title = {UnitKind.DISTRICT_BUREAU: "局长", UnitKind.DEPARTMENT: "科长"}.get(unit.kind, "主任")
            # Signed in the deploy phase's first weeks, recorded by the office the same afternoon.
            signed_on = story_day(0.02, days=index % 12)
            with acting_on(signed_on, hour=16):
                scan = None
                if index % 4 != 3:  # a few letters still wait for their scan
                    scan = store_upload(office, SimpleUploadedFile(f"{unit.name}{LetterKind(kind).label}.pdf",
                                                                   MINIMAL_PDF, content_type="application/pdf"))
                letters[(kind, unit.name)] = services.record_letter(
                    office, campaign, kind, unit, signer=next(names, "负责人"), signer_title=title,
                    counterpart="局党组", signed_on=signed_on, scope=SCOPES[kind],
                    scan_attachment_id=scan.pk if scan else None,
                )
    broken = letters[(LetterKind.COMMITMENT, "南山县民政局")]
    with acting_on(days_ago(1), hour=10):
        _record_broken(office, broken, today)
    return True


def _record_broken(office, broken, today) -> None:
    services.record_check(
        office, broken, checked_on=today - timedelta(days=3), checked_by="局扫黑办 王扫黑、局纪检组 孙纪检",
        method="个别谈话、查阅低保审批档案", result="broken",
        findings="该局分管负责人为亲属违规办理低保2户，未按承诺执行回避制度。",
        description="违规为亲属办理低保，未执行回避制度。", measures="立即停发违规低保并追回资金，重新审核近两年经办档案。",
        deadline=today + timedelta(days=10), form="talk", person="郑永福", person_title="分管副局长",
        decision_no=f"民扫办〔{today.year}〕15号",
        decided_on=today - timedelta(days=1),
    )
