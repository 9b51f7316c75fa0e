"""PDF rendering of the narrative report with fpdf2 and a core font (no font files to ship)."""

from __future__ import annotations

from fpdf import FPDF

from service.reports.narrative import NOTHING, PUBLIC_NOTE, Narrative

# Core fonts cover Windows-1252: enough for the report's English text, including the
# typographic apostrophe of the seed; anything else is replaced rather than crashing.
ENCODING = "windows-1252"


def _safe(text: str) -> str:
    return text.encode(ENCODING, "replace").decode(ENCODING)


def to_pdf(narrative: Narrative) -> bytes:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_safe(narrative.title))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(width, 8, _safe(narrative.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("helvetica", "", 10)
    for line in narrative.header:
        pdf.multi_cell(width, 5, _safe(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(width, 5, _safe(narrative.intro), new_x="LMARGIN", new_y="NEXT")
    for section in narrative.sections:
        pdf.ln(4)
        pdf.set_font("helvetica", "B", 12)
        pdf.multi_cell(width, 7, _safe(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 10)
        if not section.bullets:
            pdf.multi_cell(width, 5, _safe(NOTHING), new_x="LMARGIN", new_y="NEXT")
        for bullet in section.bullets:
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 5, _safe(f"\u2022 {bullet}"), new_x="LMARGIN", new_y="NEXT")
    if narrative.public:
        pdf.ln(4)
        pdf.set_font("helvetica", "I", 9)
        pdf.multi_cell(width, 5, _safe(PUBLIC_NOTE), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
