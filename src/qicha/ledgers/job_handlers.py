"""Background jobs of the sector ledgers: the export (exactly the filtered rows of the list, in the owner's scope) and
the API's import (preview, confirm)."""

from qicha.jobs.registry import JobOutput, job_handler, ledger_export_handler

from . import exporting, import_jobs

ledger_export_handler("ledgers.export", "导出专项治理台账", parse=exporting.parse, file_name=exporting.file_name,
                      export=exporting.export_rows)


@job_handler(import_jobs.PREVIEW_JOB, "导入专项治理台账：检查文件")
def import_preview(context):
    """Params: {"token", "definition", "file_name"}. Result: the preview (rows_ok, rows_existing, errors …)."""
    return JobOutput(result=import_jobs.run_preview(context.actor, context.params))


@job_handler(import_jobs.CONFIRM_JOB, "导入专项治理台账：写入记录")
def import_confirm(context):
    """Params: the preview's and "preview_job". Every row in one transaction, or none."""
    return JobOutput(result=import_jobs.run_confirm(context.actor, context.params))
