"""A seeded synthetic province for the data-comparison bench (issue 17): seven registers as zstd Parquet, and the
expected hits beside them.

    python bench/screening_province.py --scale 1   --out var/bench/screening/scale-1   --seed 17
    python bench/screening_province.py --scale 0.1 --out var/bench/screening/scale-0.1 --seed 17

Everything is generated inside DuckDB from `range(n)` (no Python loop over rows): every value is a function of the
row number and the seed, so the same seed gives the same files. People are (county, local number) pairs mapped to
identity numbers by an affine bijection, so no two people share a number and beneficiaries never collide with the
other people in the registers by chance: each hit is planted on purpose, and the ground truth is known by
construction (the hidden columns of the views below), not by running another matcher over the strings.

Per rule about 1% of beneficiaries are hit; near misses are planted beside them (death after the payment month,
exempt vehicles only, 监事/董事/经理 roles, the beneficiary's number with a wrong check digit). About 5% of the numbers
in every register are written in a messy form that normalises to the right number (full-width digits, spaces,
lower-case x, 15-digit old numbers) and 0.1% carry a wrong check digit (bad rows: counted, never matched).
"""

import argparse
import json
import math
import random
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

FULL = {  # rows at scale 1 (issue 17)
    "beneficiaries": 10_000_000,
    "cadres": 500_000,
    "cadre_relatives": 2_000_000,
    "deaths": 3_000_000,
    "vehicles": 15_000_000,
    "companies": 8_000_000,
    "state_staff": 4_000_000,
}
COUNTIES = 100
OTHERS_PER_BENEFICIARY = 3  # the population the other registers draw from, besides the beneficiaries
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
BIRTH_FIRST = date(1940, 1, 1)
BIRTH_LAST = date(2009, 12, 31)

EXEMPT_TYPES = ["二轮摩托车", "三轮汽车", "拖拉机"]
TAXED_TYPES = ["小型普通客车", "小型轿车", "轻型普通货车", "小型越野客车", "中型普通客车", "重型半挂牵引车"]
HIT_ROLES = ["法定代表人", "股东"]
OTHER_ROLES = ["监事", "董事", "经理", "财务负责人"]
POSTS = [
    "村党组织书记",
    "村民委员会主任",
    "村民委员会副主任",
    "村务监督委员会主任",
    "村民委员会委员",
    "村报账员",
    "村民小组长",
]
RELATIONS = ["配偶", "父亲", "母亲", "子女", "兄弟姐妹", "配偶父母", "儿媳", "女婿"]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏飞云亮成林志春梅海燕波宁立新群金凤永福贵生根发荣德"
)
COUNTY_NAMES = [
    "芙蓉",
    "天心",
    "岳麓",
    "开福",
    "雨花",
    "望城",
    "长沙",
    "浏阳",
    "宁乡",
    "株洲",
    "攸县",
    "茶陵",
    "炎陵",
    "醴陵",
    "湘潭",
    "湘乡",
    "韶山",
    "衡阳",
    "衡南",
    "衡山",
    "衡东",
    "祁东",
    "耒阳",
    "常宁",
    "邵东",
    "新邵",
    "邵阳",
    "隆回",
    "洞口",
    "绥宁",
    "新宁",
    "城步",
    "武冈",
    "岳阳",
    "华容",
    "湘阴",
    "平江",
    "汨罗",
    "临湘",
    "常德",
    "安乡",
    "汉寿",
    "澧县",
    "临澧",
    "桃源",
    "石门",
    "津市",
    "慈利",
    "桑植",
    "益阳",
    "南县",
    "桃江",
    "安化",
    "沅江",
    "郴州",
    "桂阳",
    "宜章",
    "永兴",
    "嘉禾",
    "临武",
    "汝城",
    "桂东",
    "安仁",
    "资兴",
    "永州",
    "祁阳",
    "东安",
    "双牌",
    "道县",
    "江永",
    "宁远",
    "蓝山",
    "新田",
    "江华",
    "怀化",
    "中方",
    "沅陵",
    "辰溪",
    "溆浦",
    "会同",
    "麻阳",
    "新晃",
    "芷江",
    "靖州",
    "通道",
    "洪江",
    "娄底",
    "双峰",
    "新化",
    "冷水江",
    "涟源",
    "吉首",
    "泸溪",
    "凤凰",
    "花垣",
    "保靖",
    "古丈",
    "永顺",
    "龙山",
    "张家界",
]
EMPLOYER_KINDS = [
    "教育局",
    "人民医院",
    "第一中学",
    "财政局",
    "公安局",
    "自然资源局",
    "住房和城乡建设局",
    "农业农村局",
    "民政局",
    "卫生健康局",
    "乡镇人民政府",
    "实验小学",
]
TRADE_WORDS = ["商贸", "农业开发", "建材", "种养", "物流", "科技", "餐饮", "五金", "养殖", "劳务"]
COMPANY_FORMS = ["有限公司", "有限责任公司", "专业合作社", "经营部"]
PLATE_LETTERS = "ABCDEFGHJKLMNU"
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def sql_list(values) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def pick(values, h: str) -> str:
    """values[h % len] as SQL (h a non-negative integer expression)."""
    return f"{sql_list(values)}[CAST(({h}) % {len(values)} AS BIGINT) + 1]"


