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
    return refuse(Role(reporter.role), keyword, code, field, **detail)


def refuse(
    role: Role,
    keyword: str | None,
    code: ErrorCode,
    field: str | None = None,
    /,
    **detail: str | int,
) -> Rejected:
    """`reject` for a sender who is not a reporter (a dashboard user undoing a record)."""
    return Rejected(errors=(ParseError(code, field, dict(detail)),), role=role, keyword=keyword)
