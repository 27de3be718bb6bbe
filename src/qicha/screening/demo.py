"""Demo data for data comparison: a synthetic 低保 roll of the four districts and six reference registers (seeded,
valid check digits, a few messy numbers), imported and compared by the office, and a few hits already reviewed by
the counties — one confirmed into the 低保 ledger, one turned into a clue, one found not true."""

import csv
import random
import tempfile
from pathlib import Path

from stdnum.cn import ric

from qicha.core.demo_clock import acting_on, story_day
from qicha.orgs.demo import REGION_CODES
from qicha.orgs.models import User

from .models import Hit, Run, RunStatus
from .services import registers, runs
from .workflow import HIT_WORKFLOW

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "桂兰", "志强", "玉梅", "国华", "春花", "德明", "淑珍", "海燕", "永福", "金凤", "长生", "翠兰"]
POSTS = ["村党支部书记", "村委会主任", "村委会委员", "村会计", "村妇联主席"]


def _number(rng: random.Random, county: str) -> str:
    body = f"{county}{rng.randint(1940, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + ric.calc_check_digit(body + "0")


def _write(folder: Path, name: str, header: list[str], rows: list[list]) -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build_registers(folder: Path, month_start: str, size: int = 400) -> dict[str, Path]:
    rng = random.Random(17)
    counties = list(REGION_CODES.values())
    people = []
    for index in range(size):
        county = counties[index % len(counties)]
        village = f"{county}{rng.randint(100, 110)}{rng.randint(200, 220)}"
        people.append((_number(rng, county), rng.choice(SURNAMES) + rng.choice(GIVEN), f"H{index + 1:05d}", county,
                       village))
    roll = [[n if i % 37 else n.replace("X", "x"), name, household, county, village, "2025-01", rng.choice([380, 450, 520])]
            for i, (n, name, household, county, village) in enumerate(people)]
    roll[5][0] = roll[5][0][:-1] + ("0" if roll[5][0][-1] != "0" else "1")  # a mistyped check digit: listed, not matched
    pick = rng.sample(people[6:], 40)
    cadres = [[p[0], p[1], p[4], rng.choice(POSTS)] for p in pick[:3]]
    outsiders = [[_number(rng, p[3]), rng.choice(SURNAMES) + rng.choice(GIVEN), p[4], rng.choice(POSTS)] for p in pick[3:6]]
    relatives = [[o[0], p[0], rng.choice(["配偶", "子女", "兄弟姐妹"])] for o, p in zip(outsiders, pick[3:6], strict=True)]
    year = int(month_start[:4])
    deaths = [[p[0], f"{year}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"] for p in pick[6:10]]
    deaths.append([pick[10][0], f"{year + 1}-01-15"])  # after the month: not a hit
    vehicles = [[p[0], f"豫C{rng.randint(10000, 99999)}", "小型普通客车", f"{year - 1}-05-01"] for p in pick[11:16]]
    vehicles += [[p[0], f"豫C{rng.randint(10000, 99999)}", "普通二轮摩托车", f"{year - 2}-03-01"] for p in pick[16:19]]
    companies = [[p[0], f"{p[1][0]}氏商贸有限公司", "法定代表人", "50"] for p in pick[19:22]]
    companies += [[p[0], "某某农民专业合作社", "监事", "0"] for p in pick[22:24]]
    staff = [[p[0], "某某镇人民政府"] for p in pick[24:27]]
    # the reference registers also hold people who are not on the roll
    for _ in range(60):
        county = rng.choice(counties)
        deaths.append([_number(rng, county), f"{year}-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"])
        vehicles.append([_number(rng, county), f"豫C{rng.randint(10000, 99999)}", "小型轿车", f"{year - 1}-01-01"])
    return {
        "beneficiaries": _write(folder, "低保对象.csv", ["身份证号", "姓名", "户编号", "区县代码", "村（社区）代码",
                                                     "享受起始年月", "月保障金额（元）"], roll),
        "cadres": _write(folder, "村干部.csv", ["身份证号", "姓名", "村（社区）代码", "职务"], cadres + outsiders),
        "cadre_relatives": _write(folder, "村干部近亲属.csv", ["村干部身份证号", "亲属身份证号", "关系"], relatives),
        "deaths": _write(folder, "死亡人员.csv", ["身份证号", "死亡日期"], deaths),
        "vehicles": _write(folder, "车辆登记.csv", ["车主身份证号", "号牌号码", "车辆类型", "登记日期"], vehicles),
        "companies": _write(folder, "工商登记人员.csv", ["身份证号", "企业名称", "职务（身份）", "认缴出资额（万元）"], companies),
        "state_staff": _write(folder, "财政供养人员.csv", ["身份证号", "工作单位"], staff),
    }


def load_demo_run(password: str) -> bool:
    if Run.objects.exists() or not User.objects.filter(username="office").exists():
        return False
    office = User.objects.get(username="office")
    day = story_day(0.8)
    month = f"{day.year}-{day.month:02d}"
    with acting_on(day, hour=10), tempfile.TemporaryDirectory() as folder:
        paths = build_registers(Path(folder), month)
        sources = {"deaths": "市公安局户政支队", "vehicles": "市公安局交警支队", "companies": "市市场监管局",
                   "state_staff": "市财政局", "cadres": "市委组织部", "cadre_relatives": "市委组织部"}
        imported = [registers.import_register(office, kind=kind, upload=path, file_name=path.name,
                                              source=sources.get(kind, "市民政局社会救助科"))
                    for kind, path in paths.items()]
        run = runs.start_run(office, register_ids=[r.pk for r in imported], payment_month=month)
        run.refresh_from_db()
        if run.status == RunStatus.QUEUED:  # no worker while the demo loads: run it here (the job then finds it done)
            runs.execute_run(office, run)
    _review(run, story_day(0.85))
    return True


def _review(run: Run, day) -> None:
    with acting_on(day, hour=15):
        chengdong = User.objects.get(username="liaison_chengdong")
        nanshan = User.objects.get(username="liaison_nanshan")
        own = list(Hit.objects.filter(run=run, unit__name="城东区民政局"))
        first = next((hit for hit in own if "R3" in hit.rules), own[0] if own else None)
        if first:
            HIT_WORKFLOW.perform(chengdong, first, "confirm", version=first.version, reason="入户核实，车辆为本人所有")
            HIT_WORKFLOW.perform(chengdong, first, "to_ledger", version=first.version,
                                 amount=str(first.monthly_amount or ""))
        others = list(Hit.objects.filter(run=run, unit__name="南山县民政局")[:2])
        if others:
            HIT_WORKFLOW.perform(nanshan, others[0], "confirm", version=others[0].version, reason="情况属实")
            HIT_WORKFLOW.perform(nanshan, others[0], "to_clue", version=others[0].version)
        if len(others) > 1:
            HIT_WORKFLOW.perform(nanshan, others[1], "reject", version=others[1].version,
                                 reason="已登记的豁免车辆（残疾人专用车）")
