"""Each comparison rule on a tiny hand-made register set: planted hits found, near misses not, identity numbers
normalised (15 digits, full width, spaces, lower-case x) and a wrong check digit never matched."""

import json

import duckdb
import pytest
from django.core.management import call_command

from qicha.screening.engine import RegisterError, run_screening

from .screening_data import EXPECTED, P, number_forms, write_number_forms, write_registers


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    return write_registers(tmp_path_factory.mktemp("registers"))


@pytest.fixture(scope="module")
def result(registers):
    return run_screening(registers, "2026-11")


def found(result) -> set[tuple[str, str]]:
    return {(hit.rule, hit.id_number) for hit in result.hits}


def test_every_planted_hit_is_found_and_nothing_else(result):
    assert found(result) == EXPECTED
    assert result.hits_per_rule == {"R1": 2, "R2": 2, "R3": 2, "R4": 1, "R5": 1}
    assert result.beneficiaries_flagged == 8


def test_relationship_evidence_names_the_cadre_relation_and_post(result):
    r1 = {hit.id_number: (hit.ev1, hit.ev2, hit.ev3) for hit in result.hits if hit.rule == "R1"}
    assert r1[P.cadre_self] == ("张村官", "本人", "村委会主任")
    assert r1[P.relative] == ("刘书记", "配偶", "村党支部书记")


def test_near_misses_are_not_flagged(result):
    flagged = {number for _, number in found(result)}
    assert P.dead_later not in flagged        # died after the payment month
    assert P.motorbike not in flagged         # 二轮摩托车 is exempt
    assert P.supervisor not in flagged        # 监事 is neither 法定代表人 nor 股东
    assert P.clean not in flagged


def test_old_and_messy_forms_match_and_a_wrong_check_digit_never_does(result):
    flagged = {number for _, number in found(result)}
    assert P.old_form in flagged              # 15 digits on the roll, 18 in the death register
    assert P.x_person in flagged              # lower-case x on the roll; full width and spaces in the vehicles
    assert P.bad_check not in flagged         # on the roll and on the payroll, but the number is not valid
    roll, staff = result.registers["beneficiaries"], result.registers["state_staff"]
    assert (roll.rows, roll.bad) == (13, 1) and (staff.rows, staff.bad) == (2, 1)
    listed = roll.bad_rows[0]
    assert (listed["row"], listed["field"]) == (12, "id_number")  # the file's line: header is line 1
    assert listed["value"] == P.bad_check[:6] + "********" + P.bad_check[-4:]
    assert "校验码错误" in roll.bad_rows[0]["reason"]


def test_parameters_change_the_rules(registers):
    result = run_screening(registers, "2026-11", rules=["R3", "R4"],
                           params={"R3": {"exempt_types": []}, "R4": {"roles": ["法定代表人", "股东", "监事"]}})
    flagged = found(result)
    assert ("R3", P.motorbike) in flagged and ("R4", P.supervisor) in flagged
    assert result.rules == ["R3", "R4"]


def test_the_payment_month_decides_deaths(registers):
    later = run_screening(registers, "2027-01", rules=["R2"])
    assert ("R2", P.dead_later) in found(later)


def test_re_running_gives_the_same_hits(registers, result):
    again = run_screening(registers, "2026-11")
    assert again.hits == result.hits


def test_chinese_headers_are_accepted(tmp_path):
    registers = write_registers(tmp_path, chinese_headers=True)
    assert found(run_screening(registers, "2026-11")) == EXPECTED


def test_a_register_missing_columns_is_refused_naming_them(tmp_path):
    registers = write_registers(tmp_path)
    registers["deaths"].write_text("身份证号,姓名\n110101194001011234,某人\n", encoding="utf-8")
    with pytest.raises(RegisterError) as refused:
        run_screening(registers, "2026-11")
    assert refused.value.message == "死亡人员文件“deaths.csv”缺少列：死亡日期（death_date）"


def test_parquet_in_and_out_and_the_command_prints_one_json_line(registers, tmp_path, capsys):
    parquet = tmp_path / "beneficiaries.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{registers['beneficiaries']}', all_varchar = true)) "
               f"TO '{parquet}' (FORMAT parquet)")
    arguments = [f"--register={kind}={path}" for kind, path in registers.items() if kind != "beneficiaries"]
    call_command("screening", "run", "--engine", "duckdb", f"--register=beneficiaries={parquet}", *arguments,
                 "--payment-month", "2026-11", "--out", str(tmp_path / "out"))
    line = json.loads(capsys.readouterr().out.strip())
    assert line["hits_per_rule"] == {"R1": 2, "R2": 2, "R3": 2, "R4": 1, "R5": 1}
    assert line["beneficiaries_flagged"] == 8
    assert line["registers"]["beneficiaries"]["rows"] == 13 and line["registers"]["beneficiaries"]["bad"] == 1
    assert set(line["seconds"]) == {"prepare", "read", "rules", "output"}
    written = duckdb.sql(f"SELECT rule, id_number FROM '{tmp_path / 'out' / 'hits.parquet'}'").fetchall()
    assert set(written) == EXPECTED


def test_every_form_of_a_number_is_judged_as_the_identity_rules_judge_it(tmp_path):
    """The fast path (NumPy over the Parquet file's text, row group by row group) and the folding of messy numbers
    agree with core.idnumbers: a valid number in any form meets its other forms, a wrong one is a bad row."""
    forms = number_forms()
    judged = [normalised_or_none(raw) for raw in forms]
    expected = {number for number in judged if number}
    invalid = judged.count(None)
    roll, staff = write_number_forms(tmp_path, forms)
    result = run_screening({"beneficiaries": roll, "state_staff": staff}, "2026-11", engine="duckdb")
    assert {hit.id_number for hit in result.hits} == expected
    assert result.registers["beneficiaries"].bad == result.registers["state_staff"].bad == invalid
    listed = result.registers["beneficiaries"].bad_rows
    assert [row["row"] for row in listed] == [i + 1 for i, number in enumerate(judged) if number is None]


def normalised_or_none(raw: str | None) -> str | None:
    from qicha.core.errors import Invalid
    from qicha.core.idnumbers import validate

    try:
        return validate(raw) if raw is not None else None
    except Invalid:
        return None
