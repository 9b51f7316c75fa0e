"""Building Record rows from a command and a message, and finding one already written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import Command
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Reporter, Survivor

# Tag letters of a command -> Record columns (the parser gives canonical letters).
TAG_COLUMNS = {
    "M": "m",
    "F": "f",
    "O": "o",
    "S": "students",
    "T": "teachers",
    "P": "parents",
    "Y": "youths",
    "C": "cbo",
}
# The record number of an Accepted whose record a drain batch has not inserted yet; the
# batch replaces it with the real id (`Later.records`) before the answer is worded.
NOT_YET = 0


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def activity_date(command: Command, message: InboundMessage) -> date:
    """The parser sets the activity date for every record keyword; the received date is the
    contract's own default should a hand-built command arrive without one."""
    return command.activity_date or aware(message.provider_time).date()


def existing_record(session: Session, message: InboundMessage) -> Record | None:
    """The record this message already made (a retried job must not write a second one)."""
    if message.id is None:
        return None
    return session.scalar(select(Record).where(Record.inbound_id == message.id))


def new_record(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    keyword: str | None = None,
    survivor: Survivor | None = None,
    flush: bool = True,
) -> Record:
    """A Record carrying the fields every keyword shares, flushed so its id is known.

    `flush=False` leaves the INSERT to the caller's next flush, so a caller that fills in
    more columns first writes the row in one statement instead of an INSERT and an UPDATE.
    """
    record = Record(
        inbound_id=message.id,
        reporter_id=reporter.id,
        channel=message.channel,
        keyword=keyword or command.keyword,
        status=RecordStatus.ACTIVE,
        activity_date=activity_date(command, message),
        received_at=aware(message.provider_time),
        created_at=datetime.now(UTC),
    )
    if survivor is not None:
        # The survivor's registered place, so survivor indicators filter by upazila/union.
        record.survivor_id = survivor.id
        record.upazila = survivor.upazila
        record.union = survivor.union
        record.survivor_child = survivor.is_child  # the report counts children from records
    session.add(record)
    if flush:
        session.flush()
    return record


@dataclass
class Later:
    """Records a drain batch added without flushing: one INSERT for the batch gives them ids,
    then `written` runs what needed an id (the audit entries naming the records)."""

    records: dict[int, Record] = field(default_factory=dict)  # inbound id -> its new record
    after: list[Callable[[], object]] = field(default_factory=list)

    def add(self, inbound_id: int, record: Record, then: Callable[[], object]) -> None:
        self.records[inbound_id] = record
        self.after.append(then)

    def written(self) -> None:
        """Call after the flush that inserted the records."""
        for then in self.after:
            then()
        self.after.clear()


def active_survivor(session: Session, code: str | None) -> Survivor | None:
    """The survivor with this code, unless its enrolment was undone."""
    if not code:
        return None
    return session.scalar(select(Survivor).where(Survivor.code == code, Survivor.active.is_(True)))
