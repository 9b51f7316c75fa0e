"""The donor progress report: indicator queries, privacy floor and renderers."""
