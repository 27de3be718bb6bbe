"""Background jobs of the problem ledger. Each handler is a thin caller of the module doing the work."""

from django.urls import reverse

from qicha.jobs.registry import JobOutput, job_handler, ledger_export_handler

from . import exporting, importing, queries, rule_exporting

# ---------------------------------------------------------------------------------------------------------------
# Import (问题整改台账导入): preview, then confirm. Both read the upload stashed by the page or the API.


@job_handler("problems.import_preview", "导入问题整改台账：检查文件")
def import_preview(context):
    """Params: {"token": stash token, "campaign": id}. Result: the preview (rows_ok, errors…) and next_url."""
    result = importing.run_preview(context.actor, context.params, context.progress)
    result["next_url"] = reverse("problems:import_preview", args=[context.job.pk])
    return JobOutput(result=result)


@job_handler("problems.import_confirm", "导入问题整改台账：写入问题")
def import_confirm(context):
    """Params: {"token", "campaign", "preview_job"}. All rows in one transaction, or none."""
    result = importing.run_confirm(context.actor, context.params, context.progress)
    # The page stays on the outcome ("已导入 N 个问题…") with a button to the ledger.
    result["link_url"], result["link_label"] = reverse("problems:list"), "查看问题整改台账"
    return JobOutput(result=result)


# ---------------------------------------------------------------------------------------------------------------
# Export (问题整改台账导出): exactly the filtered rows of the list, in the owner's scope.

ledger_export_handler("problems.export", "导出问题整改台账", parse=queries.ProblemFilters.from_params,
                      file_name=exporting.file_name, export=exporting.export_problems)


# Export (制度成果台账导出): the rules the 制度成果 page lists, with only the problems the owner may see.

ledger_export_handler("problems.rule_export", "导出制度成果台账", parse=rule_exporting.RuleFilters.from_params,
                      file_name=rule_exporting.file_name, export=rule_exporting.export_rules)
