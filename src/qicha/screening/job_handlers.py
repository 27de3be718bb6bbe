"""The comparison run as a background job (the engine can take minutes on a province's registers)."""

from qicha.core.errors import NotFound
from qicha.jobs.registry import JobOutput, job_handler

from .models import Run
from .services.runs import JOB_KIND, execute_run, fail_run


@job_handler(JOB_KIND, "数据比对")
def run_comparison(context) -> JobOutput:
    run = Run.objects.filter(pk=context.params.get("run")).first()
    if run is None:
        raise NotFound()
    try:
        result = execute_run(context.actor, run, progress=context.progress)
    except Exception as exc:
        fail_run(run.pk, getattr(exc, "message", "") or "比对出错，请查看系统日志。")
        raise
    return JobOutput(result=result)
