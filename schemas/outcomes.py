"""What happened to a message, as data: the worker decides it, `replies` words it."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.commands import Command, ParseError, Role


@dataclass(frozen=True)
class Accepted:
    """A record was written. `code` is set for ENR (the new survivor code), `referral` for REF.
    For a referral outcome, `code` and `service` are the referral's, `changed` says that an
    earlier outcome was replaced."""

    command: Command
    record_id: int
    code: str | None = None
    referral: int | None = None
    service: str | None = None
    changed: bool = False


@dataclass(frozen=True)
class Rejected:
    """Not saved. `keyword` is the canonical keyword when it was read (for the usage line)."""

    errors: tuple[ParseError, ...]
    role: Role
    keyword: str | None = None


@dataclass(frozen=True)
class Duplicate:
    """Same sender, same text within 10 minutes: points at the first record (if it made one)."""

    first_record_id: int | None
    first_status: str  # status of the first message: accepted | rejected | ...


@dataclass(frozen=True)
class Undone:
    record_id: int
    keyword: str  # keyword of the cancelled record


@dataclass(frozen=True)
class LangSet:
    lang: str  # "en" | "bn": the reply is already in the new language


@dataclass(frozen=True)
class WhoAmI:
    name: str
    role: Role
    union: str | None


@dataclass(frozen=True)
class HelpList:
    role: Role
    topic: str | None = None  # a canonical keyword: reply with its form; None: list keywords


@dataclass(frozen=True)
class Ignored:
    """Only filler words (`ok`, `thanks`, an emoji): stored as ignored, never answered."""


@dataclass(frozen=True)
class NotRegistered:
    """Unknown or deactivated number: no record, at most one such reply a day."""


Outcome = (
    Accepted | Rejected | Duplicate | Undone | LangSet | WhoAmI | HelpList | NotRegistered | Ignored
)
