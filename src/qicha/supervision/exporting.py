"""The supervision ledgers as Excel workbooks, each exactly the rows its list page shows, in the user's scope and in
the two-level layout staff keep by hand:

- 责任书承诺书签订台账: the signing board of one kind (every expected signer, signed or 未签订), as on the page;
- 督导检查台账: the filtered inspections, with only the inspected units (and their findings) the viewer may see;
- 问责台账: the filtered accountability records.

No sensitive fields (names of officials held to account are part of the published decision), so nothing is masked.
"""

from dataclasses import dataclass, field

from qicha.campaigns import queries as campaign_queries
from qicha.core.chunked import in_chunks
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import ExportColumn, describe_filters, export_ledger_file, file_stamp
from qicha.core.scope import has_permission

from .models import AccountabilityForm, Failing, InspectionKind, InspectionStatus, LetterKind
from .queries import accountability as accountability_queries
from .queries import inspections as inspection_queries
from .queries import letters as letter_queries

VIEW = "supervision.view"
CHUNK = 1000


def _check(actor) -> None:
    if not has_permission(actor, VIEW):
        raise NotFound()


# ---------------------------------------------------------------- letters (the signing board)

@dataclass
class LetterFilters:
    """The board's filters: which kind of letter, and signed / unsigned (the page's tabs and buttons)."""

    kind: str = LetterKind.RESPONSIBILITY
    status: str = ""
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "LetterFilters":
        f = cls()
        kind = (params.get("kind") or "").strip()
        if kind:
            if kind in LetterKind.values:
                f.kind = kind
            else:
                f.errors["kind"] = "取值不正确"
        status = (params.get("status") or "").strip()
        if status:
            if status in letter_queries.SIGNED_FILTERS:
                f.status = status
            else:
                f.errors["status"] = "取值不正确"
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)


SIGNING, CHECKS = "签订情况", "监督检查"
LETTER_COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("签订单位", 22, wrap=True),
    ExportColumn("是否签订", 10, group=SIGNING), ExportColumn("签订人", 10, group=SIGNING),
    ExportColumn("职务", 12, group=SIGNING), ExportColumn("签订对象", 16, wrap=True, group=SIGNING),
    ExportColumn("签订日期", 12, group=SIGNING), ExportColumn("责任或承诺事项", 40, wrap=True, group=SIGNING),
    ExportColumn("检查次数", 8, group=CHECKS), ExportColumn("最近检查日期", 12, group=CHECKS),
    ExportColumn("最近检查结果", 12, group=CHECKS),
]


def letter_file_name() -> str:
    return f"责任书承诺书签订台账_{file_stamp()}.xlsx"


def describe_letters(actor, filters: LetterFilters) -> str:
    """The filters in words ("" for the whole board). The kind is not one: it is the ledger itself (its title)."""
    return describe_filters(actor, filters, permission=VIEW, skip=("kind",),
                            values={"status": letter_queries.SIGNED_FILTERS})


def check_letter_export(actor, filters: LetterFilters) -> None:
    _check(actor)
    filters.raise_if_invalid()


def export_letters(actor, filters: LetterFilters, target, *, report=None) -> dict:
    check_letter_export(actor, filters)
    campaign = campaign_queries.current_campaign(actor)
    if campaign is None:
        raise Invalid("当前没有进行中的专项行动，无可导出的签订台账。")
    board = next(b for b in letter_queries.signing_board(actor, campaign, filters.status) if b.kind == filters.kind)

    def rows():
        for index, row in enumerate(board.rows, start=1):
            letter = row.letter
            if letter is None:
                yield [index, row.unit.name, "未签订", "", "", "", None, "", 0, None, ""]
                continue
            checks = row.checks
            last = checks[-1] if checks else None
            yield [
                index, row.unit.name, "已签订", letter.signer, letter.signer_title, letter.counterpart, letter.signed_on,
                letter.scope, len(checks), last.checked_on if last else None, last.get_result_display() if last else "",
            ]

    label = "目标责任书" if filters.kind == LetterKind.RESPONSIBILITY else "承诺书"
    return export_ledger_file(actor, target, ledger_name=f"{label}签订台账", sheet=f"{label}签订台账", columns=LETTER_COLUMNS,
                  rows=rows(), total=len(board.rows), report=report, action="letter_export",
                  filters=describe_letters(actor, filters))


# ---------------------------------------------------------------- inspections

