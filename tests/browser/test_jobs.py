"""下载中心 in the browser: a running job's progress moves on the page by itself, then its download link appears."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from wuzaicun.jobs import registry, services
from wuzaicun.jobs.runner import JobRun
from wuzaicun.jobs.worker import drain

pytestmark = pytest.mark.browser


def test_download_centre_shows_progress_then_the_download(live_world, live_server, log_in):
    page = log_in("county_a")
    user = live_world.users["county_a"]

    def halfway(run: JobRun):
        run.report(rows=500, total=1000, errors=2, stage="导出", force=True)
        # The worker is here, half-way: the open page polls and shows it without a reload.
        expect(page.locator("#job-progress")).to_contain_text("50%", timeout=10_000)
        expect(page.locator("#job-state")).to_contain_text("运行中")
        expect(page.locator("#job-rows")).to_contain_text("500 行")
        expect(page.locator("#job-errors")).to_contain_text("2 处")
        target = run.temp_path(".csv")
        target.write_text("户主姓名\n张三\n", encoding="utf-8")
        run.attach(target, "贫困户.csv")
        return {"message": "已导出贫困户 1000 行"}

    registry.register_job_kind("browser_halfway", halfway)
    try:
        job = services.submit("browser_halfway", user=user, params={}, label="导出贫困户（2016年）")
        page.goto(f"{live_server.url}/")
        page.locator("#jobs-link").click()
        expect(page.locator("#jobs-table")).to_contain_text("导出贫困户（2016年）")
        expect(page.locator("#jobs-table")).to_contain_text("排队中")
        page.get_by_role("link", name="导出贫困户（2016年）").click()
        expect(page.locator("#job-state")).to_contain_text("排队中")

        assert drain() == 1

        expect(page.locator("#job-state")).to_contain_text("已完成", timeout=10_000)
        expect(page.locator("#job-message")).to_contain_text("已导出贫困户 1000 行")
        link = page.locator("#job-download")
        expect(link).to_contain_text("下载贫困户.csv")
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename == "贫困户.csv"
        assert "张三" in info.value.path().read_text(encoding="utf-8")
        page.goto(f"{live_server.url}/jobs/")
        expect(page.locator(f"tr[data-job='{job.pk}']")).to_contain_text("已完成")
    finally:
        registry._KINDS.pop("browser_halfway", None)
