"""Demo data for `make run`: 城西区's 村“两委” 联审 with three departments and twenty candidates — the 区委组织部 and
the 区公安分局 have answered (the police with two objections), the 区人民法院 only partly and is now late; a planted
negative-list match shows as 比对提示; a rejected serving member is in the problem-member ledger and one earlier case
is refilled; the 2019 回头看 has six members, one cleared; the dispute ledger has a few rows at each level.
Everything goes through the services, on the days it happened. Loading twice changes nothing."""

from datetime import date, timedelta

from django.db import transaction
from stdnum.cn import ric

from qicha.core.demo_clock import acting_on, real_today
from qicha.core.excel_export import ExportColumn, write_ledger
from qicha.ledgers.models import LedgerDefinition
from qicha.ledgers.services import rows as ledger_rows
from qicha.orgs.demo import add_demo_accounts
from qicha.orgs.models import Unit, User

from . import importing, services
from .models import VettingRound
from .queries import visible_review_members

DEPARTMENT_ACCOUNTS = [("dept_zuzhi", "区委组织部联审员", "城西区民政局"),
                       ("dept_police", "区公安分局联审员", "城西区民政局"),
                       ("dept_court", "区法院联审员", "城西区民政局")]
DEPARTMENTS = [("区委组织部", "dept_zuzhi"), ("区公安分局", "dept_police"), ("区人民法院", "dept_court")]
ELECTION = "2026年城西区村（社区）“两委”换届"
REGION = "城西区民政局"

VILLAGES = ["河湾村", "柳树屯村", "东岗村", "石桥村", "新华社区"]
POSTS = ["村党组织书记", "村委会主任", "村委会委员", "村党组织委员"]
NAMES = ["张建国", "李秀英", "王德福", "刘志强", "陈桂兰", "杨海波", "赵春生", "黄丽华", "周永明", "吴金山",
         "徐国庆", "孙玉梅", "马文军", "朱晓东", "胡红霞", "郭长林", "何振华", "高淑芬", "林建平", "罗志刚"]
REVIEW_NAMES = ["钱卫东", "冯大勇", "韩桂芳", "曹守仁", "彭立新", "董春花"]


def id_number(seq: int, year: int = 1970) -> str:
    body = f"110102{year + seq % 25}{(seq % 12) + 1:02d}{(seq % 27) + 1:02d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _sheet(columns, rows) -> bytes:
    return write_ledger("名单", "名单", "", [ExportColumn(c.label) for c in columns], rows)


def _answer_all(user, department, candidates, objections: dict, skip_after: int | None = None):
    for index, candidate in enumerate(candidates):
        if skip_after is not None and index >= skip_after:
            break
        ground, note = objections.get(candidate.number, ("", ""))
        services.answers.answer(user, department, candidate, verdict="objection" if ground else "none",
                                ground=ground, note=note)


