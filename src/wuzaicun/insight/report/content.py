"""What the annual report says, in the seed's order, as plain blocks (headings, paragraphs, tables, charts).

The words around the figures follow the seed (党建扶贫“五在村”); every figure is the one the overview shows
(`stats_for_user`), printed the way the page prints it (`formatting.readable`): 871个, 7.18亿元, 1,800,000亩.
No database access here beyond what the caller hands in, so the text can be tested without a document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..figures import Figure, Section, Stats
from ..formatting import exact, readable
from .areas import COLUMNS, Breakdown

NUMERALS = "一二三四五六七八九十"
MECHANISMS = ("responsibility", "organization", "cadres", "resources", "verification")


@dataclass(frozen=True)
class Heading:
    level: int  # 0 the title, 1 一、, 2 （一）, 3 1.
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: str = "justify"  # or "right" (the date line)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    total: Sequence[str] | None = None


@dataclass(frozen=True)
class Chart:
    caption: str
    draw: Callable[[], bytes]  # the PNG, drawn when the document is written


Block = Heading | Paragraph | Table | Chart


@dataclass
class Report:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


# Each mechanism as the seed presents it: a lead sentence, then its parts (一是…二是…), each listing the keys of
# the figures it reports. A figure no part lists (one added later) is printed in the last part.
LEADS = {
    "responsibility": (
        "以“村”为聚焦点，制定领导班子帮村、领导干部联村、“第一书记”和驻村干部驻村、党员干部（村干部）助村、农村能人党员"
        "带村5张责任清单，采取年初定账、季度对账、次年销账方式，形成目标、责任、台账“三位一体”链条，做到见人、见村、见责任"
        "和全覆盖、无死角。",
        (("清单管理定责任", ("entries_",)), ("贫困村全覆盖", ("poor_villages",)))),
    "organization": (
        "发挥村级党组织的主观能动性，从组织覆盖、平台载体、运行机制、工作保障等方面着力建强基层战斗堡垒。",
        (("健全村级组织网络", ("rectified_", "supervisory_", "new_organisations", "ecommerce_", "social_")),
         ("强化村级组织保障", ("guarantee_", "cadre_pay_", "operating_funds_", "service_funds_", "activity_funds_",
                                "training_funds_", "homes")),
         ("发展村级集体经济", ("cooperatives", "joint_stock_", "collective_", "villages_with_entity", "shell_")))),
    "cadres": (
        "坚持把优秀干部选派到脱贫攻坚第一线，充分发挥基层党员、干部和优秀人才主力军作用，实现选派、培训、管理“三个全覆盖”。",
        (("选派全覆盖", ("dispatched", "first_secretaries", "resident_cadres", "working_groups", "poor_villages_with_",
                         "weak_villages_", "ethnic_villages_", "talent", "project")),
         ("培训全覆盖", ("city_training_", "county_training_")),
         ("管理全覆盖", ("graded_", "promotions", "treatments", "accountability")))),
    "resources": (
        "发挥各级党组织统揽作用，整合党务、政务和社会资源，将干部力量、项目资金、财力物力下沉到村，形成聚合效应。",
        (("整合项目资源", ("projects", "project_funds")),
         ("整合产业资源", ("ten_household_", "land_mu", "properties", "share_", "shareholder_")),
         ("整合帮扶资源", ("kin_pairs", "branch_pairings", "pairing_", "enterprise")),
         ("资金使用民主决策", ("fund_decision",)))),
    "verification": (
        "采取“1个10%”“1个100%”方式，精准到村抓暗访督查、考核奖惩，检验脱贫攻坚工作成效。",
        (("季度抽查10%", ("spot_check_", "findings", "sanctions")),
         ("年度考核100%", ("assessed_", "provincial_", "city_demonstrations", "county_demonstrations")))),
}

BACKGROUND = (
    "农村工作千头万绪，抓好农村基层组织建设是关键。农村脱贫致富的核心是农村党组织。按照“中央统筹、省负总责、市县抓落实”"
    "的领导体制和“片区为重点、精准到村到户”的工作机制，遵义市锁定村级脱贫攻坚主战场，探索建立“责任在村落实、组织在村建强、"
    "干部在村成长、资源在村整合、成效在村检验”的党建扶贫“五在村”机制，形成“人往村走、力往村聚、钱往村花、物往村用”的鲜明"
    "导向。",
    "“五在村”机制充分发挥基层党组织战斗堡垒作用和党员干部先锋模范作用，解决扶贫目标、任务、资金、权责到村到户、落地生根"
    "问题，实现各种政策资源、人力物力、项目资金“一竿子插到底”，提高精准扶贫、精准脱贫效率。本报告各项数据均由“五在村”"
    "管理信息系统按本年度、本辖区数据统计生成。",
)


def numeral(index: int) -> str:
    """1 → 一 … 10 → 十 (a report has fewer than eleven parts at any level)."""
    return NUMERALS[index - 1]


def printed(figure: Figure) -> str:
    """A figure as the report prints it: the page's number and unit (871个, 7.18亿元, 14.35%)."""
    number, unit = readable(figure.value, figure.unit)
    return f"{number}{unit}"


