"""What a comparison run gives back, whichever engine ran it."""

from dataclasses import dataclass, field
from typing import NamedTuple

MAX_BAD_LISTED = 200  # bad rows listed per register (all are counted)


class Hit(NamedTuple):
    rule: str
    key: int                # the 17-digit body (engine/idsql.py)
    id_number: str          # the normalised 18-character number
    name: str
    household_id: str
    county_code: str
    village_code: str
    monthly_amount: float | None
    ev1: str
    ev2: str
    ev3: str


@dataclass
class RegisterStats:
    kind: str
    label: str
    file_name: str
    digest: str = ""
    rows: int = 0
    bad: int = 0
    bad_rows: list[dict] = field(default_factory=list)   # {row, field, value, reason}, the first MAX_BAD_LISTED

    def summary(self) -> dict:
        return {"label": self.label, "file": self.file_name, "digest": self.digest, "rows": self.rows,
                "bad": self.bad, "bad_rows": self.bad_rows}


@dataclass
class ScreeningResult:
    engine: str
    payment_month: str
    rules: list[str]
    params: dict
    registers: dict[str, RegisterStats]
    hits: list[Hit] | None                 # None when not collected (the command with --out)
    hits_per_rule: dict[str, int]
    hits_per_county: dict[str, int]
    beneficiaries_flagged: int
    seconds: dict[str, float]
    out_file: str = ""

    @property
    def hit_count(self) -> int:
        return sum(self.hits_per_rule.values())

    def summary(self, *, bad_rows: bool = False) -> dict:
        registers = {}
        for kind, stats in self.registers.items():
            entry = stats.summary()
            if not bad_rows:
                entry.pop("bad_rows")
            registers[kind] = entry
        return {"engine": self.engine, "payment_month": self.payment_month, "rules": self.rules,
                "params": self.params, "registers": registers, "hits": self.hit_count,
                "hits_per_rule": self.hits_per_rule, "hits_per_county": self.hits_per_county,
                "beneficiaries_flagged": self.beneficiaries_flagged,
                "seconds": {stage: round(value, 3) for stage, value in self.seconds.items()},
                "out": self.out_file}
