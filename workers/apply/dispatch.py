"""The dispatch table: each catalog shape (schemas/commands.toml) -> the handler that applies it.

The catalog says what a command is (`shape = "event"`, `"code"`, ...); this table says who
writes its records. A keyword added to the catalog with a known shape is dispatched with no
change here; a new shape needs its row (tests/workers/test_apply_dispatch.py checks that every
catalog command has exactly one handler).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command
from schemas.outcomes import Outcome
from schemas.parse.catalog import Catalog, CommandSpec, load_catalog
from schemas.tables import InboundMessage, Reporter
from workers.apply.common import help_list, set_lang, who
from workers.apply.events import apply_event
from workers.apply.records import Later
from workers.apply.referrals import record_outcome, refer
from workers.apply.survivors import apply_service, enrol
from workers.apply.undo import Canceller, undo


@dataclass(frozen=True)
class Applying:
    """One command on its way to the database: what any handler may read, passed as one."""

    session: Session
    message: InboundMessage
    reporter: Reporter
    command: Command
    actor: Actor  # who the audit entries name; apply_command passes the reporter
    rng: random.Random | None = None  # ENR's code generator; None: the system's
    later: Later | None = None  # a drain batch's deferred flush, for handlers that wait


Handler = Callable[[Applying], Outcome]


@dataclass(frozen=True)
class Route:
    """A shape's handler and whether it reads nothing (a drain batch may defer its flush)."""

    handler: Handler
    waits: bool = False


def _event(a: Applying) -> Outcome:
    return apply_event(
        a.session,
        message=a.message,
        reporter=a.reporter,
        command=a.command,
        actor=a.actor,
        later=a.later,
    )


def _enrol(a: Applying) -> Outcome:
    # Looked up per call, not bound at import: tests seed the generator by patching it.
    rng = a.rng or random.SystemRandom()
    return enrol(
        a.session, message=a.message, reporter=a.reporter, command=a.command, actor=a.actor, rng=rng
    )


def _service(a: Applying) -> Outcome:
    return apply_service(
        a.session, message=a.message, reporter=a.reporter, command=a.command, actor=a.actor
    )


def _refer(a: Applying) -> Outcome:
    return refer(
        a.session, message=a.message, reporter=a.reporter, command=a.command, actor=a.actor
    )


def _outcome(a: Applying) -> Outcome:
    return record_outcome(
        a.session, message=a.message, reporter=a.reporter, command=a.command, actor=a.actor
    )


def _undo(a: Applying) -> Outcome:
    return undo(a.session, message=a.message, command=a.command, by=Canceller.reporter(a.reporter))


def _lang(a: Applying) -> Outcome:
    return set_lang(
        a.session, message=a.message, reporter=a.reporter, command=a.command, actor=a.actor
    )


def _who(a: Applying) -> Outcome:
    return who(a.reporter)


def _help(a: Applying) -> Outcome:
    return help_list(a.reporter, a.command)


# One row per shape of schemas/parse/catalog.SHAPES. `waits`: decided without reading the
# database, and writing at most an event record and its audit entry (events and CC, WHO, HELP).
ROUTES: Mapping[str, Route] = {
    "event": Route(_event, waits=True),
    "enrol": Route(_enrol),
    "code": Route(_service),
    "members": Route(_service),
    "emergency": Route(_service),
    "support": Route(_service),
    "referral": Route(_refer),
    "outcome": Route(_outcome),
    "undo": Route(_undo),
    "lang": Route(_lang),
    "who": Route(_who, waits=True),
    "help": Route(_help, waits=True),
}


def spec_of(keyword: str, catalog: Catalog | None = None) -> CommandSpec | None:
    """The catalog's entry for a canonical keyword, or None for a keyword it does not know."""
    return (catalog or load_catalog()).commands.get(keyword)


def route_for(keyword: str, catalog: Catalog | None = None) -> Route | None:
    """The route of a canonical keyword, or None: not in the catalog, or a shape unrouted."""
    spec = spec_of(keyword, catalog)
    return ROUTES.get(spec.shape) if spec is not None else None


def unrouted(catalog: Catalog) -> list[str]:
    """The catalog's keywords that no handler takes (empty when the table is complete)."""
    return [kw for kw, spec in catalog.commands.items() if spec.shape not in ROUTES]
