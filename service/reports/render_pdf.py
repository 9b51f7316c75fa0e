"""PDF writer of the report document (layout.py) with fpdf2: embedded fonts, vector chart."""

from __future__ import annotations

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
from service.reports.pdf_text import TextPdf

# Text is set ragged right: justified Bengali spreads glyph clusters apart, and text
# extractors then read gaps inside words.

CHART_H = 95.0  # mm


class _Pdf(TextPdf):
    def __init__(self, doc: Document, shaping: bool) -> None:
        super().__init__(format="A4")
        self.doc, self.shaping = doc, shaping
        add_fonts(self, shaping)
        self.set_margins(18, 15, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(doc.title)
        self.set_lang("bn-BD" if doc.lang == "bn" else "en-GB")
        self.set_creator("Ashshash SMS")

    def page_numbers(self) -> None:
        """ "Page n of m" on every page, written once m is known: fpdf2's {nb} alias
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


def _row(
    pdf: _Pdf,
    widths: list[float],
    cells: list[str],
    numeric: list[bool],
    bold: bool = False,
    fill: bool = False,
) -> None:
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


def _needs_shaping(text: str) -> bool:
    """Bengali letters and signs need HarfBuzz; Latin text and digits (Bengali ones too) do
    not, and shaping them costs time without changing a glyph."""
    return any("\u0980" <= ch <= "\u09e5" or "\u09f0" <= ch <= "\u09ff" for ch in text)


def _shaping(pdf: _Pdf, text: str) -> None:
    pdf.set_text_shaping(pdf.shaping and _needs_shaping(text))


def _wrap(pdf: _Pdf, text: str, width: float, h: float, x: float | None = None) -> None:
    """Text broken at spaces into lines of `width`, ragged right, from x (default: margin).

    fpdf2's multi_cell shapes the whole rest of the text at every candidate break (measured
    ~30,000 HarfBuzz calls for the Bangla report); here each word is measured once.
    """
    x = pdf.l_margin if x is None else x
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    line, used = "", 0.0
    for word in text.split():
        _shaping(pdf, word)
        w = pdf.get_string_width(word)
        if line and used + space + w > width:
            lines.append(line)
            line, used = word, w
        else:
            line, used = (f"{line} {word}", used + space + w) if line else (word, w)
    lines.append(line)
    margin, pdf.c_margin = pdf.c_margin, 0
    for text_line in lines:
        if pdf.will_page_break(h):
            pdf.add_page()
        pdf.set_x(x)
        _shaping(pdf, text_line)
        pdf.cell(width, h, text_line, new_x="LMARGIN", new_y="NEXT")
    pdf.c_margin = margin


def _heading(pdf: _Pdf, text: str, level: int) -> None:
    size = 13 if level == 1 else 11
    if pdf.will_page_break(30):
        pdf.add_page()  # a heading never stands alone at the foot of a page
    pdf.ln(3 if level == 1 else 2)
    pdf.set_font("sans", "B", size)
    _wrap(pdf, text, pdf.epw, size * 0.5)
    pdf.ln(1)


def _para(pdf: _Pdf, text: str, note: bool = False) -> None:
    pdf.set_font("sans", "", 8 if note else 10)
    _wrap(pdf, text, pdf.epw, 4.2 if note else 5.2)
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
        _wrap(pdf, block.text, pdf.epw, 8.5)
        pdf.ln(3)
    elif isinstance(block, Cover):
        for label, value in block.rows:
            pdf.set_font("sans", "B", 10)
            _shaping(pdf, label)
            pdf.cell(pdf.epw * 0.28, 6, label)
            pdf.set_font("sans", "", 10)
            _wrap(pdf, value, pdf.epw * 0.72, 6, x=pdf.l_margin + pdf.epw * 0.28)
        pdf.ln(2)
    elif isinstance(block, Heading):
        _heading(pdf, block.text, block.level)
    elif isinstance(block, Para):
        _para(pdf, block.text, block.note)
    elif isinstance(block, Bullets):
        pdf.set_font("sans", "", 10)
        for item in block.items:
            if pdf.will_page_break(5.0):
                pdf.add_page()  # else the bullet stays at the foot of the page, its item not
            y = pdf.get_y()
            pdf.set_x(pdf.l_margin + 1)
            # The last line's font change sat inside its own q/Q (fpdf2 wraps shaped
            # fallback text so): name the font again or the bullet is drawn with none.
            pdf.set_font("sans", "B", 10)
            pdf.set_font("sans", "", 10)
            _shaping(pdf, "\u2022")
            pdf.cell(4, 5.0, "\u2022")
            pdf.set_y(y)
            _wrap(pdf, item, pdf.epw - 5, 5.0, x=pdf.l_margin + 5)
            pdf.ln(0.6)
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
