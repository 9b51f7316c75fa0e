"""Event records (MEET ... DAY) and community counselling (CC): counts, day code and place."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command
from schemas.outcomes import Accepted
from schemas.tables import InboundMessage, Reporter
from workers.apply.audit import audit_record
from workers.apply.records import NOT_YET, TAG_COLUMNS, Later, new_record


def apply_event(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
    later: Later | None = None,
) -> Accepted:
    """The event record and its audit entry. With `later` (a drain batch) the record is only
    added: its id, the audit entry and the answer's record number come after the batch's
    one INSERT; the Accepted returned until then carries NOT_YET as its record number."""
    record = new_record(session, message=message, reporter=reporter, command=command, flush=False)
    tags = dict(command.tags)
    for letter, column in TAG_COLUMNS.items():
        setattr(record, column, tags.get(letter))
    # The parser derives the total from a tag group when none was typed; summing the
    # gender group is the same rule for a hand-built command without one.
    record.total = command.total if command.total is not None else _gender_sum(tags)
    record.day_code = command.day_code
    record.topic = command.training_topic  # TRN ... TOPIC: stored, shown, never replied
    if command.place is not None:
        record.upazila = command.place.upazila
        record.union = command.place.union
    else:
        # No place typed and none filled in: the sender's registered union.
        record.upazila = reporter.upazila
        record.union = reporter.union
    if later is not None and message.id is not None:
        later.add(
            message.id,
            record,
            lambda: audit_record(session, actor=actor, message_id=message.id, record=record),
        )
        return Accepted(command=command, record_id=NOT_YET)
    # Flushed with every column set: one INSERT, not an INSERT and then an UPDATE.
    session.flush()
    audit_record(session, actor=actor, message_id=message.id, record=record)
    return Accepted(command=command, record_id=record.id)


def _gender_sum(tags: dict[str, int]) -> int | None:
    parts = [tags[letter] for letter in ("M", "F", "O") if letter in tags]
    if parts:
        return sum(parts)
    audience = [tags[letter] for letter in ("S", "T", "P", "Y", "C") if letter in tags]
    return sum(audience) if audience else None
