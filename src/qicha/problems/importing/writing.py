"""Confirming an import: the stashed file is read and checked again, and its new problems are registered as it
goes — bulk inserts in ONE transaction through `services.register_problems`, all rows or none — with ONE audit
event naming the file (SHA-256 and SM3) and, per row, its number, its digest and the problem it became."""

from collections.abc import Callable, Iterator

from qicha.campaigns.models import Campaign
from qicha.core.errors import Invalid

from ..numbers import format_problem_no
from ..services.registration import NewProblem, register_problems
from .checking import STATUS_OK, Evaluation, check_rows, new_evaluation

KIND = "problems"


def write_file(actor, campaign: Campaign, data: bytes, file_name: str,
               progress: Callable[[int, str], None] | None = None) -> tuple[Evaluation, dict[str, str]]:
    """Check every row again and register the good new ones; any error anywhere writes nothing (Invalid).
    Returns the evaluation and, for the rows the preview page lists, Excel row → the new problem's number."""
    report = progress or (lambda percent, message: None)
    evaluation = new_evaluation(data, file_name, keep_rows=False)

    def new_problems() -> Iterator[NewProblem]:
        for row in check_rows(actor, campaign, data, file_name, evaluation, report, share=(0, 95), digests=True):
            # After the first error nothing more is handed over: the whole import is refused below.
            if row.status == STATUS_OK and not evaluation.errors_total:
                plan = dict(row.plan)
                unit, milestones = plan.pop("unit"), plan.pop("milestones")
                yield NewProblem(row.number, row.digest, unit, plan, milestones)
        if evaluation.errors_total:
            raise Invalid(f"导入文件中有 {evaluation.errors_total:,} 处错误，未导入任何问题。请重新上传并预览。")

    def skipped(created: int) -> int:  # known only once every row has been read
        return evaluation.total - created

    created = register_problems(
        actor, campaign=campaign, problems=new_problems(), object_repr=file_name[:300], action=KIND,
        audit=lambda count: {
            "file_name": file_name, "file_sha256": evaluation.sha256, "file_sm3": evaluation.sm3,
            "sheet": evaluation.sheet, "rows": evaluation.total, "skipped": skipped(count),
            "row_digest": "SM3 of the row's cells as text, trailing blanks dropped (core.excel_import.row_digest)"},
        detail=lambda count: f"从“{file_name[:100]}”导入问题 {count:,} 个，跳过 {skipped(count):,} 行")
    report(99, f"已写入 {len(created):,} 个问题")
    shown = {row.number for row in evaluation.sample}
    numbers = {str(row): format_problem_no(problem_id) for row, problem_id in created if row in shown}
    return evaluation, numbers
