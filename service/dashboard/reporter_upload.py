"""Reporters CSV import in the browser: upload, a progress bar while it runs, the row report.

No script runs on the dashboard, so the progress page itself drives the import: each load
imports the next slice (about a second) and, until the file is done, asks the browser to load
it again at once. The browser keeps showing the last bar while the next slice runs. Only the
coordinator who uploaded a file can move its import on; the upload itself is a CSRF-checked
POST, so a forged link can at most continue an import its owner already started.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from schemas.tables import ReporterImport
from service.dashboard import access, bp
from service.dashboard.reporters import actor
from service.web import db, settings
from workers.reporter_import import advance, report_of, start_import
from workers.reporters import COLUMNS, CsvError, decode_csv

# An upload may be larger than a webhook body (MAX_BODY_BYTES); 5 MB is ~50,000 reporters.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_ENDPOINTS = frozenset({"dashboard.reporters_import"})


def raise_upload_limit() -> None:
    """Runs before the CSRF check reads the form, so the larger limit applies to the upload."""
    if request.endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = UPLOAD_MAX_BYTES


def _upload_form(problem: str | None, status: int):  # type: ignore[no-untyped-def]
    page = render_template(
        "reporters_import.html",
        job=None,
        problem=problem,
        columns=",".join(COLUMNS),
        max_mb=UPLOAD_MAX_BYTES // 2**20,
    )
    return page, status


@bp.route("/reporters/import", methods=["GET", "POST"])
@access.coordinator_only
def reporters_import():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return _upload_form(None, 200)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_form("import_no_file", 400)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    user = access.current_user()
    assert user is not None
    try:
        job = start_import(db(), user.id, name, decode_csv(upload.read(), name))
    except CsvError as exc:
        db().rollback()
        return _upload_form(str(exc), 400)
    # The first slice runs now; a small file is done before the browser is redirected.
    advance(db(), job, region=settings().default_region, actor=actor())
    db().commit()
    return redirect(url_for("dashboard.reporters_import_progress", job_id=job.id), 303)


@bp.get("/reporters/import/<int:job_id>")
@access.coordinator_only
def reporters_import_progress(job_id: int):  # type: ignore[no-untyped-def]
    job = db().get(ReporterImport, job_id)
    user = access.current_user()
    if job is None or user is None or job.user_id != user.id:
        abort(404)
    advance(db(), job, region=settings().default_region, actor=actor())
    db().commit()
    return render_template(
        "reporters_import.html",
        job=job,
        report=report_of(job),
        problem=None,
        columns=",".join(COLUMNS),
        max_mb=UPLOAD_MAX_BYTES // 2**20,
        again=url_for("dashboard.reporters_import_progress", job_id=job.id),
    )
