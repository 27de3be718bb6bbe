from django.http import FileResponse
from django.urls import reverse
from ninja import Router, Schema

from qicha.core.errors import NotFound

from . import queries
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


def job_out(job) -> dict:
    return {
        "id": job.pk, "kind": job.kind, "label": job.label, "status": job.status, "progress": job.progress,
        "message": job.message, "result": job.result,
        "result_url": reverse("api-1.0.0:job_result", args=[job.pk]) if job.has_file else None,
    }


@router.get("/jobs/{int:job_id}", response=JobOut, summary="任务状态与进度")
def get_job(request, job_id: int):
    return job_out(queries.own_job(request.user, job_id))


@router.get("/jobs/{int:job_id}/result", url_name="job_result", summary="下载任务结果文件")
def get_job_result(request, job_id: int):
    job = queries.own_job(request.user, job_id)
    handle = open_result(job)
    if handle is None:
        raise NotFound("该任务没有可下载的结果文件")
    return FileResponse(handle, as_attachment=True, filename=job.result_name)
