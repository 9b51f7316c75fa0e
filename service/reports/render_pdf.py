"""PDF writer of the report document (layout.py) with fpdf2: embedded fonts, vector chart."""

from __future__ import annotations

from fpdf import FPDF

from service.reports.build import Report
from service.reports.chart import Label, Line, Rect, layout_chart
from service.reports.lang import digits
from service.reports.layout import (
    Block,
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
from service.reports.pdf_fonts import SearchableOutput, add_fonts

# Text is set ragged right (align="L"): justified Bengali spreads glyph clusters apart, and
# text extractors then read gaps inside words.

CHART_H = 95.0  # mm


class _Pdf(FPDF):
    def __init__(self, doc: Document, shaping: bool) -> None:
        super().__init__(format="A4")
        self.doc, self.shaping = doc, shaping
        add_fonts(self, shaping)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(doc.title)
        self.set_lang("bn-BD" if doc.lang == "bn" else "en-GB")
        self.set_creator("Ashshash SMS")

    def page_numbers(self) -> None:
        """"Page n of m" on every page, written once m is known: fpdf2's {nb} alias
        cannot be shaped nor written in Bengali digits. fpdf2 keeps every page open until
        output, so the footers go back onto finished pages."""
        self.set_auto_page_break(auto=False)
        total = self.pages_count
        for n in range(1, total + 1):
            self.page = n
            self.set_xy(self.l_margin, self.h - 12)
            # fpdf2 skips a font change it believes in effect, but that was on another page:
            # two different fonts in a row make it write the right one into this page.
            self.set_font("sans", "B", 8)
            self.set_font("sans", "", 8)
            words = digits(self.doc.page_words.format(n=n, m=total), self.doc.lang)
            _shaping(self, words)
            self.cell(self.epw, 5, words, align="C")


def _row(pdf: _Pdf, widths: list[float], cells: list[str], numeric: list[bool],
         bold: bool = False, fill: bool = False) -> None:
    pdf.set_font("sans", "B" if bold else "", 8.5)
    if fill:
        pdf.set_fill_color(230, 236, 242)
    for w, text, right in zip(widths, cells, numeric, strict=True):
        _shaping(pdf, text)
        # One line per cell (cell, not multi_cell): fpdf2's line breaking shapes every
        # candidate break, ten times slower; the widths are chosen so that labels fit.
        pdf.cell(w, 5.4, text, align="R" if right else "L", fill=fill)
    pdf.ln(5.4)
    pdf.set_draw_color(200)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + sum(widths), pdf.get_y())
    pdf.set_draw_color(0)


def _table(pdf: _Pdf, block: TextTable) -> None:
    _heading(pdf, block.title, 2)
    total = sum(block.widths)
    widths = [pdf.epw * w / total for w in block.widths]
    _row(pdf, widths, block.columns, block.numeric, bold=True, fill=True)
    for i, cells in enumerate(block.rows):
        if pdf.will_page_break(5.4):
            pdf.add_page()
            _row(pdf, widths, block.columns, block.numeric, bold=True, fill=True)
        _row(pdf, widths, cells, block.numeric, bold=block.total_row and i == len(block.rows) - 1)
    if block.note:
        pdf.ln(1)
        _para(pdf, block.note, note=True)
    pdf.ln(3)


def _shaping(pdf: _Pdf, text: str) -> None:
    """HarfBuzz for Bengali; Latin-only text needs none (shaping it costs without changing it)."""
    pdf.set_text_shaping(pdf.shaping and any("\u0980" <= ch <= "\u09ff" for ch in text))


def _heading(pdf: _Pdf, text: str, level: int) -> None:
    size = 13 if level == 1 else 11
    if pdf.will_page_break(30):
        pdf.add_page()  # a heading never stands alone at the foot of a page
    pdf.ln(3 if level == 1 else 2)
    pdf.set_font("sans", "B", size)
    _shaping(pdf, text)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)


def _para(pdf: _Pdf, text: str, note: bool = False) -> None:
    pdf.set_font("sans", "", 8 if note else 10)
    _shaping(pdf, text)
    pdf.multi_cell(0, 4.2 if note else 5.2, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1.5)


def _chart(pdf: _Pdf, block: Chart) -> None:
    if pdf.will_page_break(CHART_H + 12):
        pdf.add_page()
    _heading(pdf, block.title, 2)
    x0, y0 = pdf.l_margin, pdf.get_y()
    pdf.c_margin, margin = 0, pdf.c_margin
    for shape in layout_chart(block.data, pdf.epw, CHART_H, pdf.doc.lang):
        if isinstance(shape, Rect):
            pdf.set_fill_color(*shape.colour)
            pdf.rect(x0 + shape.x, y0 + shape.y, shape.w, shape.h, style="F")
        elif isinstance(shape, Line):
            pdf.set_draw_color(shape.grey)
            pdf.set_line_width(0.2)
            pdf.line(x0 + shape.x1, y0 + shape.y1, x0 + shape.x2, y0 + shape.y2)
        elif isinstance(shape, Label):
            pdf.set_font("sans", "", shape.size)
            _shaping(pdf, shape.text)
            w = pdf.get_string_width(shape.text)
            x = shape.x - (w / 2 if shape.align == "C" else w if shape.align == "R" else 0)
            pdf.set_xy(x0 + x, y0 + shape.y)
            pdf.cell(w, shape.size * 0.45, shape.text)
    pdf.c_margin = margin
    pdf.set_draw_color(0)
    pdf.set_xy(x0, y0 + CHART_H + 2)


def _block(pdf: _Pdf, block: Block) -> None:
    if isinstance(block, Title):
        pdf.set_font("sans", "B", 17)
        _shaping(pdf, block.text)
        pdf.multi_cell(0, 8.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(3)
    elif isinstance(block, Cover):
        for label, value in block.rows:
            pdf.set_font("sans", "B", 10)
            _shaping(pdf, label)
            pdf.cell(pdf.epw * 0.28, 6, label)
            pdf.set_font("sans", "", 10)
            _shaping(pdf, value)
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(2)
    elif isinstance(block, Heading):
        _heading(pdf, block.text, block.level)
    elif isinstance(block, Para):
        _para(pdf, block.text, block.note)
    elif isinstance(block, Bullets):
        pdf.set_font("sans", "", 10)
        for item in block.items:
            y = pdf.get_y()
            pdf.set_x(pdf.l_margin + 1)
            pdf.cell(4, 5.2, "\u2022")
            pdf.set_xy(pdf.l_margin + 5, y)
            _shaping(pdf, item)
            pdf.multi_cell(pdf.epw - 5, 5.2, item, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
    elif isinstance(block, TextTable):
        _table(pdf, block)
    elif isinstance(block, Chart):
        _chart(pdf, block)
    elif isinstance(block, PageBreak):
        pdf.add_page()


def pdf_from_document(doc: Document, shaping: bool = True) -> bytes:
    pdf = _Pdf(doc, shaping)
    pdf.add_page()
    for block in doc.blocks:
        _block(pdf, block)
    pdf.page_numbers()
    return bytes(pdf.output(output_producer_class=SearchableOutput))


def to_pdf(report: Report) -> bytes:
    return pdf_from_document(document(report))