PLAN, OUTCOME = "检查安排", "检查结果"
INSPECTION_COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("检查名称", 24, wrap=True),
    ExportColumn("检查方式", 10, group=PLAN), ExportColumn("开始日期", 12, group=PLAN),
    ExportColumn("结束日期", 12, group=PLAN), ExportColumn("检查重点", 30, wrap=True, group=PLAN),
    ExportColumn("联合部门", 14, wrap=True, group=PLAN), ExportColumn("第三方评估机构", 14, wrap=True, group=PLAN),
    ExportColumn("被检查单位及评价", 30, wrap=True, group=OUTCOME), ExportColumn("发现问题", 8, group=OUTCOME),
    ExportColumn("状态", 10, group=OUTCOME), ExportColumn("总体评价", 30, wrap=True, group=OUTCOME),
]


def inspection_file_name() -> str:
    return f"督导检查台账_{file_stamp()}.xlsx"


def describe_inspections(actor, filters: inspection_queries.InspectionFilters) -> str:
    """The filters in words, for the sheet's heading and the job's name ("" for the whole ledger)."""
    return describe_filters(actor, filters, permission=VIEW, labels={"kind": "检查方式", "mine": "只看我参加的检查",
                                                                       "ongoing": "只看计划中、实施中的检查"},
                            values={"kind": dict(InspectionKind.choices), "status": dict(InspectionStatus.choices)})


def check_inspection_export(actor, filters: inspection_queries.InspectionFilters) -> None:
    _check(actor)
    filters.raise_if_invalid()


def export_inspections(actor, filters: inspection_queries.InspectionFilters, target, *, report=None) -> dict:
    check_inspection_export(actor, filters)
    inspections = inspection_queries.inspection_list(actor, filters)
    total = inspections.order_by().count()

    def rows():
        for index, inspection in enumerate(in_chunks(inspections, CHUNK), start=1):
            shown = {t.pk for t in inspection.shown_targets}
            targets = "；".join(t.unit.name + (f"（{t.get_rating_display()}）" if t.rating else "")
                               for t in inspection.shown_targets)
            yield [
                index, inspection.title, inspection.get_kind_display(), inspection.starts_on, inspection.ends_on,
                inspection.focus, inspection.partners, inspection.evaluator, targets,
                sum(1 for f in inspection.findings.all() if f.target_id in shown), inspection.get_status_display(),
                inspection.summary,
            ]

    return export_ledger_file(actor, target, ledger_name="督导检查台账", sheet="督导检查台账", columns=INSPECTION_COLUMNS,
                  rows=rows(), total=total, report=report, action="inspection_export",
                  filters=describe_inspections(actor, filters))


# ---------------------------------------------------------------- accountability

TARGET, DECISION = "问责对象", "问责情况"
ACCOUNTABILITY_COLUMNS = [
    ExportColumn("序号", 6),
    ExportColumn("被问责单位", 20, wrap=True, group=TARGET), ExportColumn("被问责人", 10, group=TARGET),
    ExportColumn("职务", 12, group=TARGET),
    ExportColumn("问责情形", 12, group=DECISION), ExportColumn("问责方式", 10, group=DECISION),
    ExportColumn("决定文号", 16, group=DECISION), ExportColumn("决定日期", 12, group=DECISION),
    ExportColumn("问责事由", 40, wrap=True, group=DECISION),
]


def accountability_file_name() -> str:
    return f"问责台账_{file_stamp()}.xlsx"


def describe_accountability(actor, filters: accountability_queries.AccountabilityFilters) -> str:
    """The filters in words, for the sheet's heading and the job's name ("" for the whole ledger)."""
    return describe_filters(actor, filters, permission=VIEW, labels={"failing": "问责情形", "form": "问责方式"},
                            values={"failing": dict(Failing.choices), "form": dict(AccountabilityForm.choices)})


def check_accountability_export(actor, filters: accountability_queries.AccountabilityFilters) -> None:
    _check(actor)
    filters.raise_if_invalid()


def export_accountability(actor, filters: accountability_queries.AccountabilityFilters, target, *, report=None) -> dict:
    check_accountability_export(actor, filters)
    records = accountability_queries.accountability_list(actor, filters).select_related("unit")
    total = records.order_by().count()

    def rows():
        for index, record in enumerate(in_chunks(records, CHUNK), start=1):
            yield [
                index, record.unit.name, record.person, record.person_title, record.get_failing_display(),
                record.get_form_display(), record.decision_no, record.decided_on, record.facts,
            ]

    return export_ledger_file(actor, target, ledger_name="问责台账", sheet="问责台账", columns=ACCOUNTABILITY_COLUMNS,
                  rows=rows(), total=total, report=report, action="accountability_export",
                  filters=describe_accountability(actor, filters))
