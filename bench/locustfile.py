"""Load scenario (issue 21): the real mix of roles against the production setup on the city-scale data.

Run through bench/run_load.sh (it starts nginx → gunicorn → PostgreSQL, the Huey worker on Redis, and this on
loopback, bounded in time). Weights follow who uses qicha most: district liaisons open the 工作台, filter the
problem ledger, open problems, add progress with an attachment and export their ledger (waiting for the job); the
campaign office signs problems off and assigns clues; leaders read the 工作台 and the reporting matrix (the cockpit
is not on this branch yet).

Every request is named by its page, so Locust's table gives p50/p95/p99 per page. A request counts as failed on any
status but the expected one (a 422 on a sign-off another office user won a moment earlier is expected).
"""

import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("QICHA_LOAD_PASSWORD", "Bench-Pass-2026!")
LIAISONS = ["liaison_chengdong", "liaison_chengxi", "liaison_nanshan", "liaison_beihu", "liaison_city"]
PROBLEM_LINK = re.compile(r'href="/problems/(\d+)/"')
CLUE_BOX = re.compile(r'name="clue" value="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
UNIT_OPTION = re.compile(r'<select name="unit"[^>]*>.*?<option value="(\d+)"', re.S)
# A one-page PDF (the type is read from the bytes; this is a real, minimal one).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
JOB_WAIT_SECONDS = float(os.environ.get("QICHA_LOAD_JOB_WAIT", "120"))


class QichaUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)  # a person reads the page before the next click
    username = ""

    def on_start(self):
        self.client.get("/login/", name="登录页")
        response = self.client.post("/login/", {"username": self.username, "password": PASSWORD,
                                                "csrfmiddlewaretoken": self._csrf()},
                                    name="登录", allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in: {response.status_code}")

    def _csrf(self) -> str:
        return self.client.cookies.get("qicha_csrftoken", "")

    def _post(self, url, data, name, files=None, ok=(302,)):
        with self.client.post(url, data={**data, "csrfmiddlewaretoken": self._csrf()}, files=files, name=name,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"{response.status_code}")
            return response

    def _page(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response


class Liaison(QichaUser):
    weight = 6

    def on_start(self):
        self.username = random.choice(LIAISONS)
        super().on_start()
        self.problem_ids = []
        self.workable_ids = []  # open / in progress: the ones progress may be added to

    @task(4)
    def workbench(self):
        self._page("/", "工作台")

    @task(4)
    def ledger_filtered(self):
        status = random.choice(["open", "in_progress", "submitted", ""])
        page = random.randint(1, 5)
        response = self._page(f"/problems/?status={status}&page={page}", "问题台账（筛选）")
        ids = PROBLEM_LINK.findall(response.text or "")
        self.problem_ids = ids or self.problem_ids
        if status in ("open", "in_progress"):
            self.workable_ids = ids or self.workable_ids

    @task(2)
    def ledger_keyword(self):
        self._page(f"/problems/?overdue=1&q=整改{random.randint(1, 99)}", "问题台账（逾期+关键词）")

    @task(3)
    def problem_detail(self):
        if self.problem_ids:
            self._page(f"/problems/{random.choice(self.problem_ids)}/", "问题详情")

    @task(1)
    def add_progress(self):
        if not self.workable_ids:
            return
        pk = random.choice(self.workable_ids)
        self._post(f"/problems/{pk}/progress/",
                   {"text": f"压力测试整改进展 {time.time():.0f}", "percent": random.randint(10, 90)},
                   "添加整改进展（附件）", files={"files": ("佐证材料.pdf", PDF, "application/pdf")})

    @task(1)
    def export_and_wait(self):
        response = self._post("/jobs/export/problems/?status=in_progress", {}, "导出台账（提交）")
        match = re.search(r"/jobs/(\d+)/", response.headers.get("Location", ""))
        if not match:
            return
        job_id = match[1]
        deadline = time.monotonic() + JOB_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(2)
            with self.client.get(f"/api/v1/jobs/{job_id}", name="导出任务进度（API）", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"{r.status_code}")
                    return
                status = r.json().get("status")
            if status == "done":
                self._page(f"/jobs/{job_id}/download/", "下载导出结果")
                return
            if status == "failed":
                events.request.fire(request_type="JOB", name="导出任务", response_time=0, response_length=0,
                                    exception=RuntimeError("job failed"))
                return
        events.request.fire(request_type="JOB", name="导出任务", response_time=JOB_WAIT_SECONDS * 1000,
                            response_length=0, exception=RuntimeError("job not finished in time"))


class Office(QichaUser):
    weight = 2
    username = "office"

    @task(2)
    def workbench(self):
        self._page("/", "工作台")

    @task(3)
    def sign_off(self):
        response = self._page(f"/problems/?status=submitted&page={random.randint(1, 20)}", "问题台账（待销号）")
        ids = PROBLEM_LINK.findall(response.text or "")
        if not ids:
            return
        pk = random.choice(ids)
        detail = self._page(f"/problems/{pk}/", "问题详情")
        version = VERSION.search(detail.text or "")
        if not version:
            return
        data = {"opinion": "经审核，整改到位，同意销号。", "version": version[1]}
        data |= {f"check_{key}": "on" for key in ("facts_clear", "rectified", "responsibility_fixed", "public_satisfied", "loophole_closed", "weakness_fixed")}
        # Another office user may have signed this one off a moment earlier: the loser gets the page again with
        # the conflict message (422), never an error page.
        self._post(f"/problems/{pk}/actions/sign_off/", data, "销号", ok=(302, 422))

    @task(2)
    def assign_clue(self):
        response = self._page(f"/clues/?status=received&page={random.randint(1, 10)}", "线索列表（待分办）")
        ids = CLUE_BOX.findall(response.text or "")
        unit = UNIT_OPTION.search(response.text or "")
        if ids and unit:
            self._post("/clues/assign/", {"clue": random.choice(ids), "unit": unit[1], "handler": ""}, "分办线索")

    @task(1)
    def clue_list(self):
        self._page("/clues/", "线索列表")


class Leader(QichaUser):
    weight = 1
    username = "leader"

    @task(3)
    def workbench(self):
        self._page("/", "工作台")

    @task(1)
    def reporting_matrix(self):
        self._page("/reporting/", "报送矩阵")

    @task(1)
    def ledger(self):
        self._page("/problems/", "问题台账")

    @task(1)
    def cockpit(self):
        self._page("/dashboard/", "统计看板")
