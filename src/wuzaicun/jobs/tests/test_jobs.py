"""下载中心 on the database backend, end to end: submit → the worker runs → progress → the owner's download."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from wuzaicun.accounts.roles import Perm
from wuzaicun.audit.models import Action, AuditEntry
from wuzaicun.jobs import liveness, registry, runner, services
from wuzaicun.jobs.files import job_dir, result_path
from wuzaicun.jobs.liveness import current_mark, this_place
from wuzaicun.jobs.models import Job, JobState
from wuzaicun.jobs.rules import WorkerMark
from wuzaicun.jobs.runner import JobRun
from wuzaicun.jobs.tasks import run_job
from wuzaicun.jobs.worker import drain, start_housekeeping
from wuzaicun.registry.models import Household
from wuzaicun.tabular.tests import sheets
from wuzaicun.tabular.tests.sheets import HOUSEHOLD_HEADERS


@pytest.fixture
def probe_kind():
    """A kind that reports half-way, reads back what the page would show, and attaches a small file."""
    seen: dict[str, object] = {}

    def probe(run: JobRun):
        run.report(rows=5, total=10, errors=1, stage="测试", force=True)
        job = Job.objects_unscoped.get(pk=run.job.pk)
        seen.update(progress=job.progress, rows=job.rows_done, errors=job.errors, state=job.state)
        if run.params.get("fail"):
            raise RuntimeError("boom")
        target = run.temp_path(".txt")
        target.write_text("结果", encoding="utf-8")
        run.attach(target, "结果.txt")
        return {"message": "测试完成"}

    registry.register_job_kind("test_probe", probe, title="测试")
    yield seen
    registry._KINDS.pop("test_probe", None)


def test_a_large_export_becomes_a_job_the_worker_runs_and_only_its_owner_downloads(world, client_for, settings):
    settings.JOB_EXPORT_ROWS = 2  # county A has 6 households: over the line
    owner, other = client_for("county_a"), client_for("county_b")

    response = owner.post("/imports/households/export/", {"region": "520302"})

    job = Job.objects_unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.QUEUED and job.label == "导出贫困户" and job.user.username == "county_a"
    assert DBTaskResult.objects.filter(pk=job.task_id).exists()  # the task id ties the job to django-tasks
    assert "排队中" in owner.get(f"/jobs/{job.pk}/").text

    assert drain() == 1

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100
    assert job.rows_done == 6 and job.rows_total == 6 and job.message == "已导出贫困户 6 行"
    assert job.expires_at > timezone.now() + timedelta(days=6)
    page = owner.get(f"/jobs/{job.pk}/")
    assert "已完成" in page.text and "下载贫困户.xlsx" in page.text and "hx-trigger" not in page.text
    assert "导出贫困户" in owner.get("/jobs/").text

    download = owner.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {h.head_name for code in ("520302001001", "520302001002") for h in world.households[code]}
    assert AuditEntry.objects_unscoped.filter(action=Action.EXPORT, summary__startswith="下载任务结果：导出贫困户").count() == 1

    # Another user, even a county's administrator, does not see the job at all.
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", f"/api/jobs/{job.pk}", f"/api/jobs/{job.pk}/result"):
        assert other.get(url).status_code == 404, url
    assert "导出贫困户" not in other.get("/jobs/").text
    assert other.get("/api/jobs").json() == []
    assert owner.get("/api/jobs").json()[0]["state"] == "done"


def test_a_small_export_stays_in_the_request(world, client_for):
    response = client_for("county_a").post("/imports/households/export/", {"region": "520302"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert not Job.objects_unscoped.exists()


def test_progress_is_written_while_the_job_runs(world, probe_kind):
    job = services.submit("test_probe", user=world.users["reporter_a"], params={}, label="测试任务")
    drain()
    assert probe_kind == {"progress": 50, "rows": 5, "errors": 1, "state": "running"}
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result_name == "结果.txt" and job.message == "测试完成"


def test_a_failed_job_says_so_in_chinese_and_retry_twice_runs_once(world, probe_kind):
    job = services.submit("test_probe", user=world.users["county_a"], params={"fail": True}, label="测试任务")
    drain()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "重试" in job.message and not job.result_file
    assert not list(result_path("x").parent.glob(".*.part"))  # its unfinished file is gone

    job.params = {}
    job.save(update_fields=["params"])
    tasks_before = DBTaskResult.objects.count()
    first = services.retry(world.users["county_a"], job.pk)
    second = services.retry(world.users["county_a"], job.pk)
    assert first.attempt == second.attempt == 2 and second.state == JobState.QUEUED
    assert DBTaskResult.objects.count() == tasks_before + 1  # one run queued for two clicks

    run_job.enqueue(str(job.pk), 1)  # a stale task of the first run, delivered late: does nothing
    assert drain() == 2
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempt == 2
    with pytest.raises(Exception, match="无需重试"):
        services.retry(world.users["county_a"], job.pk)


def test_cancel_a_queued_job_and_nobody_else_may(world, probe_kind, client_for):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="测试任务")
    assert client_for("county_b").post(f"/jobs/{job.pk}/cancel/").status_code == 404
    response = client_for("county_a").post(f"/jobs/{job.pk}/cancel/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    drain()  # its task finds it cancelled and does nothing
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not job.result_file


def test_cancel_mid_import_rolls_back_every_row(world, client_for, tmp_path, settings, monkeypatch):
    """A large upload is checked by one job, imported by another; cancelled while writing, nothing stays."""
    settings.JOB_IMPORT_BYTES = 10
    client = client_for("county_a")
    before = Household.objects_unscoped.count()
    path = sheets.write_csv(tmp_path / "户.csv", sheets.table(HOUSEHOLD_HEADERS, [sheets.household() for _ in range(30)]))

    response = client.post("/imports/households/upload/", {"file": SimpleUploadedFile("户.csv", path.read_bytes())})
    check = Job.objects_unscoped.get()
    assert response["Location"] == f"/jobs/{check.pk}/"
    drain()
    check.refresh_from_db()
    assert check.state == JobState.DONE and check.outcome["ok"] and check.rows_done == 30
    assert "bi-check2-circle\"></i> 确认导入" in client.get(f"/jobs/{check.pk}/").text

    client.post(f"/jobs/{check.pk}/commit/")
    client.post(f"/jobs/{check.pk}/commit/")  # a second click shows the same job
    commit = Job.objects_unscoped.get(kind="import_commit")

    original = JobRun.report

    def cancel_while_writing(self, **kwargs):
        if kwargs.get("stage") == "写入数据库":  # the user clicks 取消 once rows are written, not yet committed
            Job.objects_unscoped.filter(pk=self.job.pk).update(cancel_requested=True)
            kwargs["force"] = True
        return original(self, **kwargs)

    monkeypatch.setattr(JobRun, "report", cancel_while_writing)
    drain()
    commit.refresh_from_db()
    assert commit.state == JobState.CANCELLED and "未写入任何数据" in commit.message
    assert Household.objects_unscoped.count() == before
    assert not AuditEntry.objects_unscoped.filter(action=Action.IMPORT).exists()

    monkeypatch.setattr(JobRun, "report", original)
    services.retry(world.users["county_a"], commit.pk)
    drain()
    commit.refresh_from_db()
    assert commit.state == JobState.DONE and commit.outcome["imported"] == 30
    assert Household.objects_unscoped.count() == before + 30


def test_a_large_upload_with_problems_gives_the_marked_file(world, client_for, tmp_path, settings):
    settings.JOB_IMPORT_BYTES = 10
    client = client_for("county_a")
    rows = [sheets.household(), sheets.household(家庭人口=0)]
    path = sheets.write_csv(tmp_path / "户.csv", sheets.table(HOUSEHOLD_HEADERS, rows))
    client.post("/imports/households/upload/", {"file": SimpleUploadedFile("户.csv", path.read_bytes())})
    drain()
    job = Job.objects_unscoped.get()
    assert job.state == JobState.DONE and job.errors == 1 and not job.outcome["ok"]
    page = client.get(f"/jobs/{job.pk}/").text
    assert "第3行 [家庭人口]" in page and "bi-check2-circle" not in page and "户-错误标注.xlsx" in page
    assert client.post(f"/jobs/{job.pk}/commit/").status_code == 400


def test_expired_results_are_purged(world, probe_kind, client_for):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="测试任务")
    drain()
    job.refresh_from_db()
    path = result_path(job.result_file)
    assert path.is_file()
    Job.objects_unscoped.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    out = io.StringIO()
    call_command("jobs", "purge", stdout=out)

    assert "已删除过期的结果文件 1 个" in out.getvalue()
    assert not path.exists()
    job.refresh_from_db()
    assert not job.has_result
    assert client_for("county_a").get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "已过期删除" in client_for("county_a").get("/jobs/").text


def test_an_expired_result_is_not_downloaded_even_before_the_purge(world, probe_kind, client_for):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="测试任务")
    drain()
    job.refresh_from_db()
    assert client_for("county_a").get(f"/jobs/{job.pk}/download/").status_code == 200
    Job.objects_unscoped.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert result_path(job.result_file).is_file()  # not purged yet
    assert client_for("county_a").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_full_id_result_needs_the_reveal_permission_still(world, probe_kind, client_for):
    owner = world.users["county_a"]
    job = services.submit("test_probe", user=owner, params={"full_ids": True}, label="测试任务")
    drain()
    assert client_for("county_a").get(f"/jobs/{job.pk}/download/").status_code == (200 if owner.can(Perm.REVEAL_ID) else 404)
    type(owner).objects_unscoped.filter(pk=owner.pk).update(role="leader")  # a role without 查看完整身份证号
    assert client_for("county_a").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_each_job_end_purges_what_expired(world, probe_kind):
    old = services.submit("test_probe", user=world.users["county_a"], params={}, label="旧任务")
    drain()
    old.refresh_from_db()
    Job.objects_unscoped.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    services.submit("test_probe", user=world.users["county_a"], params={}, label="新任务")
    drain()
    assert not result_path(old.result_file).exists()


def test_a_dead_run_may_be_retried_a_live_one_not(world, probe_kind, settings):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="测试任务")
    Job.objects_unscoped.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=timezone.now())
    assert services.retry(world.users["county_a"], job.pk).state == JobState.RUNNING  # still alive: left alone
    Job.objects_unscoped.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert services.retry(world.users["county_a"], job.pk).state == JobState.QUEUED
    drain()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempt == 2


def _gone_pid() -> int:
    """The pid of a process that has just ended (a child we started and waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_worker_not_yet_reaped_by_its_parent_counts_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert liveness.process_alive(WorkerMark(place=this_place(), pid=child.pid,
                                                 started=liveness.process_started(child.pid) or ""))
        child.kill()
        for _ in range(100):  # the zombie stays until wait(); its state turns Z at once
            if liveness.process_started(child.pid) is None:
                break
            time.sleep(0.02)
        assert not liveness.process_alive(WorkerMark(place=this_place(), pid=child.pid))
    finally:
        child.wait()


def _running_on(job: Job, mark: WorkerMark, *, silent: timedelta) -> None:
    Job.objects_unscoped.filter(pk=job.pk).update(state=JobState.RUNNING, worker=mark.encode(),
                                                  heartbeat_at=timezone.now() - silent)


def test_a_run_whose_worker_process_is_gone_shows_interrupted_on_the_page_with_retry(world, client_for, probe_kind):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="被强制结束的任务")
    dead = WorkerMark(place=this_place(), pid=_gone_pid(), started="1", db_session="")
    _running_on(job, dead, silent=timedelta(seconds=3))  # its last progress only seconds ago
    leftover = job_dir() / f".{job.pk}-{job.attempt}-abcd1234.xlsx.part"
    leftover.write_bytes(b"half a workbook")

    page = client_for("county_a").get(f"/jobs/{job.pk}/").text

    job.refresh_from_db()
    assert job.state == JobState.INTERRUPTED and "已中断" in page and "重试" in page
    assert "未写入任何数据" in job.message and not leftover.exists()
    services.retry(world.users["county_a"], job.pk)
    services.retry(world.users["county_a"], job.pk)  # a second click: still one run queued
    assert DBTaskResult.objects.count() == 2  # the killed run's task and one retry's
    drain()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempt == 2 and probe_kind["state"] == JobState.RUNNING


