"""Background work of the summaries: the Word document is built in the worker, with progress."""

from datetime import date

from qicha.jobs.registry import JobOutput, job_handler

from . import services


@job_handler("documents.summary", "生成总结Word文档")
def generate_summary(context):
    written = services.generate_document(
        context.actor, context.params.get("campaign"), context.params.get("kind", ""),
        output_path_for=context.output_path, progress=context.progress,
        as_of=date.fromisoformat(context.params["as_of"]) if context.params.get("as_of") else None,
    )
    path = written["path"]
    return JobOutput(result={"message": f"已生成《{written['title']}》，含统计表 {written['tables']} 张",
                             "tables": written["tables"]}, file_name=path.name)
