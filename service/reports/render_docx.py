"""Word (.docx) writer of the report document (layout.py) with python-docx."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from service.reports.build import Report
from service.reports.chart_png import chart_png
from service.reports.layout import (
    Bullets,
    Chart,
    Cover,
    Document,
    Heading,
    PageBreak,
    Para,
    TextTable,
    Title,
    document,
)

CHART_W, CHART_H = 174.0, 95.0  # mm, the PDF's chart box
LATIN, BENGALI = "Calibri", "Noto Sans Bengali"


def _fonts(doc: Docx, lang: str) -> None:
    """Latin text in Calibri, Bengali (a complex script for Word) in Noto Sans Bengali."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), LATIN)
        fonts.set(qn("w:cs"), BENGALI)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        lang_el = OxmlElement("w:lang")
        lang_el.set(qn("w:val"), "bn-BD" if lang == "bn" else "en-GB")
        lang_el.set(qn("w:bidi"), "bn-BD")
        rpr.append(lang_el)
    doc.styles["Normal"].font.size = Pt(10)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == code else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} " if text == code else text
        run._r.append(el)


def _footer(doc: Docx, words: str) -> None:
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, rest = words.split("{n}", 1)
    middle, after = rest.split("{m}", 1)
    para.add_run(before)
    _field(para, "PAGE")
    para.add_run(middle)
    _field(para, "NUMPAGES")
    para.add_run(after)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _styled(doc: Docx, text: str, style_id: str) -> None:
    doc.add_paragraph(text)._p.get_or_add_pPr().style = style_id


def _table(doc: Docx, block: TextTable, styles: dict[str, str]) -> None:
    _styled(doc, block.title, styles["Heading 2"])
    table = doc.add_table(rows=1, cols=len(block.columns))
    table._tbl.tblPr.style = styles["Light List Accent 1"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    for i, width in enumerate(block.widths):
        table.columns[i].width = Mm(CHART_W * width / total)
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = text
    for r, cells in enumerate(block.rows):
        row = table.add_row()
        for i, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.text = text
            para = cell.paragraphs[0]
            if block.numeric[i]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.total_row and r == len(block.rows) - 1:
                for run in para.runs:
                    run.bold = True
    if block.note:
        doc.add_paragraph(block.note).runs[0].italic = True


def docx_from_document(d: Document) -> bytes:
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    _fonts(doc, d.lang)
    doc.core_properties.title = d.title
    doc.core_properties.language = "bn-BD" if d.lang == "bn" else "en-GB"
    _footer(doc, d.page_words)
    # Style ids set directly: python-docx resolves a style, even one passed as an object,
    # by scanning every style of the template on each use (most of this file's time).
    styles = {
        name: doc.styles[name].style_id
        for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "Light List Accent 1")
    }
    for block in d.blocks:
        if isinstance(block, Title):
            _styled(doc, block.text, styles["Title"])
        elif isinstance(block, Cover):
            table = doc.add_table(rows=0, cols=2)
            for label, value in block.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
                cells[0].paragraphs[0].runs[0].bold = True
            doc.add_paragraph()
        elif isinstance(block, Heading):
            _styled(doc, block.text, styles[f"Heading {block.level}"])
        elif isinstance(block, Para):
            para = doc.add_paragraph(block.text)
            if block.note:
                para.runs[0].italic = True
        elif isinstance(block, Bullets):
            for item in block.items:
                _styled(doc, item, styles["List Bullet"])
        elif isinstance(block, TextTable):
            _table(doc, block, styles)
        elif isinstance(block, Chart):
            _styled(doc, block.title, styles["Heading 2"])
            png = chart_png(block.data, CHART_W, CHART_H, d.lang)
            doc.add_picture(io.BytesIO(png), width=Mm(CHART_W))
        elif isinstance(block, PageBreak):
            doc.add_page_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_docx(report: Report) -> bytes:
    return docx_from_document(document(report))