def sentence(figures: Sequence[Figure]) -> str:
    """The figures as one sentence: 选派第一书记和驻村干部4,606人（其中第一书记1,442人、驻村干部3,164人），……。"""
    parts: list[str] = []
    details: list[str] = []

    def flush() -> None:
        if details and parts:
            parts[-1] += f"（其中{'、'.join(details)}）"
        elif details:
            parts.extend(details)
        details.clear()

    for figure in figures:
        if figure.label.startswith("其中："):
            details.append(f"{figure.label.removeprefix('其中：')}{printed(figure)}")
            continue
        flush()
        parts.append(f"{figure.label}{printed(figure)}")
    flush()
    return "，".join(parts) + "。" if parts else ""


def _parts(section: Section) -> list[tuple[str, list[Figure]]]:
    _, groups = LEADS[section.key]
    out: list[tuple[str, list[Figure]]] = [(title, []) for title, _ in groups]
    for figure in section.figures:
        index = next((i for i, (_, keys) in enumerate(groups) if figure.key.startswith(keys)), len(groups) - 1)
        out[index][1].append(figure)
    return [(title, figures) for title, figures in out if figures]


def _figure(stats: Stats, key: str) -> Figure | None:
    try:
        return stats.figure(key)
    except KeyError:
        return None


def _value(stats: Stats, key: str) -> int:
    figure = _figure(stats, key)
    return int(figure.value) if figure is not None else 0


def _opening(stats: Stats, place: str) -> str:
    said = [printed(f) if (f := _figure(stats, key)) else "—" for key in
            ("poor_villages", "dispatched", "working_groups", "poor_villages_exited", "households_exited")]
    return (f"{stats.year}年，{place}坚持以党建引领脱贫攻坚，深入推进党建扶贫“五在村”机制，把责任、组织、干部、资源和成效"
            f"检验落到村上。全年辖区内贫困村{said[0]}，选派第一书记和驻村干部{said[1]}，组建驻村工作组{said[2]}；"
            f"当年出列贫困村{said[3]}，脱贫{said[4]}。现将有关情况报告如下。")


def _area_table(breakdown: Breakdown) -> Table:
    headers = [breakdown.child_kind, *(f"{header}（{unit}）" for _, header, unit in COLUMNS)]
    rows = [[row.name, *(exact(row.values[key], unit) for key, _, unit in COLUMNS)] for row in breakdown.rows]
    total = breakdown.totals
    return Table(caption=f"各{breakdown.child_kind}主要数据", headers=headers, rows=rows,
                 total=["合计", *(exact(total[key], unit) for key, _, unit in COLUMNS)])


