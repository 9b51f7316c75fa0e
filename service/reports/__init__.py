"""The donor progress report: indicator queries, privacy floor and renderers.

The room's rule: session and period in, the indicators object and its documents (JSON,
Markdown, xlsx, docx, pdf, English and Bangla) out; the CLI, the API, the dashboard and
DHIS2 all call the same functions. Words live in `labels.toml`. May import SQLAlchemy, the
document libraries, `workers.settings` and `schemas`; never Flask (no request here) and
no other `service` package.
"""
