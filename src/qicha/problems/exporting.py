"""The problem ledger as an Excel workbook (问题整改台账): exactly the filtered rows of the list, in the user's scope,
in the two-level layout staff keep by hand. Written straight to a file in constant-memory mode (flat memory).

The ledger has no sensitive fields (责任人 is a named official), so nothing needs masking; the audit says so."""

from operator import itemgetter

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from qicha.campaigns import queries as campaign_queries
from qicha.core.chunked import in_chunks
from qicha.core.errors import NotFound
from qicha.core.excel_export import ExportColumn, describe_filters, export_ledger_file, file_stamp
from qicha.core.scope import has_permission

from . import queries
from .importing import aspect_label, format_problem_no
from .models import FeedbackAspect, ProgressEntry, RectificationType, Source, Status

LEDGER_NAME = "七查七摆问题整改台账"
CHUNK = 2000

SITUATION, REQUIREMENT, RESPONSIBILITY, PROGRESS = "问题情况", "整改要求", "责任落实", "整改进展"
COLUMNS = [
    ExportColumn("序号", 5), ExportColumn("问题编号", 9),
    ExportColumn("责任单位", 12, wrap=True, group=SITUATION), ExportColumn("查摆事项", 12, wrap=True, group=SITUATION),
    ExportColumn("问题来源", 8, wrap=True, group=SITUATION), ExportColumn("问题描述", 30, wrap=True, group=SITUATION),
    ExportColumn("问题类别", 8, wrap=True, group=SITUATION),
    ExportColumn("整改类型", 8, wrap=True, group=REQUIREMENT),
    ExportColumn("整改措施", 26, wrap=True, group=REQUIREMENT), ExportColumn("整改时限", 11, group=REQUIREMENT),
    ExportColumn("责任领导", 8, wrap=True, group=RESPONSIBILITY),
    ExportColumn("责任部门", 10, wrap=True, group=RESPONSIBILITY), ExportColumn("责任人", 8, wrap=True, group=RESPONSIBILITY),
    ExportColumn("状态", 8, wrap=True, group=PROGRESS), ExportColumn("最新进展", 22, wrap=True, group=PROGRESS),
    ExportColumn("销号情况", 16, wrap=True, group=PROGRESS),
]


# What one ledger row reads, as plain values: a long export builds no model instances (five a row with the related
# unit, check item, owner and sign-off), which cost more than writing the row.
FIELDS = ("pk", "unit__name", "check_item__label", "check_item__title", "source", "description", "category",
          "rectification_type", "measures", "deadline", "responsible_leader", "responsible_department",
          "responsible_person_name", "status", "is_overdue", "latest_progress",
          "void_reason", "sign_off__signed_at", "sign_off__opinion")


def export_rows(user, filters: queries.ProblemFilters):
    """The list's rows (same filters, scope and order) with what the ledger shows beside them, as tuples of FIELDS
    (latest progress as a subquery, the related names by join: a constant number of queries a chunk)."""
    latest = ProgressEntry.objects.filter(problem=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
    return (
        queries.problem_list(user, filters)
        .prefetch_related(None)
        .annotate(latest_progress=Subquery(latest))
        .values_list(*FIELDS)
    )


def _sign_off_text(status: str, void_reason: str, signed_at, opinion) -> str:
    if signed_at is None:
        return "未销号" if status != Status.VOIDED else f"已作废：{void_reason}"
    return f"{timezone.localtime(signed_at):%Y-%m-%d} 已销号：{opinion}"


def rows(problems):
    sources, types, statuses = dict(Source.choices), dict(RectificationType.choices), dict(Status.choices)
    for index, (pk, unit, item_label, item_title, source, description, category, rectification_type, measures,
                deadline, leader, department, person_name, status, overdue, progress, void_reason,
                signed_at, opinion) in enumerate(in_chunks(problems, CHUNK, key=itemgetter(0)), start=1):
        yield [
            index, format_problem_no(pk),
            unit, f"{item_label}{item_title}" if item_label is not None else "", sources.get(source, source),
            description, category, types.get(rectification_type, rectification_type), measures, deadline,
            leader, department, person_name,
            statuses.get(status, status) + ("（逾期）" if overdue else ""), progress or "",
            _sign_off_text(status, void_reason, signed_at, opinion),
        ]


def file_name() -> str:
    return f"问题整改台账_{file_stamp()}.xlsx"


FLAG_LABELS = {"overdue": "只看逾期", "mine": "只看我负责的", "returned": "只看被退回的",
               "no_owner": "只看待落实责任人的问题", "rectifying": "只看待整改、整改中的", "due_within_days": "到期"}


def describe(actor, filters: queries.ProblemFilters) -> str:
    """The filters in words, for the sheet's heading and the job's name ("" for the whole ledger)."""

    def check_item(ordinal: int) -> str:
        campaign = (campaign_queries.visible_campaigns(actor).filter(pk=filters.campaign).first() if filters.campaign
                    else campaign_queries.current_campaign(actor))
        item = campaign.check_items.filter(ordinal=ordinal).first() if campaign else None
        return f"{item.label}{item.title}" if item else f"第{ordinal}项"

    def aspect(pk: int) -> str:
        found = FeedbackAspect.objects.filter(pk=pk).first()
        return aspect_label(found) if found else f"编号 {pk}"

    return describe_filters(actor, filters, permission="problem.view", labels=FLAG_LABELS, values={
        "status": dict(Status.choices), "rectification_type": dict(RectificationType.choices),
        "source": dict(Source.choices), "due_within_days": lambda days: f"{days} 日内", "check_item": check_item,
        "aspect": aspect})


def check_export(actor, filters: queries.ProblemFilters) -> None:
    """What must hold before an export starts: the ledger is the actor's to see, the filters are valid."""
    if not has_permission(actor, "problem.view"):
        raise NotFound()
    filters.raise_if_invalid()


def export_problems(actor, filters: queries.ProblemFilters, target, *, report=None) -> dict:
    """Write the filtered ledger to `target` (a path or binary file); audited. Returns the job's result."""
    check_export(actor, filters)
    problems = export_rows(actor, filters)
    total = problems.order_by().count()
    return export_ledger_file(actor, target, ledger_name=LEDGER_NAME, sheet="问题整改台账", columns=COLUMNS,
                              rows=rows(problems), total=total, report=report, action="problem_export",
                              filters=describe(actor, filters))