def build(stats: Stats, *, place: str, breakdown: Breakdown | None, today: dt.date) -> Report:
    """The report of `stats` for the area named `place`, with the table and charts by child area when it has any."""
    from . import charts

    report = Report(title=f"{place}{stats.year}年度党建扶贫“五在村”工作报告")
    report.add(Heading(0, report.title), Paragraph(_opening(stats, place)))
    report.add(Heading(1, "一、背景与意义"), *(Paragraph(text) for text in BACKGROUND))
    report.add(Heading(1, "二、主要做法"))
    sections = {s.key: s for s in stats.sections}
    for index, key in enumerate(MECHANISMS, start=1):
        section = sections.get(key)
        if section is None:
            continue
        lead, _ = LEADS[key]
        report.add(Heading(2, f"（{numeral(index)}）建立“{section.title}”机制"), Paragraph(lead))
        for number, (title, figures) in enumerate(_parts(section), start=1):
            report.add(Heading(3, f"{number}. {title}"), Paragraph(sentence(figures)))

    report.add(Heading(1, "三、取得成效"))
    tables = charts_made = 0
    report.add(Heading(2, "（一）贫困村出列和贫困户脱贫"))
    if "results" in sections:
        report.add(Paragraph(sentence(sections["results"].figures)))
    if breakdown is not None and breakdown.rows:
        names = [row.name for row in breakdown.rows]
        poor = [row.values["poor_villages"] for row in breakdown.rows]
        exited = [row.values["poor_villages_exited"] for row in breakdown.rows]
        charts_made += 1
        report.add(Chart(f"图{charts_made} 各{breakdown.child_kind}贫困村和当年出列贫困村",
                         lambda: charts.bars_by_area(names, [("贫困村", poor), ("当年出列", exited)], unit="个")))
        report.add(Heading(2, f"（二）各{breakdown.child_kind}情况"))
        tables += 1
        table = _area_table(breakdown)
        report.add(Paragraph(f"各{breakdown.child_kind}主要数据见表{tables}，选派第一书记和驻村干部情况见图{charts_made + 1}。"),
                   Table(caption=f"表{tables} {table.caption}", headers=table.headers, rows=table.rows,
                         total=table.total))
        sent = [row.values["dispatched"] for row in breakdown.rows]
        secretaries = [row.values["first_secretaries"] for row in breakdown.rows]
        charts_made += 1
        report.add(Chart(f"图{charts_made} 各{breakdown.child_kind}选派第一书记和驻村干部",
                         lambda: charts.bars_by_area(names, [("选派第一书记和驻村干部", sent), ("其中第一书记", secretaries)],
                                                     unit="人")))
    checks = [("到位", _value(stats, "findings_in_place")), ("基本到位", _value(stats, "findings_mostly")),
              ("不到位", _value(stats, "findings_not_in_place"))]
    grades = [(grade, _value(stats, f"assessed_{key}")) for grade, key in
              (("优", "excellent"), ("良", "good"), ("中", "fair"), ("差", "poor"))]
    part = numeral(3 if breakdown is not None and breakdown.rows else 2)
    report.add(Heading(2, f"（{part}）暗访抽查和年度考核"))
    charts_made += 1
    findings = _figure(stats, "findings")
    assessed = _figure(stats, "assessed_villages")
    report.add(Paragraph(
        f"已结束的季度暗访抽查共形成检查记录{printed(findings) if findings else '0个'}，年度考核村"
        f"{printed(assessed) if assessed else '0个'}，检查结果和考核等次分布见图{charts_made}。"))
    report.add(Chart(f"图{charts_made} 暗访抽查检查结果和村年度考核等次",
                     lambda: charts.shares([("暗访抽查检查结果", checks), ("村年度考核等次", grades)], unit="个")))
    report.add(Paragraph(f"{today.year}年{today.month}月{today.day}日", align="right"))
    return report
