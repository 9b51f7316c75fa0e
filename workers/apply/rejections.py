"""Rejections the database decides (unknown code, referral or record; undo rules)."""

from __future__ import annotations

from schemas.commands import ErrorCode, ParseError, Role
from schemas.outcomes import Rejected
from schemas.tables import Reporter


def reject(
    reporter: Reporter,
    keyword: str | None,
    code: ErrorCode,
    field: str | None = None,
    /,
    **detail: str | int,
) -> Rejected:
    return Rejected(
        errors=(ParseError(code, field, dict(detail)),), role=Role(reporter.role), keyword=keyword
    )
