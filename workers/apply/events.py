"""Event records (MEET ... DAY) and community counselling (CC): counts, day code and place."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schemas.commands import Command
from schemas.outcomes import Accepted
from schemas.tables import InboundMessage, Reporter
from workers.apply.audit import audit_record
from workers.apply.records import TAG_COLUMNS, new_record


def apply_event(
    session: Session, *, message: InboundMessage, reporter: Reporter, command: Command
) -> Accepted:
    record = new_record(session, message=message, reporter=reporter, command=command)
    tags = dict(command.tags)
    for letter, column in TAG_COLUMNS.items():
        setattr(record, column, tags.get(letter))
    # The parser derives the total from a tag group when none was typed; summing the
    # gender group is the same rule for a hand-built command without one.
    record.total = command.total if command.total is not None else _gender_sum(tags)
    record.day_code = command.day_code
    if command.place is not None:
        record.upazila = command.place.upazila
        record.union = command.place.union
    else:
        # No place typed and none filled in: the sender's registered union.
        record.upazila = reporter.upazila
        record.union = reporter.union
    audit_record(session, reporter=reporter, message_id=message.id, record=record)
    return Accepted(command=command, record_id=record.id)


def _gender_sum(tags: dict[str, int]) -> int | None:
    parts = [tags[letter] for letter in ("M", "F", "O") if letter in tags]
    if parts:
        return sum(parts)
    audience = [tags[letter] for letter in ("S", "T", "P", "Y", "C") if letter in tags]
    return sum(audience) if audience else None
