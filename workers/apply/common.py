"""Common commands that write no record: LANG, WHO, HELP."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, ErrorCode, Lang, Role
from schemas.outcomes import HelpList, LangSet, Rejected, WhoAmI
from schemas.tables import InboundMessage, Reporter
from workers.apply.audit import audit
from workers.apply.rejections import reject


def set_lang(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
) -> LangSet | Rejected:
    if command.lang is None:
        return reject(reporter, "LANG", ErrorCode.MISSING_FIELD, "lang")
    new = Lang(command.lang).value
    if reporter.language != new:
        old = reporter.language
        reporter.language = new
        audit(
            session,
            actor=actor,
            action="lang",
            entity="reporters",
            entity_id=reporter.id,
            inbound_id=message.id,
            detail={"from": old, "to": new},
        )
    return LangSet(lang=new)


def who(reporter: Reporter) -> WhoAmI:
    return WhoAmI(name=reporter.name, role=Role(reporter.role), union=reporter.union)


def help_list(reporter: Reporter, command: Command) -> HelpList:
    return HelpList(role=Role(reporter.role), topic=command.topic)
