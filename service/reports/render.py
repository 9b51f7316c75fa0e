"""One entry point for every output format: a built report in, bytes out."""

from __future__ import annotations

import json

from service.reports.build import Report

FORMATS = ("json", "md", "xlsx", "docx", "pdf")
DOCUMENTS = ("xlsx", "docx", "pdf")  # the formats with tables: built with breakdowns
MEDIA_TYPES = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(report: Report, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(report.indicators, indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "md":
        from service.reports.render_md import to_markdown

        return to_markdown(report.narrative).encode("utf-8")
    if fmt == "xlsx":
        from service.reports.render_xlsx import to_xlsx

        return to_xlsx(report)
    if fmt == "docx":
        from service.reports.render_docx import to_docx

        return to_docx(report)
    if fmt == "pdf":
        from service.reports.render_pdf import to_pdf

        return to_pdf(report)
    raise ValueError(f"unknown format {fmt!r}")