def test_a_live_worker_silent_for_hours_is_not_interrupted(world, client_for, probe_kind, settings):
    """One long statement keeps a run from reporting progress; its process is alive, so it runs on."""
    settings.JOB_STALE_SECONDS = 60
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="长时间运行的任务")
    _running_on(job, current_mark(), silent=timedelta(hours=5))  # this very process: alive
    client_for("county_a").get("/jobs/")
    call_command("jobs", "list", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.state == JobState.RUNNING
    assert services.retry(world.users["county_a"], job.pk).state == JobState.RUNNING  # not re-run beside itself


@pytest.mark.django_db(transaction=True)
def test_an_idle_worker_keeps_house(world, probe_kind):
    """No job runs, yet the worker's housekeeping thread removes an expired result file, marks a run whose
    process is gone 已中断 and, on PostgreSQL, folds the tallies' rows of committed transactions."""
    from django.db import connection

    from wuzaicun.registry.models import HouseholdTally
    from wuzaicun.testing import factories

    done = services.submit("test_probe", user=world.users["county_a"], params={}, label="已过期的任务")
    drain()
    done.refresh_from_db()
    expired = result_path(done.result_file)
    Job.objects_unscoped.filter(pk=done.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    killed = services.submit("test_probe", user=world.users["county_a"], params={}, label="被强制结束的任务")
    _running_on(killed, WorkerMark(place=this_place(), pid=_gone_pid()), silent=timedelta(0))
    factories.household(world.households["520302001001"][0].region)  # committed: on PostgreSQL a row of its own
    postgres = connection.vendor == "postgresql"
    assert expired.is_file() and (not postgres or HouseholdTally.objects_unscoped.exclude(writer=0).exists())
    assert start_housekeeping(0) is None  # switched off

    keeper = start_housekeeping(0.05)
    try:
        deadline = time.monotonic() + 20
        while keeper.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        keeper.stop()

    killed.refresh_from_db()
    assert keeper.rounds >= 1 and not keeper.is_alive()
    assert not expired.exists() and killed.state == JobState.INTERRUPTED
    assert not HouseholdTally.objects_unscoped.exclude(writer=0).exists()


def test_a_worker_keeps_house_while_it_runs_and_stops_it_when_it_ends(world, probe_kind, monkeypatch, settings):
    """`wuzaicun worker` marks a dead run at its start and runs the housekeeping thread for as long as it works
    (not with --burst); a fold that fails at the start is logged and the worker starts all the same."""
    from wuzaicun.core import tally
    from wuzaicun.jobs import worker

    settings.JOB_HOUSEKEEPING_SECONDS = 3600
    killed = services.submit("test_probe", user=world.users["county_a"], params={}, label="被强制结束的任务")
    _running_on(killed, WorkerMark(place=this_place(), pid=_gone_pid()), silent=timedelta(0))
    seen: list[bool] = []

    def work(*, burst: bool) -> None:
        seen.append(any(t.name == "wuzaicun-housekeeping" and t.is_alive() for t in threading.enumerate()))

    def locked() -> int:
        raise DatabaseError("canceling statement due to lock timeout")

    monkeypatch.setattr(worker, "_work", work)
    monkeypatch.setattr(tally, "fold", locked)
    worker.run_worker()
    worker.run_worker(burst=True)

    killed.refresh_from_db()
    assert killed.state == JobState.INTERRUPTED and seen == [True, False]
    assert not any(t.name == "wuzaicun-housekeeping" and t.is_alive() for t in threading.enumerate())


def test_the_command_line_marks_dead_runs_and_says_so(world, probe_kind):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="命令行任务")
    _running_on(job, WorkerMark(place=this_place(), pid=_gone_pid()), silent=timedelta(0))
    err = io.StringIO()
    call_command("jobs", "show", str(job.pk), stdout=io.StringIO(), stderr=err)
    assert "1 个任务的运行进程已终止" in err.getvalue()
    job.refresh_from_db()
    assert job.state == JobState.INTERRUPTED


def test_the_command_line(world, probe_kind):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="命令行任务")
    out = io.StringIO()
    call_command("jobs", "list", stdout=out)
    assert "排队中" in out.getvalue() and "命令行任务" in out.getvalue() and "county_a" in out.getvalue()
    call_command("jobs", "cancel", str(job.pk)[:8], stdout=out)
    call_command("jobs", "retry", str(job.pk), stdout=out)
    assert "第 2 次运行" in out.getvalue()
    call_command("jobs", "run", stdout=out)
    out = io.StringIO()
    call_command("jobs", "show", str(job.pk), "--json", stdout=out)
    assert '"state": "done"' in out.getvalue()


