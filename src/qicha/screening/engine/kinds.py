"""The register kinds the office imports: field keys, Chinese headers (either form is accepted) and which fields
hold identity numbers. Pure data, shared by the engines, the import checks and the templates."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[tuple[str, str], ...]   # (field key, Chinese header)
    id_fields: tuple[str, ...]            # fields holding identity numbers (normalised, checked, joined on)
    date_fields: tuple[str, ...] = ()     # fields read as dates (a row whose date cannot be read is a bad row)
    required_dates: tuple[str, ...] = ()

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.fields]

    def header(self, key: str) -> str:
        return dict(self.fields)[key]


KINDS: dict[str, Kind] = {kind.key: kind for kind in [
    Kind("beneficiaries", "低保对象", (
        ("id_number", "身份证号"), ("name", "姓名"), ("household_id", "户编号"), ("county_code", "区县代码"),
        ("village_code", "村（社区）代码"), ("start_month", "享受起始年月"), ("monthly_amount", "月保障金额（元）"),
    ), ("id_number",)),
    Kind("cadres", "村干部", (
        ("id_number", "身份证号"), ("name", "姓名"), ("village_code", "村（社区）代码"), ("post", "职务"),
    ), ("id_number",)),
    Kind("cadre_relatives", "村干部近亲属", (
        ("cadre_id_number", "村干部身份证号"), ("relative_id_number", "亲属身份证号"), ("relation", "关系"),
    ), ("cadre_id_number", "relative_id_number")),
    Kind("deaths", "死亡人员", (
        ("id_number", "身份证号"), ("death_date", "死亡日期"),
    ), ("id_number",), ("death_date",), ("death_date",)),
    Kind("vehicles", "车辆登记", (
        ("owner_id_number", "车主身份证号"), ("plate", "号牌号码"), ("vehicle_type", "车辆类型"), ("reg_date", "登记日期"),
    ), ("owner_id_number",), ("reg_date",)),
    Kind("companies", "工商登记人员", (
        ("person_id_number", "身份证号"), ("company_name", "企业名称"), ("role", "职务（身份）"),
        ("capital", "认缴出资额（万元）"),
    ), ("person_id_number",)),
    Kind("state_staff", "财政供养人员", (
        ("id_number", "身份证号"), ("employer", "工作单位"),
    ), ("id_number",)),
    Kind("negative_list", "负面清单", (
        ("id_number", "身份证号"), ("name", "姓名"), ("ground", "事由"),
    ), ("id_number",)),
]}


def fold_header(text: object) -> str:
    """A header cell as compared: spaces, full-width brackets and case do not matter."""
    folded = str(text or "").strip().lower().replace(" ", "").replace("　", "")
    return folded.replace("(", "（").replace(")", "）")


def match_header(kind: Kind, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """(field key → the file's column name, missing field keys). Either the key or the Chinese header is accepted."""
    found: dict[str, str] = {}
    for column in header:
        folded = fold_header(column)
        for key, label in kind.fields:
            if key not in found and folded in (key, fold_header(label)):
                found[key] = column
    return found, [key for key in kind.keys if key not in found]


def missing_message(kind: Kind, file_name: str, missing: list[str]) -> str:
    names = "、".join(f"{kind.header(key)}（{key}）" for key in missing)
    return f"{kind.label}文件“{file_name}”缺少列：{names}"
