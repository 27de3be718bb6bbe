from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.params import parse_id

from . import queries, services
from .services import open_result
from .web import job_redirect


def _job_or_404(request, pk):
    try:
        return queries.own_job(request.user, parse_id(pk))
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _swept(jobs: list) -> list:
    """A running job whose worker vanished is shown failed, with the reason, as soon as its lease has run out."""
    running = [job for job in jobs if job.status == "running"]
    if running and services.fail_vanished_jobs(running):
        for job in running:
            job.refresh_from_db()
    return jobs


@login_required
def job_list(request):
    jobs = _swept(list(queries.own_jobs(request.user)[:50]))
    return render(request, "jobs/list.html", {"jobs": jobs, "breadcrumbs": [("我的后台任务", None)]})


@login_required
def job_detail(request, pk):
    job = _swept([_job_or_404(request, pk)])[0]
    context = {"job": job, "retried": services.retry_of(job) if job.interrupted else None}
    if request.htmx:
        response = render(request, "jobs/_progress.html", context)
        next_url = job.result.get("next_url") if job.status == "done" else None
        if next_url:
            response["HX-Redirect"] = next_url
        return response
    return render(request, "jobs/detail.html", context | {
        "breadcrumbs": [("我的后台任务", reverse("jobs:list")), (f"任务 {job.pk}", None)]})


@login_required
@require_POST
def job_retry(request, pk):
    """重试: an interrupted job starts again (POST only: it starts work on the user's behalf)."""
    job = _job_or_404(request, pk)
    try:
        again = services.retry_job(request.user, job)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("jobs:detail", pk=job.pk)
    return job_redirect(request, again)


@login_required
def job_download(request, pk):
    job = _job_or_404(request, pk)
    handle = open_result(job)
    if handle is None:
        raise Http404("该任务没有可下载的结果文件（可能已清理），请重新生成")
    return FileResponse(handle, as_attachment=True, filename=job.result_name)