def coprime(rng: random.Random, modulus: int) -> int:
    while True:
        a = rng.randrange(modulus // 3, modulus - 1) | 1
        if math.gcd(a, modulus) == 1:
            return a


class Province:
    def __init__(self, scale: float, seed: int, payment_month: str):
        self.rng = random.Random(seed)
        self.seed = seed
        self.rows = {kind: round(n * scale) for kind, n in FULL.items()}
        self.n = self.rows["beneficiaries"]
        if self.n % (COUNTIES * 500):
            raise SystemExit(
                "scale must give a multiple of 50,000 beneficiaries (100 counties × villages of 500)"
            )
        self.per_county = self.n // COUNTIES
        self.villages = self.per_county // 500
        self.others = OTHERS_PER_BENEFICIARY * self.n
        self.days = (BIRTH_LAST - BIRTH_FIRST).days + 1
        self.capacity = self.days * 1000  # (birth date, sequence number) slots per county
        year, month = (int(p) for p in payment_month.split("-"))
        self.month_start = date(year, month, 1)
        self.month_next = date(year + month // 12, month % 12 + 1, 1)
        self.counties = [f"43{city:02d}{county:02d}" for city in range(1, 14) for county in range(2, 10)][
            :COUNTIES
        ]
        self.salt = {}

    def const(self, name: str, modulus: int | None = None) -> int:
        """A seeded constant, remembered by name (a multiplier coprime to modulus, or an offset)."""
        if name not in self.salt:
            self.salt[name] = coprime(self.rng, modulus) if modulus else self.rng.randrange(1, 2**31)
        return self.salt[name]

    def h(self, *parts: str, salt: str) -> str:
        """A deterministic pseudo-random UBIGINT from the row's numbers (DuckDB's hash, seeded)."""
        # Cast: the same value hashes alike whatever its type. The salt goes through a second hash: DuckDB combines
        # the hashes of several arguments so that two salts over the same parts give correlated bits.
        cast = ", ".join(f"CAST({p} AS BIGINT)" for p in parts)
        return f"hash(xor(hash({cast}), CAST({self.const(salt)} AS UBIGINT)))"

    # -- people and their identity numbers ------------------------------------------------------------------------
    def macros(self, con: duckdb.DuckDBPyConnection):
        a_id, b_id = self.const("id-a", self.capacity), self.const("id-b") % self.capacity
        digits = " + ".join(f"((body // {10 ** (16 - k)}) % 10) * {w}" for k, w in enumerate(WEIGHTS))
        con.execute(f"""
            CREATE MACRO slot(l) AS ((l * {a_id} + {b_id}) % {self.capacity});
            CREATE MACRO birth(l) AS (DATE '{BIRTH_FIRST}' + CAST(slot(l) % {self.days} AS INTEGER));
            CREATE MACRO body_of(c, l) AS CAST(
                CAST({sql_list(self.counties)}[c + 1] AS BIGINT) * 100000000000
                + (year(birth(l)) * 10000 + month(birth(l)) * 100 + day(birth(l))) * 1000 + slot(l) // {self.days}
                AS BIGINT);
            CREATE MACRO check_index(body) AS CAST((({digits}) % 11) AS INTEGER);
            CREATE MACRO id18(body) AS (CAST(body AS VARCHAR) || substr('{CHECK_CHARS}', check_index(body) + 1, 1));
            CREATE MACRO id_wrong(body, h) AS (
                CAST(body AS VARCHAR) || substr('{CHECK_CHARS}', CAST((check_index(body) + 1 + h % 10) % 11 + 1 AS INTEGER), 1));
            CREATE MACRO person_name(c, l) AS (
                {pick(SURNAMES, self.h("c", "l", salt="surname"))}
                || {pick(GIVEN, self.h("c", "l", salt="given1"))}
                || CASE WHEN {self.h("c", "l", salt="given-len")} % 3 = 0 THEN ''
                        ELSE {pick(GIVEN, self.h("c", "l", salt="given2"))} END);
            CREATE MACRO village_code(c, v) AS (
                {sql_list(self.counties)}[c + 1] || lpad(CAST(v // 10 + 1 AS VARCHAR), 3, '0')
                || lpad(CAST(v % 10 + 1 AS VARCHAR), 3, '0'));
        """)
        # A beneficiary i lives in county i // per_county; everyone else is person j of the other population, whose
        # local numbers in each county come after the beneficiaries' (distinct slots, so distinct numbers).
        con.execute(f"""
            CREATE MACRO ben_c(i) AS CAST(i // {self.per_county} AS BIGINT);
            CREATE MACRO ben_l(i) AS CAST(i % {self.per_county} AS BIGINT);
            CREATE MACRO other_c(j) AS CAST(j % {COUNTIES} AS BIGINT);
            CREATE MACRO other_l(j) AS CAST({self.per_county} + j // {COUNTIES} AS BIGINT);
            CREATE MACRO ben_bad(i) AS ({self.h("i", salt="ben-form")} % 10000 < 10);
        """)
        # How a number is written: h < 10 wrong check digit (bad); then full-width, spaced, padded, 15-digit,
        # lower-case x; otherwise the plain 18 characters.
        con.execute("""
            CREATE MACRO messy(body, h) AS (CASE
                WHEN h < 10 THEN id_wrong(body, h)
                WHEN h < 110 THEN translate(id18(body), '0123456789X', '０１２３４５６７８９Ｘ')
                WHEN h < 160 THEN substr(id18(body), 1, 6) || ' ' || substr(id18(body), 7, 8) || ' '
                                  || substr(id18(body), 15, 4)
                WHEN h < 210 THEN ' ' || id18(body) || ' '
                WHEN h < 310 AND body // 1000000000 % 100 = 19
                     THEN substr(id18(body), 1, 6) || substr(id18(body), 9, 9)
                WHEN h % 4 = 0 AND check_index(body) = 2 THEN lower(id18(body))
                ELSE id18(body) END);
        """)
        for rule in ("R1", "R2", "R3", "R4", "R5"):
            # rule slot s → beneficiary (inverse of the permutation i ↦ (a·i + b) mod n): slots [0, k) are the
            # k beneficiaries the rule plants something on, a random-looking spread over the whole province.
            a = self.const(f"{rule}-a", self.n)
            b = self.const(f"{rule}-b") % self.n
            con.execute(
                f"CREATE MACRO ben_{rule}(s) AS ((((s - {b}) % {self.n} + {self.n}) % {self.n}) "
                f"* {pow(a, -1, self.n)} % {self.n})"
            )

    def pct(self, fraction: float) -> int:
        return round(self.n * fraction)

    # -- the registers -------------------------------------------------------------------------------------------
    def beneficiaries(self) -> str:
        h_form = self.h("i", salt="ben-form")
        pattern = f"({self.h('c', 'b', salt='hh1')} % 16) & ({self.h('c', 'b', salt='hh2')} % 16)"
        months = (
            self.month_start.year - 2015
        ) * 12 + self.month_start.month  # start months 2015-01 … payment month
        return f"""
            SELECT i AS ben, ben_bad(i) AS bad,
                   messy(body, {h_form} % 10000) AS id_number,
                   person_name(c, l) AS name,
                   {sql_list(self.counties)}[c + 1]
                       || lpad(CAST(b * 5 + bit_count(({pattern}) & ((1 << (l % 5)) - 1)) AS VARCHAR), 7, '0')
                       AS household_id,
                   {sql_list(self.counties)}[c + 1] AS county_code,
                   village_code(c, b // 100) AS village_code,
                   printf('%04d-%02d', 2015 + m // 12, m % 12 + 1) AS start_month,
                   CAST((220 + {self.h("i", salt="amount")} % 680) + ({self.h("i", salt="cents")} % 2) * 0.5
                        AS DECIMAL(10, 2)) AS monthly_amount
            FROM (SELECT *, body_of(c, l) AS body
                  FROM (SELECT range AS i, ben_c(range) AS c, ben_l(range) AS l, ben_l(range) // 5 AS b,
                               {self.h("range", salt="start")} % {months} AS m
                        FROM range({self.n})))"""

    def register(
        self, kind: str, segments: list[dict], columns: dict[str, str], pre: dict | None = None
    ) -> str:
        """Rows of a reference register, shuffled: row u is at position t = perm(u); positions are cut into
        segments (planted on beneficiaries by a rule's slots, or the other population). `columns` are SQL over:
        seg (segment index), kind (segment kind), i (beneficiary or -1), c/l (the person), body (its number without
        the check digit), t, u, and the `pre` columns (computed one level down, so macros see a column)."""
        total = self.rows[kind]
        planted = sum(s["count"] for s in segments)
        if planted > total:
            raise SystemExit(f"{kind}: {planted} planted rows exceed {total}")
        segments = [*segments, {"count": total - planted, "kind": "background"}]
        a = self.const(f"{kind}-perm-a", total)
        b = self.const(f"{kind}-perm-b") % total
        a_other = self.const(f"{kind}-other-a", self.others)
        b_other = self.const(f"{kind}-other-b") % self.others
        seg_case, kind_case, ben_case, start = [], [], [], 0
        for index, seg in enumerate(segments):
            end = start + seg["count"]
            seg_case.append(f"WHEN t < {end} THEN {index}")
            kind_case.append(f"WHEN {index} THEN '{seg['kind']}'")
            if seg["kind"] != "background":
                ben_case.append(f"WHEN {index} THEN ben_{seg['rule']}(t - {start} + {seg.get('slot', 0)})")
            bg_start = start
            start = end
        select = ",\n".join(f"{expr} AS {name}" for name, expr in columns.items())
        pre_select = "".join(f", {expr} AS {name}" for name, expr in (pre or {}).items())
        return f"""
            SELECT {select}
            FROM (SELECT *, body_of(c, l) AS body{pre_select}
            FROM (SELECT *, CASE WHEN i >= 0 THEN ben_c(i) ELSE other_c(j) END AS c,
                            CASE WHEN i >= 0 THEN ben_l(i) ELSE other_l(j) END AS l
                  FROM (SELECT *, CASE WHEN i < 0 THEN ((t - {bg_start}) * {a_other} + {b_other}) % {self.others}
                                  END AS j
                        FROM (SELECT *, CASE seg {" ".join(kind_case)} END AS kind,
                                        CASE seg {" ".join(ben_case)} ELSE -1 END AS i
                              FROM (SELECT *, CASE {" ".join(seg_case)} END AS seg
                                    FROM (SELECT range AS u, (range * {a} + {b}) % {total} AS t
                                          FROM range({total})))))))"""

    def form(self, kind: str, may_be_bad: str = "TRUE") -> tuple[str, str]:
        """(h, bad): how the row's number is written (see `messy`); planted wrong-check rows are always bad, rows
        where `may_be_bad` is false never are."""
        h = (
            f"CASE WHEN kind = 'wrong_check' THEN {self.h('t', salt=kind + '-w')} % 10 "
            f"WHEN {may_be_bad} THEN {self.h('t', salt=kind + '-form')} % 10000 "
            f"ELSE 10 + {self.h('t', salt=kind + '-form')} % 9990 END"
        )
        return h, f"(({h}) < 10)"

    def date_between(self, first: date, last: date, h: str) -> str:
        return f"(DATE '{first}' + CAST(({h}) % {(last - first).days + 1} AS INTEGER))"

    def cadres(self) -> str:
        self_count = self.pct(0.003)
        others = self.rows["cadres"] - self_count
        h, bad = self.form(
            "cadres", may_be_bad="t % 2 = 1"
        )  # even rows are never bad: relatives' cadres are there
        self.cadre_others = (self_count, others)
        return self.register(
            "cadres",
            [{"count": self_count, "kind": "hit", "rule": "R1"}],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                "id_number": f"messy(body, {h})",
                "name": "person_name(c, l)",
                "village_code": f"CASE WHEN i >= 0 THEN village_code(c, ben_l(i) // 500) ELSE village_code("
                f"c, {self.h('t', salt='cad-v')} % {self.villages}) END",
                "post": pick(POSTS, self.h("t", salt="cad-post")),
            },
        )

    def cadre_of(self, valid_only: bool) -> str:
        """The number (without check digit) of the other-population cadre a relatives row names."""
        start, others = self.cadre_others
        a, b = self.const("cadres-other-a", self.others), self.const("cadres-other-b") % self.others
        pos = f"({self.h('t', salt='rel-cadre')} % {others})"
        if (
            valid_only
        ):  # an even position in the cadres register, which is never written with a wrong check digit
            pos = f"(2 * ({self.h('t', salt='rel-cadre')} % {others // 2}) + {start % 2})"
        j = f"(({pos} * {a} + {b}) % {self.others})"
        return f"body_of(other_c({j}), other_l({j}))"

    def cadre_relatives(self) -> str:
        hits, wrong = self.pct(0.007), self.pct(0.0002)
        h, bad = self.form("cadre_relatives")
        return self.register(
            "cadre_relatives",
            [
                {"count": hits, "kind": "hit", "rule": "R1", "slot": self.pct(0.003)},
                {"count": wrong, "kind": "wrong_check", "rule": "R1", "slot": self.pct(0.010)},
            ],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                # the cadre's number is never bad here: a relatives row is bad only through the relative's number
                "cadre_id_number": f"messy(cadre_body, {self.h('t', salt='rel-cadre-form')} % 10000 + 10)",
                "relative_id_number": f"messy(body, {h})",
                "relation": pick(RELATIONS, self.h("t", salt="relation")),
            },
            pre={
                "cadre_body": f"CASE WHEN i >= 0 THEN {self.cadre_of(True)} ELSE {self.cadre_of(False)} END"
            },
        )

    def deaths(self) -> str:
        hits, near, wrong = self.pct(0.010), self.pct(0.002), self.pct(0.0002)
        h, bad = self.form("deaths")
        before = self.date_between(
            date(self.month_start.year - 6, 1, 1),
            self.month_start - timedelta(days=1),
            self.h("t", salt="death"),
        )
        after = self.date_between(
            self.month_next, self.month_next + timedelta(days=45), self.h("t", salt="death")
        )
        return self.register(
            "deaths",
            [
                {"count": hits, "kind": "hit", "rule": "R2"},
                {"count": near, "kind": "after_month", "rule": "R2", "slot": hits},
                {"count": wrong, "kind": "wrong_check", "rule": "R2", "slot": hits + near},
            ],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                "id_number": f"messy(body, {h})",
                "death_date": f"CASE WHEN kind = 'after_month' THEN {after} ELSE {before} END",
            },
        )

    def vehicles(self) -> str:
        hits, second, exempt_too = self.pct(0.010), self.pct(0.0005), self.pct(0.002)
        near, wrong = self.pct(0.003), self.pct(0.0002)
        h, bad = self.form("vehicles")
        taxed, exempt = (
            pick(TAXED_TYPES, self.h("t", salt="vtype")),
            pick(EXEMPT_TYPES, self.h("t", salt="vtype")),
        )
        plate = (
            "'湘' || "
            + pick(PLATE_LETTERS, self.h("t", salt="plate0"))
            + " || "
            + " || ".join(pick(PLATE_CHARS, self.h("t", salt=f"plate{k}")) for k in range(1, 6))
        )
        return self.register(
            "vehicles",
            [
                {"count": hits, "kind": "hit", "rule": "R3"},
                {"count": second, "kind": "hit", "rule": "R3"},  # a second taxed vehicle: two evidence rows
                {"count": exempt_too, "kind": "exempt", "rule": "R3", "slot": second},
                {"count": near, "kind": "exempt", "rule": "R3", "slot": hits},
                {"count": wrong, "kind": "wrong_check", "rule": "R3", "slot": hits + near},
            ],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                "owner_id_number": f"messy(body, {h})",
                "plate": plate,
                "vehicle_type": f"CASE WHEN kind = 'exempt' THEN {exempt} WHEN kind IN ('hit', 'wrong_check') THEN "
                f"{taxed} WHEN {self.h('t', salt='bg-exempt')} % 5 < 2 THEN {exempt} ELSE {taxed} END",
                "reg_date": self.date_between(
                    date(2005, 1, 1), self.month_start - timedelta(days=1), self.h("t", salt="reg")
                ),
            },
        )

    def companies(self) -> str:
        legal, holder, other_too = self.pct(0.006), self.pct(0.004), self.pct(0.002)
        near, wrong = self.pct(0.003), self.pct(0.0002)
        hits = legal + holder
        h, bad = self.form("companies")
        name = (
            pick(COUNTY_NAMES, self.h("t", salt="co-place"))
            + " || "
            + pick(["县", "市", ""], self.h("t", salt="co-x"))
            + " || "
            + pick(GIVEN, self.h("t", salt="co-w"))
            + " || "
            + pick(TRADE_WORDS, self.h("t", salt="co-trade"))
            + " || "
            + pick(COMPANY_FORMS, self.h("t", salt="co-form"))
        )
        return self.register(
            "companies",
            [
                {"count": legal, "kind": "legal", "rule": "R4"},
                {"count": holder, "kind": "holder", "rule": "R4", "slot": legal},
                {"count": other_too, "kind": "other_role", "rule": "R4"},  # also 监事 somewhere: not evidence
                {"count": near, "kind": "other_role", "rule": "R4", "slot": hits},
                {"count": wrong, "kind": "wrong_check", "rule": "R4", "slot": hits + near},
            ],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                "person_id_number": f"messy(body, {h})",
                "company_name": name,
                "role": f"CASE kind WHEN 'legal' THEN '法定代表人' WHEN 'holder' THEN '股东' WHEN 'wrong_check' THEN '股东' "
                f"WHEN 'other_role' THEN {pick(OTHER_ROLES, self.h('t', salt='role'))} "
                f"ELSE {pick(HIT_ROLES + OTHER_ROLES, self.h('t', salt='role'))} END",
                "capital": f"CAST(({self.h('t', salt='capital')} % 500 + 1) * 10000 AS DECIMAL(18, 2))",
            },
        )

    def state_staff(self) -> str:
        hits, wrong = self.pct(0.010), self.pct(0.0002)
        h, bad = self.form("state_staff")
        return self.register(
            "state_staff",
            [
                {"count": hits, "kind": "hit", "rule": "R5"},
                {"count": wrong, "kind": "wrong_check", "rule": "R5", "slot": hits},
            ],
            {
                "ben": "i",
                "bad": bad,
                "kind": "kind",
                "id_number": f"messy(body, {h})",
                "employer": pick(COUNTY_NAMES, self.h("t", salt="emp-place"))
                + " || "
                + pick(["县", "区", "市"], self.h("t", salt="emp-x"))
                + " || "
                + pick(EMPLOYER_KINDS, self.h("t", salt="emp-kind")),
            },
        )


