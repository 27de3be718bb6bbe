"""Demo rows of the four built-in ledgers, entered by the district liaisons through the services on the days they
found each case (so the monthly 低保 ledger shows months filled and not), a 零报告 for a quiet month, and the 舆情
row linked to the clue it gave rise to."""

from datetime import date

from qicha.clues.models import Clue
from qicha.core.demo_clock import acting_on
from qicha.orgs.models import Unit, User

from . import services
from .bootstrap import ensure_builtin_definitions
from .models import LedgerDefinition, LedgerRow

ROWS = [
    ("liaison_chengdong", "城东区民政局", "social_org", {
        "org_name": "城东区某某老乡联谊会", "case_kind": "非法社会组织", "found_on": "2026-03-05",
        "situation": "未经登记，以联谊会名义收取会费、开展活动", "action": ["取缔"], "joint": "市区纵向联动",
        "partner": "城东区公安分局", "handled_on": "2026-03-20", "result": "已依法取缔，没收非法财产", "closed": "是"}),
    ("liaison_chengdong", "城东区民政局", "social_org", {
        "org_name": "城东区某某商会", "credit_code": "51330100MJ00000014", "case_kind": "超范围活动",
        "found_on": "2026-04-02", "situation": "超出章程规定的业务范围开展评比表彰", "action": ["责令整改"],
        "joint": "登记机关与业务主管单位横向联动", "partner": "区工商联", "closed": "否"}),
    ("liaison_chengxi", "城西区民政局", "dibao", {
        "head_name": "张某某", "head_id": "11010519491231002X", "village": "西岭村", "kind": "关系保",
        "found_by": "数据比对", "found_on": "2026-03-12", "situation": "户主系村干部近亲属，家庭收入超过保障标准",
        "action": ["停保", "追回资金"], "recovered": "4800", "accountable": "对村会计诫勉谈话", "closed": "是"}),
    ("liaison_chengxi", "城西区民政局", "dibao", {
        "head_name": "李某某", "head_id": "33010219800101123X", "village": "东山村", "kind": "漏保",
        "found_by": "排查", "found_on": "2026-04-08", "situation": "重病致贫，符合条件未纳入", "action": ["纳入"],
        "closed": "否"}),
    ("liaison_nanshan", "南山县民政局", "funeral", {
        "kind": "非法运尸", "found_on": "2026-03-18", "place": "南山县人民医院", "situation": "无资质车辆私自承运遗体",
        "plates": "浙A12345", "persons": "王某", "partner": ["公安", "卫健"], "result": "车辆暂扣，移交公安处理",
        "closed": "是"}),
    ("office", "局扫黑办", "opinion", {
        "found_at": "2026-04-01", "channel": "微博", "link": "某微博话题", "summary": "网传某地低保“关系保”问题",
        "level": "一般", "response": ["澄清", "处置"], "status": "已处置", "handler": "王扫黑"}),
    ("liaison_chengxi", "城西区民政局", "dibao", {
        "head_name": "赵某某", "head_id": "330102198512120016", "village": "西岭村", "kind": "人情保",
        "found_by": "群众举报", "found_on": "2026-06-15", "situation": "家庭有经营性收入未如实申报", "action": ["停保"],
        "closed": "是"}),
    ("liaison_chengdong", "城东区民政局", "dibao", {
        "head_name": "钱某某", "head_id": "330104197803150029", "village": "江滨社区", "kind": "错保",
        "found_by": "巡视巡察反馈", "found_on": "2026-09-09", "situation": "户籍迁出后仍在原地享受低保",
        "action": ["停保", "追回资金"], "recovered": "2600", "closed": "否"}),
]
# (username, unit, ledger, day): months a unit had nothing new to add.
NIL_REPORTS = [("liaison_chengxi", "城西区民政局", "dibao", date(2026, 5, 20)),
               ("liaison_chengdong", "城东区民政局", "dibao", date(2026, 10, 22))]


def load_sample_rows(password: str) -> bool:
    ensure_builtin_definitions()
    if LedgerRow.objects.exists():
        return False
    for username, unit_name, key, values in ROWS:
        actor = User.objects.filter(username=username).first()
        unit = Unit.objects.filter(name=unit_name).first()
        if actor is None or unit is None:
            continue
        if key == "opinion":  # the 舆情 that became a clue links to it, so the clue's page lists the row
            clue = Clue.objects.filter(content__contains="低保").order_by("pk").first()
            values = {**values, "clue": f"线索 {clue.pk}"} if clue else values
        day = date.fromisoformat(values.get("found_on") or values["found_at"])
        with acting_on(day, hour=15):
            services.create_row(actor, LedgerDefinition.objects.get(key=key), unit, values)
    for username, unit_name, key, day in NIL_REPORTS:
        actor, unit = User.objects.filter(username=username).first(), Unit.objects.filter(name=unit_name).first()
        if actor is not None and unit is not None:
            with acting_on(day, hour=16):
                services.declare_nil(actor, LedgerDefinition.objects.get(key=key), unit)
    return True
