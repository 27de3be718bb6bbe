"""Background jobs of the campaigns app: the self-inspection ledger's Excel export."""

from qicha.jobs.registry import JobOutput, job_handler

from . import exporting, queries


@job_handler("campaigns.self_inspection_export", "导出自查自纠台账")
def export_self_inspections(context):
    """Exactly the units the coverage page lists for the same filters, in the owner's coverage scope."""
    filters = queries.CoverageFilters.from_params(context.params.get("filters") or {})
    path = context.output_path(exporting.file_name())
    result = exporting.export_self_inspections(context.actor, filters, path, report=context.progress)
    return JobOutput(result=result, file_name=path.name)
