"""The annual report: a Word document laid out as an official document that carries every figure of the overview
(printed as the page prints it), the user's scope only, through the service, the command and the download."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from wuzaicun.audit.labels import object_label
from wuzaicun.audit.models import Action, AuditEntry, Result
from wuzaicun.core.errors import NotFound, PermissionDenied
from wuzaicun.insight.formatting import readable
from wuzaicun.insight.report import write_report
from wuzaicun.insight.selectors import stats_for_user
from wuzaicun.jobs.models import Job, JobState
from wuzaicun.jobs.worker import drain
from wuzaicun.testing.world import World

from .data import YEAR, populate

SECTIONS = ("一、背景与意义", "二、主要做法", "（一）建立“责任在村落实”机制", "（二）建立“组织在村建强”机制",
            "（三）建立“干部在村成长”机制", "（四）建立“资源在村整合”机制", "（五）建立“成效在村检验”机制", "三、取得成效")


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def report_of(user, *, region: str | None = None) -> docx.document.Document:
    out = io.BytesIO()
    write_report(user, year=YEAR, region=region, out=out)
    return docx.Document(io.BytesIO(out.getvalue()))


def text_of(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def table_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_the_report_has_each_section_and_every_figure_as_the_overview_prints_it(populated: World) -> None:
    city = populated.users["city"]
    document = report_of(city)
    text = text_of(document)
    assert document.paragraphs[0].text == "遵义市2016年度党建扶贫“五在村”工作报告"
    headings = [p.text for p in document.paragraphs if p.style.name in ("一级标题", "二级标题")]
    for heading in SECTIONS:
        assert heading in headings
    for section in stats_for_user(city, year=YEAR).sections:
        for figure in section.figures:
            number, unit = readable(figure.value, figure.unit)
            label = figure.label.removeprefix("其中：")
            assert f"{label}{number}{unit}" in text, figure.key
    assert "选派第一书记和驻村干部5人（其中第一书记3人、驻村干部2人）" in text
    assert "撬动社会资金（企业到位资金）1,500.75元" in text and "整合项目资金4.00万元" in text
    # the table by county, with its total, and three charts drawn on the server
    assert table_rows(document) == [
        ["县（市、区）", "贫困村（个）", "当年出列（个）", "选派第一书记和驻村干部（人）", "其中第一书记（人）",
         "有集体经济实体的村（个）", "建档立卡贫困户（户）", "当年脱贫户（户）"],
        ["红花岗区", "1", "1", "2", "1", "1", "6", "1"],
        ["汇川区", "1", "1", "3", "2", "1", "6", "2"],
        ["合计", "2", "2", "5", "3", "2", "12", "3"]]
    figures = stats_for_user(city, year=YEAR).values()
    assert [int(v.replace(",", "")) for v in table_rows(document)[-1][1:]] == [
        figures[key] for key in ("poor_villages", "poor_villages_exited", "dispatched", "first_secretaries",
                                 "villages_with_entity", "poor_households", "households_exited")]  # the total row
    pictures = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert len(pictures) == 3 and all(p.blob.startswith(b"\x89PNG") for p in pictures)
    captions = [p.text for p in document.paragraphs if p.style.name == "图表标题"]
    assert captions == ["图1 各县（市、区）贫困村和当年出列贫困村", "表1 各县（市、区）主要数据",
                        "图2 各县（市、区）选派第一书记和驻村干部", "图3 暗访抽查检查结果和村年度考核等次"]


def test_the_page_is_a4_with_the_official_margins_and_page_numbers_outside(populated: World) -> None:
    document = report_of(populated.users["city"])
    section = document.sections[0]
    sizes = [round(length.mm, 1) for length in (section.page_width, section.page_height, section.top_margin,
                                                section.bottom_margin, section.left_margin, section.right_margin)]
    assert sizes == [210, 297, 37, 35, 28, 26]  # A4; GB/T 9704 margins (stored in twips: to a tenth of a mm)
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, alignment in ((odd, "right"), (even, "left")):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.alignment is not None and footer.alignment.name.lower() == alignment
        assert "PAGE" in "".join(t.text or "" for t in footer._p.iter(qn("w:instrText")))
        assert {r.font.size for r in footer.runs} == {Pt(14)}


def east_asia(element) -> str | None:
    fonts = element.find(qn("w:rPr")) if element.tag != qn("w:rPr") else element
    fonts = fonts.find(qn("w:rFonts")) if fonts is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_the_fonts_are_the_official_ones_on_east_asia_with_fallbacks_named(populated: World) -> None:
    document = report_of(populated.users["city"])
    styles = document.styles
    for name, font, size, bold in (("Normal", "仿宋_GB2312", 16, False), ("公文标题", "方正小标宋简体", 22, False),
                                   ("一级标题", "黑体", 16, False), ("二级标题", "楷体_GB2312", 16, False),
                                   ("三级标题", "仿宋_GB2312", 16, True)):
        style = styles[name]
        assert east_asia(style.element) == font, name
        assert style.font.size == Pt(size) and style.font.bold is bold, name
    normal = styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY and Pt(28) <= normal.line_spacing <= Pt(29)
    assert styles["公文标题"].paragraph_format.alignment.name == "CENTER"
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert east_asia(defaults) == "仿宋_GB2312"
    header = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    body = document.tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert east_asia(header._r) == "黑体" and east_asia(body._r) == "仿宋_GB2312"
    font_table = next(p for p in document.part.package.parts if str(p.partname) == "/word/fontTable.xml").blob.decode()
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'w:name="{name}"><w:altName w:val="{fallback}"/>' in font_table


def test_a_county_users_report_has_their_county_only_and_another_county_is_refused(populated: World) -> None:
    county_a = populated.users["county_a"]
    document = report_of(county_a)
    text = text_of(document)
    assert document.paragraphs[0].text == "红花岗区2016年度党建扶贫“五在村”工作报告"
    assert "选派第一书记和驻村干部2人（其中第一书记1人、驻村干部1人）" in text
    assert table_rows(document)[1:] == [["老城街道", "1", "1", "2", "1", "1", "6", "1"],
                                        ["合计", "1", "1", "2", "1", "1", "6", "1"]]
    assert "汇川区" not in text and "高坪镇" not in text
    # and the other way round: county B sees its own figures only
    text_b = text_of(report_of(populated.users["county_b"]))
    assert "选派第一书记和驻村干部3人（其中第一书记2人、驻村干部1人）" in text_b and "老城街道" not in text_b
    with pytest.raises(NotFound):
        report_of(county_a, region="520303000000")
    refusal = AuditEntry.objects_unscoped.filter(action=Action.DENIED, object_type="annual_report").get()
    assert refusal.result == Result.REFUSED and refusal.region_code == "520302000000"
    with pytest.raises(PermissionDenied):
        report_of(populated.users["inspector_a"])


def test_a_report_is_an_export_in_the_audit_trail(populated: World) -> None:
    report_of(populated.users["city"], region="520302000000")
    entry = AuditEntry.objects_unscoped.filter(action=Action.EXPORT, object_type="annual_report").get()
    assert entry.actor_name == "city" and entry.region_code == "520302000000"
    assert entry.summary == "导出年度报告：红花岗区2016年度党建扶贫“五在村”工作报告"
    assert entry.changes == {"year": YEAR, "region": "520302000000"}
    assert object_label(entry.object_type) == "年度报告"  # what the audit page shows


def test_the_report_reads_a_fixed_number_of_queries_whatever_the_area(populated: World) -> None:
    counts = []
    for user in ("city", "county_a"):
        with CaptureQueriesContext(connection) as queries:
            report_of(populated.users[user])
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] < 70


# --- the command --------------------------------------------------------------------------------------------

def run(*args: str) -> str:
    err = io.StringIO()
    call_command("report", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_the_command_writes_the_docx_for_the_acting_users_scope(populated: World, tmp_path: Path) -> None:
    target = tmp_path / "年度报告.docx"
    message = run("--year", str(YEAR), "--as", "county_a", "-o", str(target))
    assert "已生成2016年度报告" in message
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "红花岗区2016年度党建扶贫“五在村”工作报告"
    run("--year", str(YEAR), "--region", "520303", "-o", str(target))
    assert docx.Document(str(target)).paragraphs[0].text == "汇川区2016年度党建扶贫“五在村”工作报告"
    assert [p.name for p in tmp_path.iterdir()] == ["年度报告.docx"]  # no partial file left behind


@pytest.mark.parametrize(("args", "message"), [
    (("--region", "520303", "--as", "county_a"), "区划代码“520303”不存在或不在您的管辖范围内"),
    (("--region", "52x"), "区划代码“52x”无效"),
    (("--year", "1800"), "年度“1800”无效"),
    (("--as", "inspector_a"), "没有执行此操作的权限"),
    (("--as", "nobody"), "用户“nobody”不存在或已停用"),
])
def test_the_command_refuses_in_chinese_and_leaves_no_file(populated: World, tmp_path: Path, args, message) -> None:
    target = tmp_path / "r.docx"
    with pytest.raises(CommandError, match=message):
        run("--year", str(YEAR), *args, "-o", str(target))
    assert list(tmp_path.iterdir()) == []


def test_the_command_wants_a_docx_in_a_folder_that_exists(populated: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"应以 \.docx 结尾"):
        run("-o", str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="不存在"):
        run("-o", str(tmp_path / "missing" / "r.docx"))


def test_the_command_exits_1_on_a_refusal(populated: World, tmp_path: Path) -> None:
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["wuzaicun", "report", "--region", "52x", "-o", str(tmp_path / "r.docx")])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1


# --- the download -------------------------------------------------------------------------------------------

def _generated(client, data: dict[str, object]) -> tuple[Job, object]:
    """Ask for the report on the overview's button, let the worker write it; the job and its download."""
    response = client.post("/insight/report/", data)
    job = Job.objects_unscoped.order_by("-created_at").first()
    assert job is not None and response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert drain() == 1
    job.refresh_from_db()
    return job, client.get(f"/jobs/{job.pk}/download/")


