from django.http import FileResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from qicha.core.errors import NotFound

from . import queries, services
from .services import open_result

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress: int
    message: str
    result: dict
    result_url: str | None
    can_retry: bool


def job_out(job) -> dict:
    return {
        "id": job.pk, "kind": job.kind, "label": job.label, "status": job.status, "progress": job.progress,
        "message": job.message, "result": job.result,
        "result_url": reverse("api-1.0.0:job_result", args=[job.pk]) if job.has_file else None,
        "can_retry": job.interrupted and services.retry_of(job) is None,
    }


class JobStarted(Schema):
    id: int
    status: str


@router.get("/jobs/{int:job_id}", response=JobOut, summary="任务状态与进度")
def get_job(request, job_id: int):
    job = queries.own_job(request.user, job_id)
    if job.status == "running" and services.fail_vanished_jobs([job]):
        job.refresh_from_db()  # its worker vanished: failed, with the reason, and can_retry
    return job_out(job)


@router.post("/jobs/{int:job_id}/retry", response={202: JobStarted},
             summary="重试因后台进程中断而失败的任务（同样的参数；导入确认重新读取暂存的文件），每个任务只能重试一次")
def retry_job(request, job_id: int):
    again = services.retry_job(request.user, queries.own_job(request.user, job_id))
    return Status(202, {"id": again.pk, "status": again.status})


@router.get("/jobs/{int:job_id}/result", url_name="job_result", summary="下载任务结果文件")
def get_job_result(request, job_id: int):
    job = queries.own_job(request.user, job_id)
    handle = open_result(job)
    if handle is None:
        raise NotFound("该任务没有可下载的结果文件")
    return FileResponse(handle, as_attachment=True, filename=job.result_name)
