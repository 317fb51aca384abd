"""The report as a Word document laid out like an official document (GB/T 9704-2012 党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 方正小标宋简体 centred; body 3号 仿宋_GB2312 at a
fixed 29 pt line (22 lines a page); headings 一、 in 3号 黑体, （一） in 3号 楷体_GB2312, 1. in 3号 仿宋 bold; page numbers
4号 半角 “— 1 —”, odd pages at the right and even pages at the left, one character in from the edge; tables with a
黑体 header. CJK fonts are set on `w:eastAsia` of every `rFonts` (Word picks the East Asian font from it, not from
`w:ascii`), and the font table names a fallback for each (`w:altName`: 仿宋, 楷体, 黑体, 宋体) for machines without the
GB2312 fonts.
"""

from __future__ import annotations

import io
from typing import IO, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from .content import Chart, Heading, Paragraph, Report, Table

# Font names as official documents give them, and the fallback each names in the font table.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEI_FONT: "SimHei", PAGE_NUMBER_FONT: "SimSun"}

# Chinese type sizes (号) in points.
SIZE_2 = Pt(22)
SIZE_3 = Pt(16)
SIZE_4 = Pt(14)
SIZE_SMALL_4 = Pt(12)
LINE = Pt(29)  # fixed line pitch: 22 lines in the 225 mm type area
INDENT = 2 * SIZE_3  # first line indented two characters

MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
CHART_WIDTH = Mm(150)


def _set_fonts(r_pr: Any, name: str) -> None:
    """Set `name` on every script of a run's (or style's) rFonts, dropping theme fonts (which would win)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _style_font(style: Any, name: str, size: Any, *, bold: bool = False) -> None:
    style.font.size = size
    style.font.bold = bold
    _set_fonts(style.element.get_or_add_rPr(), name)


def _run(paragraph: Any, text: str, font: str, size: Any, *, bold: bool | None = None) -> Any:
    run = paragraph.add_run(text)
    run.font.size = size
    if bold is not None:
        run.font.bold = bold
    _set_fonts(run._r.get_or_add_rPr(), font)
    return run


def _fixed_lines(paragraph_format: Any, line: Any = LINE) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = line
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _outline(style: Any, level: int) -> None:
    p_pr = style.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    p_pr.append(outline)


def _setup_styles(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr, BODY_FONT)
    lang = r_pr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, SIZE_3)
    _fixed_lines(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False

    from docx.enum.style import WD_STYLE_TYPE

    def paragraph_style(name: str, font: str, size: Any, *, bold: bool = False, level: int | None = None) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _style_font(style, font, size, bold=bold)
        if level is not None:
            _outline(style, level)
            style.paragraph_format.keep_with_next = True
        return style

    title = paragraph_style("公文标题", TITLE_FONT, SIZE_2, level=0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE  # one blank line under the title
    for name, font, bold, level in (("一级标题", HEI_FONT, False, 1), ("二级标题", KAI_FONT, False, 2),
                                    ("三级标题", BODY_FONT, True, 3)):
        style = paragraph_style(name, font, SIZE_3, bold=bold, level=level)
        style.paragraph_format.first_line_indent = INDENT
    caption = paragraph_style("图表标题", HEI_FONT, SIZE_4)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    cell = paragraph_style("表格文字", BODY_FONT, SIZE_SMALL_4)
    _fixed_lines(cell.paragraph_format, Pt(18))


def _font_table(document: Any) -> None:
    """Name each font in the font table with its fallback (`w:altName`) and the GB2312 character set."""
    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for name, fallback in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "modern" if name != TITLE_FONT
                                                                              else "script"), ("w:pitch", "variable")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    # python-docx keeps parts it does not model as bytes: replace them with the table that names the fallbacks.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.footer_distance = Mm(21)  # the number sits about 7 mm under the type area
    section.header_distance = Mm(15)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _field(paragraph: Any, instruction: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, a placeholder result, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", PAGE_NUMBER_FONT, SIZE_4)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


def _page_number(paragraph: Any, alignment: Any) -> None:
    """“— 1 —” in 4号 半角 digits, one character in from the outside edge."""
    paragraph.alignment = alignment
    _fixed_lines(paragraph.paragraph_format, SIZE_4)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    _run(paragraph, "— ", PAGE_NUMBER_FONT, SIZE_4)
    _field(paragraph, "PAGE")
    _run(paragraph, " —", PAGE_NUMBER_FONT, SIZE_4)


def _table(document: Any, block: Table) -> None:
    caption = document.add_paragraph(block.caption, style="图表标题")
    caption.paragraph_format.space_before = Pt(6)
    rows = [*block.rows, *([block.total] if block.total else [])]
    table = document.add_table(rows=1 + len(rows), cols=len(block.headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, block.headers, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles["表格文字"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, HEI_FONT, SIZE_SMALL_4)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格文字"]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, text, HEI_FONT if values is block.total else BODY_FONT, SIZE_SMALL_4)
    document.add_paragraph("", style="表格文字")


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)


def _chart(document: Any, block: Chart) -> None:
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # a fixed line would crop the picture
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(block.draw()), width=CHART_WIDTH)
    document.add_paragraph(block.caption, style="图表标题").paragraph_format.space_after = Pt(6)


HEADING_STYLES = {0: "公文标题", 1: "一级标题", 2: "二级标题", 3: "三级标题"}


def write_docx(report: Report, out: IO[bytes]) -> None:
    """Write the report's blocks as a .docx to `out`."""
    document = Document()
    _setup_styles(document)
    _font_table(document)
    _page_setup(document)
    document.core_properties.title = report.title
    document.core_properties.author = "党建扶贫“五在村”管理信息系统"
    document.core_properties.language = "zh-CN"
    for empty in document.paragraphs:  # the template's empty first paragraph
        parent = empty._p.getparent()
        if parent is not None:
            parent.remove(empty._p)
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_paragraph(block.text, style=HEADING_STYLES[block.level])
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text, style="Normal")
            if block.align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.paragraph_format.right_indent = 4 * SIZE_3
            else:
                paragraph.paragraph_format.first_line_indent = INDENT
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _chart(document, block)
    document.save(out)
