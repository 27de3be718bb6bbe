"""Built-in check-item templates. The 七查七摆 items are the seed's section 三 (一)–(七), verbatim."""

import json
from datetime import date
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEVEN_CHECKS = "qicha-seven"


@cache
def load_template(code: str = SEVEN_CHECKS) -> dict:
    path = DATA_DIR / f"{code.replace('-', '_')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def default_schedule(year: int) -> dict:
    """Default dates for a campaign year. The seed fixes only the stage summary (6月23日), the clue
    clearance (6月底) and the monthly due day (21日); the phase dates are our defaults, all editable."""
    return {
        "phases": [
            {"kind": "deploy", "start_date": date(year, 3, 1), "end_date": date(year, 3, 31),
             "tasks": "开展问题集中查摆；针对查摆出的问题，制定整改方案和责任清单，组织开展整改。"},
            {"kind": "rectify", "start_date": date(year, 4, 1), "end_date": date(year, 6, 30),
             "tasks": "分类建立工作台账，实行清单化管理，于每月21日前报局扫黑办；6月23日前形成阶段性工作总结。"},
            {"kind": "consolidate", "start_date": date(year, 7, 1), "end_date": date(year, 12, 31),
             "tasks": "梳理提炼成熟经验，转化为务实管用的制度、规范，形成长效机制；形成工作总结报市局扫黑办。"},
        ],
        "report_due_day": 21,
        "stage_summary_due": date(year, 6, 23),
        "clue_clearance_date": date(year, 6, 30),
        "final_summary_due": date(year, 12, 20),
    }
