"""Canonical SMS text of a Command: parsing it back (same sender and received time) gives an
equal Command, except for the typo notes (typed_keyword, Place.typed), which are dropped."""

from __future__ import annotations

from datetime import date

from schemas.commands import Command
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer


def render_date(when: date) -> str:
    return f"{when.day}/{when.month}/{when.year}"


def _tail(command: Command, with_place: bool = False) -> list[str]:
    """The optional trailing fields, present only when they were given explicitly."""
    given = command.date_given and command.activity_date is not None
    parts = [render_date(command.activity_date)] if given and command.activity_date else []
    if with_place and command.place_given and command.place is not None:
        parts.append(load_gazetteer().render_name(command.place))
    return parts


def to_text(command: Command) -> str:
    """The command as an English SMS (dates D/M/YYYY, places by English name)."""
    keyword = command.keyword
    shape = load_catalog().command(keyword).shape
    code = command.code or ""
    parts: list[str]
    if shape == "event":
        parts = [keyword] + ([command.day_code] if command.day_code else [])
        parts.append(str(command.total))
        parts += [f"{letter}{count}" for letter, count in command.tags]
        parts += _tail(command, with_place=True)
    elif shape == "enrol":
        parts = [keyword, command.sex or "", str(command.age), *_tail(command, with_place=True)]
    elif shape == "code":
        parts = [keyword, code, *_tail(command)]
    elif shape == "members":
        parts = [keyword, code, str(command.members), *_tail(command)]
    elif shape == "referral":
        parts = [keyword, code, command.service or "", *_tail(command)]
    elif shape == "outcome":
        parts = ["REF", f"R{command.referral}", command.outcome or "", *_tail(command)]
    elif shape == "emergency":
        parts = [keyword, code, *command.kinds, *_tail(command)]
    elif shape == "support":
        parts = [keyword, code, command.partner or "", *_tail(command)]
    elif shape == "help":
        parts = [keyword] + ([command.topic] if command.topic else [])
    elif shape == "undo":
        parts = [keyword, str(command.record)]
    elif shape == "lang":
        parts = [keyword, command.lang.name if command.lang else ""]
    else:
        parts = [keyword]
    return " ".join(p for p in parts if p)
