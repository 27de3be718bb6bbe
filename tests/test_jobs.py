"""Background jobs: progress, result files only for their owner, failures in Chinese, and the real worker."""

import signal
import time

import pytest
from huey.contrib.djhuey import HUEY

from qicha.core.errors import Invalid
from qicha.jobs import services
from qicha.jobs.models import Job
from qicha.jobs.registry import JobOutput, job_handler

PROGRESS_SEEN = []


@job_handler("test.write_file", "测试导出")
def write_file(context):
    for percent in (10, 50, 90):
        context.progress(percent, f"已处理 {percent}%")
        PROGRESS_SEEN.append(Job.objects.get(pk=context.job.pk).progress)
    path = context.output_path("结果.txt")
    path.write_text(f"{context.actor.username}:{context.params['n']}", encoding="utf-8")
    return JobOutput(result={"rows": context.params["n"], "message": "已导出 3 行"}, file_name=path.name)


@job_handler("test.refuse", "测试失败")
def refuse(context):
    raise Invalid("第 3 行“整改时限”不是有效日期")


@job_handler("test.crash", "测试崩溃")
def crash(context):
    raise RuntimeError("boom")


def test_job_reports_progress_and_only_its_owner_downloads(user, login, api):
    PROGRESS_SEEN.clear()
    owner = user("liaison_chengxi")
    job = services.start_job(owner, "test.write_file", {"n": 3})
    assert job.status == "done" and job.progress == 100 and job.message == "已导出 3 行"
    assert PROGRESS_SEEN == [10, 50, 90]

    page = login("liaison_chengxi").get(f"/jobs/{job.pk}/")
    assert "已完成" in page.content.decode() and "下载 结果.txt" in page.content.decode()
    download = login("liaison_chengxi").get(f"/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content).decode() == "liaison_chengxi:3"

    # Someone else — even the office — cannot see or fetch it, by page or API.
    office = login("office")
    assert office.get(f"/jobs/{job.pk}/").status_code == 404
    assert office.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert api("office").get(f"/api/v1/jobs/{job.pk}").status_code == 404
    body = api("liaison_chengxi").get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "done" and body["progress"] == 100 and body["result"] == {"rows": 3, "message": "已导出 3 行"}
    assert api("liaison_chengxi").get(body["result_url"]).status_code == 200


def test_failed_job_says_why_in_chinese(user):
    owner = user("liaison_chengxi")
    refused = services.start_job(owner, "test.refuse")
    assert refused.status == "failed" and refused.message == "第 3 行“整改时限”不是有效日期"
    crashed = services.start_job(owner, "test.crash")
    assert crashed.status == "failed" and crashed.message == services.FAILED_MESSAGE
    assert not crashed.has_file


def test_unknown_kind_is_refused(user):
    with pytest.raises(Invalid):
        services.start_job(user("liaison_chengxi"), "no.such.kind")


def test_old_result_files_are_purged(user):
    from datetime import timedelta

    from django.utils import timezone

    job = services.start_job(user("liaison_chengxi"), "test.write_file", {"n": 1})
    assert services.purge_old_results(timezone.now() + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert not job.has_file and "清理" in job.message


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_queued_jobs(settings, tmp_path):
    """Not eager: the job is queued in the SQLite queue file and a consumer thread picks it up."""
    from qicha.core.registry import PROBLEMS, load_demo_data

    from .conftest import DEMO_PASSWORD

    load_demo_data(DEMO_PASSWORD, through=PROBLEMS)
    from qicha.orgs.models import User

    owner = User.objects.get(username="liaison_chengxi")
    # The SQLite queue lives in this test's own directory: parallel test workers, or a `make run` in the same
    # checkout, never share (or drain) it. On Redis (CI's last pass) the queue is database 15, used by nothing else.
    queue_file = HUEY.storage_kwargs.get("filename")
    if queue_file:
        HUEY.storage_kwargs["filename"] = str(tmp_path / "jobs.sqlite3")
    HUEY.immediate = False
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        job = services.start_job(owner, "test.write_file", {"n": 7})
        assert job.status == "queued"
        deadline = time.monotonic() + 60  # generous for a loaded machine; the loop ends as soon as the job is done
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
        assert job.status == "done" and job.result["rows"] == 7
    finally:
        consumer.stop(graceful=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        HUEY.immediate = True
        if queue_file:
            HUEY.storage_kwargs["filename"] = queue_file
