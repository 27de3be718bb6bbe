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


def test_a_running_job_whose_lease_ran_out_is_failed_with_the_reason_and_retried_once(user, login, api, settings):
    """A worker killed mid-job stops renewing the job's lease; the page showing the job fails it (the periodic task
    does the same for all), says why, and offers 重试, which runs the same work again — once."""
    from datetime import timedelta

    from django.utils import timezone

    from qicha.core.errors import Conflict

    settings.JOB_LEASE_SECONDS = 90
    owner = user("liaison_chengxi")
    now = timezone.now()
    vanished = Job.objects.create(kind="test.write_file", label="测试导出", owner=owner, params={"n": 4},
                                  status="running", started_at=now - timedelta(minutes=5),
                                  heartbeat_at=now - timedelta(seconds=91), message="已处理 50%", progress=50)
    alive = Job.objects.create(kind="test.write_file", label="测试导出", owner=owner, params={"n": 5},
                               status="running", started_at=now - timedelta(minutes=5),
                               heartbeat_at=now - timedelta(seconds=30))
    client = login("liaison_chengxi")
    assert 'data-testid="job-retry"' not in client.get(f"/jobs/{alive.pk}/").content.decode()
    page = client.get(f"/jobs/{vanished.pk}/").content.decode()
    assert 'data-status="failed"' in page and services.VANISHED_MESSAGE in page and 'data-testid="job-retry"' in page
    vanished.refresh_from_db()
    alive.refresh_from_db()
    assert vanished.status == "failed" and vanished.interrupted and vanished.finished_at
    assert alive.status == "running"  # its worker still renews the lease
    assert api("liaison_chengxi").get(f"/api/v1/jobs/{vanished.pk}").json()["can_retry"] is True

    # Someone else cannot retry it; its owner can, once.
    assert login("office").post(f"/jobs/{vanished.pk}/retry/").status_code == 404
    response = client.post(f"/jobs/{vanished.pk}/retry/")
    again = Job.objects.get(params__retry_of=vanished.pk)
    assert response["Location"] == f"/jobs/{again.pk}/"
    assert again.status == "done" and again.result["rows"] == 4 and again.label == vanished.label
    assert client.post(f"/jobs/{vanished.pk}/retry/")["Location"] == f"/jobs/{vanished.pk}/"
    assert Job.objects.filter(params__retry_of=vanished.pk).count() == 1
    page = client.get(f"/jobs/{vanished.pk}/").content.decode()
    assert f"已重试，查看任务 {again.pk}" in page and 'data-testid="job-retry"' not in page
    with pytest.raises(Conflict):
        services.retry_job(owner, vanished)
    body = api("liaison_chengxi").get(f"/api/v1/jobs/{vanished.pk}").json()
    assert body["can_retry"] is False


def test_only_interrupted_jobs_are_retried_and_the_periodic_sweep_fails_every_vanished_job(user, api, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.JOB_LEASE_SECONDS = 60
    owner = user("liaison_chengxi")
    refused = services.start_job(owner, "test.refuse")
    with pytest.raises(Invalid):
        services.retry_job(owner, refused)
    assert api("liaison_chengxi").post(f"/api/v1/jobs/{refused.pk}/retry").status_code == 422

    # Jobs left running before leases existed (no heartbeat) count from when they started.
    old = timezone.now() - timedelta(minutes=2)
    left = [Job.objects.create(kind="test.write_file", label="测试导出", owner=owner, params={"n": 1},
                               status="running", started_at=old, heartbeat_at=beat) for beat in (None, old)]
    from qicha.jobs.tasks import fail_vanished_jobs

    fail_vanished_jobs.call_local()
    assert {job.status for job in Job.objects.filter(pk__in=[j.pk for j in left])} == {"failed"}
    started = api("liaison_chengxi").post(f"/api/v1/jobs/{left[0].pk}/retry")
    assert started.status_code == 202 and Job.objects.get(pk=started.json()["id"]).status == "done"
    assert api("liaison_chengxi").post(f"/api/v1/jobs/{left[0].pk}/retry").status_code == 409
