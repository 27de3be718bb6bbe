"""Background jobs of the supervision ledgers: their Excel exports."""

from qicha.jobs.registry import JobOutput, job_handler

from . import exporting
from .queries import accountability as accountability_queries
from .queries import inspections as inspection_queries


def _filters(context) -> dict:
    return context.params.get("filters") or {}


@job_handler("letters.export", "导出责任书承诺书签订台账")
def export_letters(context):
    path = context.output_path(exporting.letter_file_name())
    result = exporting.export_letters(context.actor, exporting.LetterFilters.from_params(_filters(context)), path,
                                      report=context.progress)
    return JobOutput(result=result, file_name=path.name)


@job_handler("inspections.export", "导出督导检查台账")
def export_inspections(context):
    path = context.output_path(exporting.inspection_file_name())
    filters = inspection_queries.InspectionFilters.from_params(_filters(context))
    result = exporting.export_inspections(context.actor, filters, path, report=context.progress)
    return JobOutput(result=result, file_name=path.name)


@job_handler("accountability.export", "导出问责台账")
def export_accountability(context):
    path = context.output_path(exporting.accountability_file_name())
    filters = accountability_queries.AccountabilityFilters.from_params(_filters(context))
    result = exporting.export_accountability(context.actor, filters, path, report=context.progress)
    return JobOutput(result=result, file_name=path.name)
