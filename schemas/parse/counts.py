"""An event report's counts checked: the total in range, and each tag group summing to it."""

from __future__ import annotations

from typing import Any

from schemas.commands import ErrorCode, ParseError
from schemas.parse.catalog import CommandSpec, TagGroup


def check_counts(
    spec: CommandSpec,
    total: int | None,
    tags: list[tuple[str, int]],
    limit: int,
    fields: dict[str, Any],
) -> list[ParseError]:
    """Total in range; each tag group given sums exactly to it (the total may come from one:
    the group typed first)."""
    groups: list[TagGroup] = []  # in the order of each group's first typed tag
    for letter, _ in tags:
        for group in spec.tag_groups:
            if letter in group.tags and not any(g is group for g in groups):
                groups.append(group)
    if total is None:
        if not groups:
            return [ParseError(ErrorCode.MISSING_FIELD, "total")]
        first = groups[0].tags
        total = sum(n for t, n in tags if t in first)
    if not 1 <= total <= limit:
        limits: dict[str, str | int] = {"value": total, "min": 1, "max": limit}
        return [ParseError(ErrorCode.OUT_OF_RANGE, "total", limits)]
    fields["total"] = total
    errors = []
    for group in groups:
        parts = [(t, n) for t, n in tags if t in group.tags]
        got = sum(n for _, n in parts)
        if got != total:
            detail: dict[str, str | int] = {
                "parts": "+".join(f"{t}{n}" for t, n in parts),
                "sum": got,
                "total": total,
            }
            errors.append(ParseError(ErrorCode.SUM_MISMATCH, group.field, detail))
    return errors