@transaction.atomic
def load_vetting_demo(password: str) -> bool:
    add_demo_accounts(password, "vetting_department", DEPARTMENT_ACCOUNTS)
    if VettingRound.objects.filter(election=ELECTION).exists():
        return False
    office = User.objects.get(username="office")
    region = Unit.objects.get(name=REGION)
    today = real_today()
    opened = today - timedelta(days=12)
    with acting_on(opened):
        round_ = services.rounds.open_round(
            office, election=ELECTION, region=region, deadline=today - timedelta(days=2),
            departments=[(name, [User.objects.get(username=u)]) for name, u in DEPARTMENTS])
        rows = [[VILLAGES[n % 5], NAMES[n], id_number(n + 1), POSTS[n % 4], "是" if n % 3 else "否",
                 "是" if n % 2 == 0 else "否"] for n in range(20)]
        services.rounds.import_candidates(office, round_, _sheet(importing.CANDIDATE_COLUMNS, rows), "城西区候选人名单.xlsx")
        services.negative_lists.import_negative_list(
            office, source="区公安分局 刑事处罚人员名单", file_name="刑事处罚人员.xlsx",
            data=_sheet(importing.NEGATIVE_COLUMNS, [[id_number(5), NAMES[4], "受过刑事处罚"],
                                                     [id_number(101), "某某", "受过刑事处罚"],
                                                     [id_number(31), REVIEW_NAMES[2], "涉黑涉恶"]]))
        services.rounds.precheck_round(office, round_)
    departments = {d.name: d for d in round_.departments.all()}
    candidates = list(round_.candidates.all())
    with acting_on(opened + timedelta(days=3), hour=10):
        _answer_all(User.objects.get(username="dept_zuzhi"), departments["区委组织部"], candidates,
                    {9: ("discipline", "2024年受党内警告处分，影响期未满")})
    with acting_on(opened + timedelta(days=5), hour=15):
        _answer_all(User.objects.get(username="dept_police"), departments["区公安分局"], candidates,
                    {5: ("criminal", "2017年因寻衅滋事罪被判处有期徒刑一年"), 13: ("bully", "多次强揽工程、阻挠施工，群众反映强烈")})
    with acting_on(opened + timedelta(days=8), hour=11):
        _answer_all(User.objects.get(username="dept_court"), departments["区人民法院"], candidates, {}, skip_after=8)
    with acting_on(today - timedelta(days=1), hour=9):
        rejected = next(c for c in candidates if c.number == 5)
        services.members.member_from_candidate(office, rejected, action="suspend")
        earlier = services.members.register_member(office, region=region, fields={
            "village": "石桥村", "name": "魏长贵", "id_number": id_number(77), "post": "村委会委员",
            "problem": "群众举报其把持村务、强揽村内工程，经查属实", "ground": "bully", "source": "report",
            "action": "recall", "cleaned_on": today - timedelta(days=40)})
        services.members.record_refill(office, earlier, refill_name="宋文斌", refilled_on=today - timedelta(days=10),
                                       version=earlier.version)
        review_rows = [[VILLAGES[n % 5], REVIEW_NAMES[n], id_number(29 + n), POSTS[n % 4]] for n in range(6)]
        services.review.import_review_members(office, region=region, file_name="2019年联审成员.xlsx",
                                              data=_sheet(importing.REVIEW_COLUMNS, review_rows))
        members = list(visible_review_members(office))
        services.review.precheck_review(office, members)
        hit = next(m for m in visible_review_members(office) if m.precheck_hits)
        services.review.decide_review(office, hit, decision="clear", action="resign", version=hit.version,
                                      reason="比对发现其涉黑涉恶问题，经核实后责令辞职")
        kept = next(m for m in visible_review_members(office) if not m.decision)
        services.review.decide_review(office, kept, decision="keep", version=kept.version,
                                      reason="重新比对无异常，群众评价良好")
    _load_disputes(today)
    return True


DISPUTES = [("河湾村", "邻里纠纷", "王某、李某", "一般", "村级化解"), ("柳树屯村", "土地承包纠纷", "赵某、村集体", "较大", "乡镇级化解"),
            ("东岗村", "宅基地纠纷", "孙某、周某", "一般", "村级化解"), ("石桥村", "婚姻家庭纠纷", "马某、胡某", "一般", "村级化解"),
            ("新华社区", "征地拆迁纠纷", "郭某等5户、某公司", "重大", "县级化解"), ("河湾村", "山林水利纠纷", "两个村民小组", "较大", "未化解")]


def _load_disputes(today: date) -> None:
    definition = LedgerDefinition.objects.filter(key="village_disputes").first()
    liaison = User.objects.filter(username="liaison_chengxi").first()
    if definition is None or liaison is None:
        return
    unit = Unit.objects.get(name=REGION)
    for n, (village, kind, parties, level, resolved) in enumerate(DISPUTES):
        with acting_on(today - timedelta(days=30 - n * 4)):
            ledger_rows.create_row(liaison, definition, unit, {
                "village": village, "dispute_kind": kind, "parties": parties,
                "found_on": (today - timedelta(days=35 - n * 4)).isoformat(), "level": level,
                "situation": f"{village}{kind}，经网格员排查发现。", "resolved_at": resolved,
                "resolved_on": "" if resolved == "未化解" else (today - timedelta(days=28 - n * 4)).isoformat(),
                "result": "" if resolved == "未化解" else "经调解达成协议，当事人签字确认。",
                "closed": "否" if resolved == "未化解" else "是"})
