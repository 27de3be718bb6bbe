"""Background jobs of the clue and case ledgers: their Excel exports."""

from qicha.jobs.registry import JobOutput, job_handler, ledger_export_handler

from . import case_exporting, case_queries, exporting, import_jobs, queries


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


@job_handler("clues.import_preview", "导入线索清单：检查文件")
def import_preview(context):
    """Params: {"token", "campaign", "source", "batch_reference", "received_date"}. Result: the preview."""
    return JobOutput(result=import_jobs.run_preview(context.actor, context.params))


@job_handler("clues.import_confirm", "导入线索清单：写入线索")
def import_confirm(context):
    """Params: the preview's and "preview_job". The batch and all its clues in one transaction, or none."""
    return JobOutput(result=import_jobs.run_confirm(context.actor, context.params))