PUBLIC = {
    "beneficiaries": [
        "id_number",
        "name",
        "household_id",
        "county_code",
        "village_code",
        "start_month",
        "monthly_amount",
    ],
    "cadres": ["id_number", "name", "village_code", "post"],
    "cadre_relatives": ["cadre_id_number", "relative_id_number", "relation"],
    "deaths": ["id_number", "death_date"],
    "vehicles": ["owner_id_number", "plate", "vehicle_type", "reg_date"],
    "companies": ["person_id_number", "company_name", "role", "capital"],
    "state_staff": ["id_number", "employer"],
}
# Which rows of each register are evidence of a hit, when neither its number nor the beneficiary's is bad.
EVIDENCE = {
    "cadres": ("R1", "kind = 'hit'", "'本人 ' || post"),
    "cadre_relatives": ("R1", "kind = 'hit'", "relation || ' of ' || cadre_id_number"),
    "deaths": ("R2", "kind = 'hit'", "CAST(death_date AS VARCHAR)"),
    "vehicles": ("R3", "kind = 'hit'", "plate || ' ' || vehicle_type"),
    "companies": ("R4", "kind IN ('legal', 'holder')", "company_name || ' ' || role"),
    "state_staff": ("R5", "kind = 'hit'", "employer"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1 = 10,000,000 beneficiaries (42.5 M rows)")
    parser.add_argument("--out", type=Path, default=None, help="default var/bench/screening/scale-SCALE")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--payment-month", default="2026-10")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    out = args.out or Path("var/bench/screening") / f"scale-{args.scale:g}"
    out.mkdir(parents=True, exist_ok=True)
    province = Province(args.scale, args.seed, args.payment_month)
    con = duckdb.connect()
    con.execute(
        f"SET threads = {args.threads}; SET memory_limit = '4GB'; SET preserve_insertion_order = true"
    )
    con.execute(f"SET temp_directory = '{out / 'tmp'}'")
    province.macros(con)
    builders = {
        "beneficiaries": province.beneficiaries,
        "cadres": province.cadres,
        "cadre_relatives": province.cadre_relatives,
        "deaths": province.deaths,
        "vehicles": province.vehicles,
        "companies": province.companies,
        "state_staff": province.state_staff,
    }
    truth = {
        "seed": args.seed,
        "scale": args.scale,
        "payment_month": args.payment_month,
        "exempt_vehicle_types": EXEMPT_TYPES,
        "hit_roles": HIT_ROLES,
        "registers": {},
    }
    started = time.perf_counter()
    for kind, build in builders.items():
        t0 = time.perf_counter()
        con.execute(f"CREATE VIEW {kind}_v AS {build()}")
        path = out / f"{kind}.parquet"
        con.execute(
            f"COPY (SELECT {', '.join(PUBLIC[kind])} FROM {kind}_v) TO '{path}' "
            f"(FORMAT parquet, COMPRESSION zstd)"
        )
        rows, bad = con.execute(f"SELECT count(*), count(*) FILTER (WHERE bad) FROM {kind}_v").fetchone()
        truth["registers"][kind] = {
            "file": path.name,
            "rows": rows,
            "bad_rows": bad,
            "bytes": path.stat().st_size,
        }
        print(
            f"{kind:16} {rows:>11,} rows  {bad:>7,} bad  {path.stat().st_size / 2**20:8.1f} MiB  "
            f"{time.perf_counter() - t0:6.1f} s",
            flush=True,
        )
    # The expected hit list: one row per piece of evidence (rule, the beneficiary's normalised number, evidence).
    parts = [
        f"SELECT '{rule}' AS rule, r.ben, {detail} AS evidence FROM {kind}_v r "
        f"WHERE r.ben >= 0 AND NOT r.bad AND {where} AND NOT ben_bad(r.ben)"
        for kind, (rule, where, detail) in EVIDENCE.items()
    ]
    con.execute(f"""
        CREATE TABLE truth AS
        SELECT rule, id18(body_of(ben_c(ben), ben_l(ben))) AS beneficiary_id_number,
               {sql_list(province.counties)}[ben_c(ben) + 1] AS county_code, evidence
        FROM ({" UNION ALL ".join(parts)})""")
    con.execute(
        f"COPY (SELECT * FROM truth ORDER BY rule, beneficiary_id_number, evidence) "
        f"TO '{out / 'truth_hits.parquet'}' (FORMAT parquet, COMPRESSION zstd)"
    )
    per_rule = con.execute(
        "SELECT rule, count(*), count(DISTINCT beneficiary_id_number) FROM truth GROUP BY rule ORDER BY rule"
    ).fetchall()
    truth["hits"] = {rule: rows for rule, rows, _ in per_rule}
    truth["beneficiaries_per_rule"] = {rule: people for rule, _, people in per_rule}
    truth["beneficiaries_flagged"] = con.execute(
        "SELECT count(DISTINCT beneficiary_id_number) FROM truth"
    ).fetchone()[0]
    truth["total_rows"] = sum(r["rows"] for r in truth["registers"].values())
    truth["total_bytes"] = sum(r["bytes"] for r in truth["registers"].values())
    truth["generated_in_seconds"] = round(time.perf_counter() - started, 1)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n")
    print(
        json.dumps(
            {
                k: truth[k]
                for k in (
                    "hits",
                    "beneficiaries_per_rule",
                    "beneficiaries_flagged",
                    "total_rows",
                    "total_bytes",
                    "generated_in_seconds",
                )
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
