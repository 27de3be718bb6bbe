"""A tiny hand-made register set for data comparison, with planted hits and near misses (tests only)."""

import csv
from pathlib import Path

from stdnum.cn import ric

CHENGDONG, NANSHAN = "410302", "410322"


def make_id(region: str, birth: str, seq: int = 101, *, check: str | None = None) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + (check if check is not None else ric.calc_check_digit(body + "0"))


def x_id(region: str, birth: str) -> str:
    """A number whose check digit is X."""
    for seq in range(100, 999):
        number = make_id(region, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def wrong_check(number: str) -> str:
    good = number[-1]
    return number[:-1] + ("1" if good != "1" else "2")


def to_15(number: str) -> str:
    return number[:6] + number[8:17]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


class People:
    """Who is who in the planted set (18-digit numbers)."""

    cadre_self = make_id(CHENGDONG, "19700101", 111)       # R1: a beneficiary who is a cadre
    cadre = make_id(CHENGDONG, "19650505", 112)            # a cadre, not a beneficiary
    relative = make_id(CHENGDONG, "19680808", 113)         # R1: the cadre's registered relative
    dead = make_id(CHENGDONG, "19400202", 114)             # R2: died before the month
    dead_later = make_id(CHENGDONG, "19410303", 115)       # near miss: died after the month
    car = make_id(NANSHAN, "19800404", 116)                # R3: owns a car
    motorbike = make_id(NANSHAN, "19810505", 117)          # near miss: exempt vehicle
    boss = make_id(NANSHAN, "19750606", 118)               # R4: 法定代表人
    supervisor = make_id(NANSHAN, "19760707", 119)         # near miss: 监事
    staff = make_id(NANSHAN, "19770808", 121)              # R5: state payroll
    old_form = make_id(CHENGDONG, "19520909", 122)         # R2 via its 15-digit form on the roll
    bad_check = wrong_check(make_id(NANSHAN, "19781010", 123))  # on the roll AND on the payroll: never matched
    x_person = x_id(NANSHAN, "19791111")                    # R3 via a messy number in the vehicle register
    clean = make_id(NANSHAN, "19901212", 124)              # nobody: no hit


P = People


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def beneficiary_rows() -> list[list]:
    def row(number, name, household, county, amount=450):
        return [number, name, household, county, county + "100201", "2025-01", amount]

    return [
        row(P.cadre_self, "张村官", "H001", CHENGDONG),
        row(P.relative, "李亲属", "H002", CHENGDONG),
        row(P.dead, "王已故", "H003", CHENGDONG),
        row(P.dead_later, "赵后故", "H004", CHENGDONG),
        row(P.car, "钱有车", "H005", NANSHAN),
        row(P.motorbike, "孙摩托", "H006", NANSHAN),
        row(P.boss, "周老板", "H007", NANSHAN),
        row(P.supervisor, "吴监事", "H008", NANSHAN),
        row(P.staff, "郑在编", "H009", NANSHAN),
        row(to_15(P.old_form), "冯旧号", "H010", CHENGDONG),
        row(P.bad_check, "陈错号", "H011", NANSHAN),
        row(P.x_person.lower(), "褚带叉", "H012", NANSHAN),
        row(P.clean, "卫清白", "H013", NANSHAN),
    ]


def write_registers(folder: Path, *, chinese_headers: bool = False) -> dict[str, Path]:
    """Every kind except the negative list, as CSV; the beneficiaries with Chinese headers when asked."""
    folder.mkdir(parents=True, exist_ok=True)
    ben_header = (["身份证号", "姓名", "户编号", "区县代码", "村（社区）代码", "享受起始年月", "月保障金额（元）"]
                  if chinese_headers else
                  ["id_number", "name", "household_id", "county_code", "village_code", "start_month", "monthly_amount"])
    x_messy = " " + fullwidth(P.x_person[:6]) + " " + P.x_person[6:17] + "x "
    return {
        "beneficiaries": _write(folder / "beneficiaries.csv", ben_header, beneficiary_rows()),
        "cadres": _write(folder / "cadres.csv", ["id_number", "name", "village_code", "post"], [
            [P.cadre_self, "张村官", CHENGDONG + "100201", "村委会主任"],
            [P.cadre, "刘书记", CHENGDONG + "100201", "村党支部书记"],
        ]),
        "cadre_relatives": _write(folder / "relatives.csv", ["cadre_id_number", "relative_id_number", "relation"], [
            [P.cadre, P.relative, "配偶"],
        ]),
        "deaths": _write(folder / "deaths.csv", ["id_number", "death_date"], [
            [P.dead, "2026-09-15"],
            [P.dead_later, "2026-12-05"],
            [P.old_form, "2026/08/01"],
        ]),
        "vehicles": _write(folder / "vehicles.csv", ["owner_id_number", "plate", "vehicle_type", "reg_date"], [
            [P.car, "豫C12345", "小型普通客车", "2024-03-01"],
            [P.motorbike, "豫C6789A", "普通二轮摩托车", "2023-05-01"],
            [x_messy, "豫C55555", "小型轿车", "2025-06-30"],
        ]),
        "companies": _write(folder / "companies.csv", ["person_id_number", "company_name", "role", "capital"], [
            [P.boss, "南山县某某商贸有限公司", "法定代表人", "50"],
            [P.supervisor, "南山县某某农业合作社", "监事", "0"],
        ]),
        "state_staff": _write(folder / "staff.csv", ["id_number", "employer"], [
            [P.staff, "南山县某某中学"],
            [P.bad_check, "南山县某某局"],
        ]),
    }


EXPECTED = {
    ("R1", P.cadre_self), ("R1", P.relative), ("R2", P.dead), ("R2", P.old_form), ("R3", P.car),
    ("R3", P.x_person), ("R4", P.boss), ("R5", P.staff),
}


def hit_in(status: str, number: str = P.car):
    """A hit of a finished run (the office imported the planted set), brought to `status` by its reviewer."""
    import tempfile

    from qicha.orgs.models import User
    from qicha.screening.models import Hit
    from qicha.screening.services import registers, runs
    from qicha.screening.workflow import HIT_WORKFLOW

    office = User.objects.get(username="office")
    with tempfile.TemporaryDirectory() as folder:
        imported = [registers.import_register(office, kind=kind, upload=path, file_name=path.name)
                    for kind, path in write_registers(Path(folder)).items()]
    run = runs.start_run(office, register_ids=[r.pk for r in imported], payment_month="2026-11")
    hit = next(h for h in Hit.objects.filter(run=run) if h.id_number.clear() == number)
    reviewer = User.objects.get(username="liaison_nanshan" if hit.county_code == NANSHAN else "liaison_chengdong")
    step = {"verifying": "verify", "confirmed": "confirm", "rejected": "reject"}.get(status)
    if step:
        HIT_WORKFLOW.perform(reviewer, hit, step, version=hit.version, reason="核查")
    return Hit.objects.get(pk=hit.pk)


def foreign_hit(name: str, county: str = "410303"):
    """A finished run that flagged one beneficiary of `county` (城西 by default), named `name`, on the payroll."""
    import tempfile

    from qicha.orgs.models import User
    from qicha.screening.models import Hit
    from qicha.screening.services import registers, runs

    office = User.objects.get(username="office")
    number = make_id(county, "19660606", 131)
    with tempfile.TemporaryDirectory() as folder:
        paths = {
            "beneficiaries": _write(Path(folder) / "roll.csv", ["身份证号", "姓名", "户编号", "区县代码", "村（社区）代码",
                                                             "享受起始年月", "月保障金额（元）"],
                                    [[number, name, "X001", county, county + "100201", "2025-01", 500]]),
            "state_staff": _write(Path(folder) / "staff.csv", ["身份证号", "工作单位"], [[number, name]]),
        }
        imported = [registers.import_register(office, kind=kind, upload=path, file_name=path.name)
                    for kind, path in paths.items()]
    run = runs.start_run(office, register_ids=[r.pk for r in imported], payment_month="2026-11")
    return Hit.objects.get(run=run)


def number_forms() -> list[str | None]:
    """Numbers as people write them, good and bad: every form the engine folds, and the ways a number is wrong."""
    import random

    rng = random.Random(17)
    forms: list[str | None] = []
    for i in range(300):
        region = rng.choice(["410302", "430102", "110105", "650102"])
        birth = f"{rng.randint(1930, 2009)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        number = make_id(region, birth, rng.randint(100, 999))
        variant = i % 10
        if variant == 1:
            number = number.lower()
        elif variant == 2:
            number = fullwidth(number[:9]) + number[9:]
        elif variant == 3:
            number = f" {number[:6]} {number[6:14]}　{number[14:]} "
        elif variant == 4:
            number = f"{number[:6]}-{number[6:14]}-{number[14:]}"
        elif variant == 5 and birth < "2000":
            number = to_15(number)
        elif variant == 6:
            number = wrong_check(number)
        elif variant == 7:
            number = number[:17]
        forms.append(number)
    forms += [make_id("430102", "20000229"), make_id("430102", "19000229"), make_id("430102", "19990229"),
              make_id("990102", "19800101"), make_id("430102", "19801301"), make_id("430102", "19800431"),
              make_id("430102", "19800100"), "43010219800101001", "ABCDEFGHIJKLMNOPQR",
              "4301021980010100１Ｘ", "43010219800101123x", "４３０１０２１９８００１０１００１", "", None,
              "430102198001010011 ", "1" * 18, "0" * 18, "4301021980010100191",
              "4301021949ZZ310021", "43010219491231ZZ21"]
    return forms


def write_number_forms(folder: Path, forms: list[str | None]) -> tuple[Path, Path]:
    """A roll and a state payroll holding the same numbers, as Parquet in several row groups."""
    import duckdb

    values = ", ".join("(NULL)" if raw is None else "('" + raw.replace("'", "''") + "')" for raw in forms)
    roll, staff = folder / "roll.parquet", folder / "staff.parquet"
    duckdb.sql(f"COPY (SELECT v AS id_number, '某' AS name, 'H' AS household_id, '430102' AS county_code, "
               f"'430102001001' AS village_code, '2025-01' AS start_month, 450 AS monthly_amount "
               f"FROM (VALUES {values}) AS t(v)) TO '{roll}' (FORMAT parquet, ROW_GROUP_SIZE 64)")
    duckdb.sql(f"COPY (SELECT v AS id_number, '某局' AS employer FROM (VALUES {values}) AS t(v)) "
               f"TO '{staff}' (FORMAT parquet, ROW_GROUP_SIZE 100)")
    return roll, staff
