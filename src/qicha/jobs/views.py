from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from qicha.core.errors import NotFound
from qicha.core.params import parse_id

from . import queries
from .services import open_result


def _job_or_404(request, pk):
    try:
        return queries.own_job(request.user, parse_id(pk))
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def job_list(request):
    jobs = queries.own_jobs(request.user)[:50]
    return render(request, "jobs/list.html", {"jobs": jobs, "breadcrumbs": [("我的后台任务", None)]})


@login_required
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    if request.htmx:
        response = render(request, "jobs/_progress.html", {"job": job})
        next_url = job.result.get("next_url") if job.status == "done" else None
        if next_url:
            response["HX-Redirect"] = next_url
        return response
    return render(request, "jobs/detail.html", {
        "job": job, "breadcrumbs": [("我的后台任务", reverse("jobs:list")), (f"任务 {job.pk}", None)]})


@login_required
def job_download(request, pk):
    job = _job_or_404(request, pk)
    handle = open_result(job)
    if handle is None:
        raise Http404("该任务没有可下载的结果文件（可能已清理），请重新生成")
    return FileResponse(handle, as_attachment=True, filename=job.result_name)
