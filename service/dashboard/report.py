"""The report page: pick a period, read the narrative, download it as xlsx, docx or pdf."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from markdown_it import MarkdownIt
from markupsafe import Markup

from schemas.periods import Period, PeriodError, resolve_period
from service.dashboard import access, bp
from service.dashboard.i18n import current_lang
from service.dashboard.overview import local_today
from service.reports.build import (
    Report,
    ReportError,
    build_report,
    make_scope,
    project_dates,
    upazila_names,
)
from service.reports.render import DOCUMENTS, MEDIA_TYPES, render
from service.reports.render_md import to_markdown
from service.web import db, settings

DOWNLOADS = ("xlsx", "docx", "pdf", "md")
# Raw HTML in the narrative is shown as text, never interpreted.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def _choice() -> tuple[str, str, str, str, bool]:
    args = request.args
    period = args.get("period", "").strip()[:20]
    start, end = args.get("from", "").strip()[:10], args.get("to", "").strip()[:10]
    upazila = args.get("upazila", "").strip()[:60]
    if start or end:
        period = ""  # dates picked: they win over the period box the form keeps filled in
    elif not period:
        period = str(local_today(settings().timezone).year)
    # Exact survivor numbers are for coordinators; everyone else gets the public floor.
    public = args.get("public") == "1" or not access.is_coordinator()
    return period, start, end, upazila, public


def _period(period: str, start: str, end: str) -> Period:
    first, last = project_dates(settings())
    return resolve_period(
        start=start or None,
        end=end or None,
        period=period or None,
        project_start=first,
        project_end=last,
    )


def _build(
    period: str, start: str, end: str, upazila: str, public: bool, breakdowns: bool = False
) -> Report:
    scope = make_scope(_period(period, start, end), upazila or None, None, public=public)
    # Like `ashshash report`: the documents carry the tables; the report speaks the page's
    # language (the Bangla dashboard gives the Bangla edition in every format).
    return build_report(
        db(), settings(), scope, public=public, breakdowns=breakdowns, lang=current_lang()
    )


@bp.get("/report")
def report():  # type: ignore[no-untyped-def]
    period, start, end, upazila, public = _choice()
    html, error = None, None
    try:
        built = _build(period, start, end, upazila, public)
        html = Markup(_MARKDOWN.render(to_markdown(built.narrative)))  # noqa: S704 - escaped
    except (PeriodError, ReportError) as exc:
        error = str(exc)
    query = {
        k: v
        for k, v in (("period", period), ("from", start), ("to", end), ("upazila", upazila))
        if v
    }
    if public and access.is_coordinator():
        query["public"] = "1"
    page = render_template(
        "report.html",
        html=html,
        shortcuts=_shortcuts(),
        error=error,
        period=period,
        start=start,
        end=end,
        upazila=upazila,
        upazilas=upazila_names(),
        public=public,
        query=query,
        downloads=DOWNLOADS,
    )
    return page, (200 if error is None else 400)


def _shortcuts() -> list[str]:
    """Periods one click away: this and last year, this quarter, this fiscal year, all."""
    today = local_today(settings().timezone)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    fiscal = f"FY{today.year + 1 if today.month >= 10 else today.year}"
    return [str(today.year), str(today.year - 1), quarter, fiscal, "project"]


@bp.get("/report/download.<fmt>")
def report_download(fmt: str):  # type: ignore[no-untyped-def]
    if fmt not in DOWNLOADS:
        abort(404)
    period, start, end, upazila, public = _choice()
    try:
        built = _build(period, start, end, upazila, public, breakdowns=fmt in DOCUMENTS)
    except (PeriodError, ReportError):
        abort(400)
    body = render(built, fmt)
    name = _filename(_period(period, start, end), upazila, public, fmt)
    return Response(
        body,
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filename(period: Period, upazila: str, public: bool, fmt: str) -> str:
    parts = ["report", period.start.isoformat(), period.end.isoformat()]
    if upazila:
        parts.append("".join(ch for ch in upazila if ch.isalnum()))
    if public:
        parts.append("public")
    if current_lang() != "en":
        parts.append(current_lang())  # the Bangla edition is another file
    return "-".join(parts) + f".{fmt}"
