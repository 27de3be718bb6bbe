"""The lasting-rules ledger as an Excel workbook (制度成果台账): exactly the rules the 制度成果 page lists (the current
campaign's, in the user's problem scope), each with the numbers of the problems it answers — only those the exporter
may see, as on the page.

No sensitive fields (published rules and documents), so nothing is masked; the audit says so.
"""

from dataclasses import dataclass, field

from qicha.campaigns import queries as campaign_queries
from qicha.core.chunked import in_chunks
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import ExportColumn, describe_filters, export_ledger_file, file_stamp
from qicha.core.scope import has_permission

from . import queries
from .importing import format_problem_no

VIEW = "problem.view"
LEDGER_NAME = "七查七摆制度成果台账"
CHUNK = 1000


@dataclass
class RuleFilters:
    """The page has no filters; the object exists so the rules ledger plugs into the export like every other list."""

    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "RuleFilters":
        return cls()

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)


DOCUMENT = "制度文件"
COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("制定单位", 20, wrap=True),
    ExportColumn("制度名称", 30, wrap=True, group=DOCUMENT), ExportColumn("文号", 18, wrap=True, group=DOCUMENT),
    ExportColumn("印发日期", 12, group=DOCUMENT),
    ExportColumn("主要内容", 44, wrap=True), ExportColumn("对应问题", 20, wrap=True),
]


def file_name() -> str:
    return f"制度成果台账_{file_stamp()}.xlsx"


def describe(actor, filters: RuleFilters) -> str:
    """The page has no filters yet; through the shared helper, one added later is described like every other."""
    return describe_filters(actor, filters, permission=VIEW)


def check_export(actor, filters: RuleFilters) -> None:
    if not has_permission(actor, VIEW):
        raise NotFound()
    filters.raise_if_invalid()


def rows(rules):
    for index, rule in enumerate(in_chunks(rules, CHUNK), start=1):
        yield [
            index, rule.unit.name, rule.title, rule.document_no, rule.issued_on, rule.summary,
            "、".join(format_problem_no(p.pk) for p in rule.problems.all()),
        ]


def export_rules(actor, filters: RuleFilters, target, *, report=None) -> dict:
    """Write the rules ledger to `target` (a path or binary file); audited. Returns the job's result."""
    check_export(actor, filters)
    # The page's own query: the current campaign's rules (all campaigns' when none is running).
    rules = queries.visible_rules(actor, campaign_queries.current_campaign(actor))
    total = rules.order_by().count()
    return export_ledger_file(actor, target, ledger_name=LEDGER_NAME, sheet="制度成果台账", columns=COLUMNS,
                              rows=rows(rules), total=total, report=report, action="rule_export",
                              filters=describe(actor, filters))
