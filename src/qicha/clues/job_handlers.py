"""Background jobs of the clue and case ledgers: their Excel exports."""

from qicha.jobs.registry import JobOutput, job_handler, ledger_export_handler

from . import case_exporting, case_queries, exporting, queries


@job_handler("clues.export", "导出线索核查台账")
def export_clues(context):
    params = context.params
    filters = queries.ClueFilters.from_params(params.get("filters") or {})
    path = context.output_path(exporting.file_name())
    result = exporting.export_clues(context.actor, filters, path, with_reporter=bool(params.get("with_reporter")),
                                    reason=params.get("reason", ""), report=context.progress)
    return JobOutput(result=result, file_name=path.name)


ledger_export_handler("cases.export", "导出案件督办台账", parse=case_queries.CaseFilters.from_params,
                      file_name=case_exporting.file_name, export=case_exporting.export_cases)