def test_the_report_is_a_job_of_the_download_centre_with_a_chinese_file_name(populated: World, client_for) -> None:
    job, download = _generated(client_for("city"), {"year": YEAR, "region": "520302"})
    assert job.state == JobState.DONE and job.label == "红花岗区2016年度党建扶贫“五在村”工作报告"
    assert download.status_code == 200
    name = quote("红花岗区2016年度党建扶贫“五在村”工作报告.docx")
    assert f"filename*=utf-8''{name}" in download["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "老城街道" in text_of(document) and "汇川区" not in text_of(document)
    # generated (the report) and downloaded (the job's file): both in the audit trail as exports
    assert AuditEntry.objects_unscoped.filter(action=Action.EXPORT, object_type="annual_report").count() == 2


def test_the_report_keeps_to_the_users_scope_and_permission(populated: World, client_for) -> None:
    assert client_for("county_a").post("/insight/report/", {"year": YEAR, "region": "520303"}).status_code == 404
    assert client_for("inspector_a").post("/insight/report/", {"year": YEAR}).status_code == 403
    assert client_for("county_a").post("/insight/report/", {"year": "abc"}).status_code == 400
    assert client_for("county_a").get(f"/insight/report/?year={YEAR}").status_code == 405
    assert not Job.objects_unscoped.exists()  # nothing refused was queued
    _, mine = _generated(client_for("county_b"), {"year": YEAR})
    assert "汇川区" in text_of(docx.Document(io.BytesIO(b"".join(mine.streaming_content))))


def test_the_overview_offers_the_report_to_those_who_may_export(populated: World, client_for) -> None:
    page = client_for("county_a").get(f"/insight/?year={YEAR}").text
    assert 'action="/insight/report/"' in page and "生成年度报告" in page
    assert "生成年度报告" not in client_for("inspector_a").get(f"/insight/?year={YEAR}").text


def test_a_villages_report_has_no_table_by_area_and_numbers_its_one_chart(populated: World) -> None:
    document = report_of(populated.users["city"], region="520302001001")
    assert document.paragraphs[0].text == "甲村2016年度党建扶贫“五在村”工作报告"
    assert document.tables == []
    assert [p.text for p in document.paragraphs if p.style.name == "图表标题"] == ["图1 暗访抽查检查结果和村年度考核等次"]
    assert "（二）暗访抽查和年度考核" in [p.text for p in document.paragraphs]
