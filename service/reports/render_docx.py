"""Word (.docx) rendering of the narrative report with python-docx."""

from __future__ import annotations

import io

from docx import Document

from service.reports.narrative import NOTHING, PUBLIC_NOTE, Narrative


def to_docx(narrative: Narrative) -> bytes:
    doc = Document()
    doc.core_properties.title = narrative.title
    doc.add_heading(narrative.title, level=0)
    for line in narrative.header:
        doc.add_paragraph(line)
    doc.add_paragraph(narrative.intro)
    for section in narrative.sections:
        doc.add_heading(section.title, level=1)
        if not section.bullets:
            doc.add_paragraph(NOTHING)
        for bullet in section.bullets:
            doc.add_paragraph(bullet, style="List Bullet")
    if narrative.public:
        doc.add_paragraph(PUBLIC_NOTE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
