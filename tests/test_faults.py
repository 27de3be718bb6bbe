"""Faults a user would meet, made real: the disk filling up during an upload, the database unreachable.

The disk is made "full" for the upload only with the process's file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored):
the kernel then refuses the write past the limit with an OSError exactly where a full disk (ENOSPC) would.
bench/fault_drills.sh repeats it with a real full filesystem (a 1 MB tmpfs) under gunicorn.
"""

import resource
import signal
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qicha.core.models import Attachment
from qicha.problems.models import ProgressEntry

from .problem_helpers import register


@contextmanager
def disk_full_after(limit_bytes: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_disk_full_during_an_upload_is_refused_plainly_and_leaves_no_file(demo, login, settings):
    problem = register(demo)
    liaison = login("liaison_chengdong")

    def stored_files():
        return {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}

    before = stored_files()  # the demo's own evidence
    evidence = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
    upload = SimpleUploadedFile("整改佐证.pdf", evidence, content_type="application/pdf")
    with disk_full_after(64 * 1024):
        response = liaison.post(f"/problems/{problem.pk}/progress/", {"text": "已整改", "percent": 50, "files": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "服务器存储空间不足" in page and "整改佐证.pdf" in page and "本次提交未生效" in page
    # Nothing written: no progress entry, no attachment row, no file (not even the partial one).
    assert not ProgressEntry.objects.filter(problem=problem).exists()
    assert not Attachment.objects.filter(name="整改佐证.pdf").exists()
    assert stored_files() == before

    # Space again: the same upload goes through.
    upload.seek(0)
    response = liaison.post(f"/problems/{problem.pk}/progress/", {"text": "已整改", "percent": 50, "files": upload})
    assert response.status_code == 302
    assert ProgressEntry.objects.get(problem=problem).attachments.get().name == "整改佐证.pdf"


@pytest.mark.django_db
def test_an_unreachable_database_gives_a_chinese_page_not_a_stack_trace():
    """What gunicorn sends when PostgreSQL restarts under a request: the page the 500 handler renders without the
    database (bench/fault_drills.sh restarts a real PostgreSQL under load and records the same page)."""
    import sys

    from django.db import OperationalError
    from django.test import RequestFactory

    from qicha.core.errors_views import server_error

    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = server_error(RequestFactory().get("/problems/"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "系统暂时不可用" in page and "数据库正在重启或暂时无法连接" in page
    assert "127.0.0.1" not in page and "Traceback" not in page


def test_a_session_lost_with_the_database_is_the_unavailable_page_not_a_bare_400():
    """SessionMiddleware turns a session save that failed because PostgreSQL went away into SessionInterrupted
    (400, English by default): seen in the restart drill. It gets the Chinese unavailable page."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.db import OperationalError
    from django.test import RequestFactory

    from qicha.core.errors_views import bad_request

    def save_session():  # as django.contrib.sessions.backends.db.SessionStore.save does
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError  # noqa: B904 — Django's own code; the context is what the handler reads

    try:
        try:
            save_session()
        except UpdateError:  # as SessionMiddleware.process_response does
            raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904
    except SessionInterrupted as exc:
        interrupted = exc
    response = bad_request(RequestFactory().get("/"), interrupted)
    assert response.status_code == 503 and "系统暂时不可用" in response.content.decode()
    plain = bad_request(RequestFactory().get("/"), SessionInterrupted("deleted by a concurrent logout"))
    assert plain.status_code == 400 and "请求无效" in plain.content.decode()


def test_a_job_cut_off_by_a_killed_worker_ends_failed_before_the_worker_restarts_and_can_be_run_again(user, login):
    """What a killed worker leaves: the job claimed ("running") and nothing else. The worker unit's ExecStartPre
    (`fail_interrupted_jobs`) marks it failed with the reason; the owner sees it and submits again."""
    from django.core.management import call_command

    from qicha.jobs import services
    from qicha.jobs.models import Job

    from . import test_jobs  # noqa: F401 — registers the "test.write_file" job kind

    owner = user("liaison_chengxi")
    cut_off = Job.objects.create(kind="test.write_file", label="测试导出", owner=owner, params={"n": 2},
                                 status="running", message="正在处理…")
    call_command("fail_interrupted_jobs")
    cut_off.refresh_from_db()
    assert cut_off.status == "failed" and "重新提交" in cut_off.message and cut_off.finished_at
    page = login("liaison_chengxi").get(f"/jobs/{cut_off.pk}/").content.decode()
    assert "后台进程在执行中被停止" in page
    again = services.start_job(owner, "test.write_file", {"n": 2})
    assert again.status == "done" and again.result["rows"] == 2