def test_api_cancel_and_retry(world, probe_kind, client_for):
    job = services.submit("test_probe", user=world.users["county_a"], params={}, label="接口任务")
    client = client_for("county_a")
    assert client_for("county_b").post(f"/api/jobs/{job.pk}/cancel").status_code == 404
    assert client.post(f"/api/jobs/{job.pk}/cancel").json()["state"] == "cancelled"
    assert client.post(f"/api/jobs/{job.pk}/retry").json()["state"] == "queued"
    assert client.post(f"/api/jobs/{job.pk}/retry").json()["attempt"] == 2
    drain()
    body = client.get(f"/api/jobs/{job.pk}").json()
    assert body["state"] == "done" and body["progress"] == 100 and body["has_result"]
    assert client.get(f"/api/jobs/{job.pk}/result").status_code == 200
    assert runner.purge_expired() == 0


def test_a_large_assessment_runs_as_a_job(world, year_open, client_for, settings):
    from wuzaicun.verification.models import AssessmentResult

    settings.JOB_ASSESS_SUBJECTS = 2  # 红花岗区 has a township and two villages: over the line
    response = client_for("county_a").post("/verification/results/run/", {"year": year_open, "region": "520302"})
    job = Job.objects_unscoped.get(kind="assessment")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.label == f"{year_open}年度考核：红花岗区"
    assert not AssessmentResult.objects_unscoped.exists()
    drain()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.outcome["assessed"] == 3 and "已计算 3 个" in job.message
    assert set(AssessmentResult.objects_unscoped.values_list("subject_id", flat=True)) == {
        "520302001001", "520302001002", "520302001000"}
