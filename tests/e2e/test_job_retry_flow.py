"""In Chromium: an export whose worker was killed shows 失败 with the reason once its lease has run out, and 重试 (a
form inside the polled progress fragment) runs it again to a downloadable file."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e


def test_office_retries_an_export_cut_off_by_a_killed_worker(page_for, screenshot, live_server):
    from qicha.jobs.models import Job
    from qicha.orgs.models import User

    long_ago = timezone.now() - timedelta(minutes=10)
    cut_off = Job.objects.create(kind="problems.export", label="导出问题整改台账", params={"ledger": "problems", "filters": {}},
                                 owner=User.objects.get(username="office"), status="running", progress=40,
                                 message="已写入 400 行", started_at=long_ago, heartbeat_at=long_ago)
    office = page_for("office")
    office.goto(f"{live_server.url}/jobs/{cut_off.pk}/")
    progress = office.get_by_test_id("job-progress")
    assert progress.get_attribute("data-status") == "failed"
    assert office.get_by_test_id("job-message").inner_text() == "后台进程中断，任务未完成，可重试"
    screenshot(office, "job-interrupted")

    office.get_by_test_id("job-retry").click()
    office.wait_for_url(f"{live_server.url}/jobs/*/")
    assert office.url != f"{live_server.url}/jobs/{cut_off.pk}/"
    office.get_by_test_id("job-download").wait_for()
    assert office.get_by_test_id("job-status").inner_text() == "已完成"
    office.goto(f"{live_server.url}/jobs/{cut_off.pk}/")
    assert "已重试，查看任务" in office.get_by_test_id("job-retried").inner_text()
