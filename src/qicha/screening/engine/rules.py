"""The comparison rules: each is ONE SQL text (DuckDB dialect) that every engine runs — DuckDB as written, Spark
after sqlglot transpiles it (engine/sqltext.py). A rule selects its evidence from the cleaned reference registers as
(key, rule, ev1, ev2, ev3); the engine unions the rules switched on and joins the beneficiaries once.

Parameters are substituted as SQL literals before the text reaches either engine, so both see the same values.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    description: str                      # what a clerk reads
    registers: tuple[str, ...]            # the reference registers it needs (beneficiaries always)
    evidence: tuple[str, str, str]        # Chinese labels of ev1, ev2, ev3
    sql: str                              # {placeholders} filled from params and the month
    defaults: dict = field(default_factory=dict)
    param_labels: dict = field(default_factory=dict)
    ledger_kind: str = "错保"              # the 低保 ledger's 问题类型 a confirmed hit becomes


RULES: dict[str, Rule] = {rule.code: rule for rule in [
    Rule("R1", "关系保", "低保对象本人是村干部，或是登记在册的村干部近亲属。", ("cadres", "cadre_relatives"),
         ("村干部", "关系", "职务"),
         "SELECT c.id_number_key AS key, 'R1' AS rule, c.name AS ev1, '本人' AS ev2, c.post AS ev3 "
         "FROM cadres c WHERE c._ok "
         "UNION ALL "
         "SELECT r.relative_id_number_key AS key, 'R1' AS rule, c.name AS ev1, r.relation AS ev2, c.post AS ev3 "
         "FROM cadre_relatives r JOIN cadres c ON c.id_number_key = r.cadre_id_number_key WHERE r._ok AND c._ok",
         ledger_kind="关系保"),
    Rule("R2", "死亡未停保", "低保对象在发放月份之前已登记死亡，仍在发放名册中。", ("deaths",),
         ("死亡日期", "", ""),
         "SELECT d.id_number_key AS key, 'R2' AS rule, CAST(d.death_date AS VARCHAR) AS ev1, '' AS ev2, '' AS ev3 "
         "FROM deaths d WHERE d._ok AND d.death_date < {month_start}"),
    Rule("R3", "名下有非豁免车辆", "低保对象名下登记有车辆（二轮摩托车、三轮汽车、拖拉机等豁免车型除外）。", ("vehicles",),
         ("号牌号码", "车辆类型", "登记日期"),
         "SELECT v.owner_id_number_key AS key, 'R3' AS rule, v.plate AS ev1, v.vehicle_type AS ev2, "
         "CAST(v.reg_date AS VARCHAR) AS ev3 FROM vehicles v WHERE v._ok "
         "AND (v.reg_date IS NULL OR v.reg_date <= {month_end}) AND NOT ({exempt})",
         defaults={"exempt_types": ["二轮摩托车", "三轮汽车", "拖拉机"]},
         param_labels={"exempt_types": "豁免车型（车辆类型含其中任一词即豁免）"}),
    Rule("R4", "企业法定代表人或股东", "低保对象登记为企业的法定代表人或股东（监事、董事等其他身份不计）。", ("companies",),
         ("企业名称", "身份", "认缴出资额（万元）"),
         "SELECT p.person_id_number_key AS key, 'R4' AS rule, p.company_name AS ev1, p.role AS ev2, "
         "p.capital AS ev3 FROM companies p WHERE p._ok AND trim(p.role) IN ({roles})",
         defaults={"roles": ["法定代表人", "股东"]}, param_labels={"roles": "计入的身份"}),
    Rule("R5", "财政供养人员", "低保对象在财政供养人员名册中。", ("state_staff",),
         ("工作单位", "", ""),
         "SELECT s.id_number_key AS key, 'R5' AS rule, s.employer AS ev1, '' AS ev2, '' AS ev3 "
         "FROM state_staff s WHERE s._ok"),
    Rule("V1", "负面清单", "比对对象在负面清单上（村级联审的比对提示）。", ("negative_list",),
         ("事由", "清单姓名", ""),
         "SELECT n.id_number_key AS key, 'V1' AS rule, n.ground AS ev1, n.name AS ev2, '' AS ev3 "
         "FROM negative_list n WHERE n._ok"),
]}

DEFAULT_RULES = ("R1", "R2", "R3", "R4", "R5")


def literal(value) -> str:
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def month_bounds(payment_month: str) -> tuple[date, date]:
    year, month = (int(part) for part in payment_month.split("-"))
    start = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def merged_params(code: str, params: dict | None) -> dict:
    rule = RULES[code]
    given = (params or {}).get(code) or {}
    return {key: given.get(key, default) for key, default in rule.defaults.items()}


def rule_sql(code: str, payment_month: str, params: dict | None = None) -> str:
    """The rule's SQL text with its parameters in place (DuckDB dialect)."""
    start, end = month_bounds(payment_month)
    values = merged_params(code, params)
    fills = {"month_start": literal(start), "month_end": literal(end)}
    if "exempt_types" in values:
        words = [w for w in values["exempt_types"] if str(w).strip()]
        fills["exempt"] = " OR ".join(f"strpos(coalesce(v.vehicle_type, ''), {literal(w)}) > 0" for w in words) or "FALSE"
    if "roles" in values:
        fills["roles"] = ", ".join(literal(r) for r in values["roles"]) or "NULL"
    return RULES[code].sql.format(**fills)
