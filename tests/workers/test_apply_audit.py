"""The audit writer stores the actor it is given, and only an Actor."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from schemas.actor import Actor
from workers.apply.audit import audit


@pytest.mark.parametrize(
    ("actor", "stored"),
    [(Actor.reporter(4), "reporter:4"), (Actor.user(2), "user:2"), (Actor.system(), "system")],
)
def test_the_entry_stores_the_actor_as_given(session: Session, actor: Actor, stored: str) -> None:
    entry = audit(
        session, actor=actor, action="test", entity="records", entity_id=None, inbound_id=None
    )
    session.flush()
    assert entry.id is not None and entry.actor == stored


def test_a_bare_string_is_not_an_actor(session: Session) -> None:
    with pytest.raises(TypeError, match="Actor"):
        audit(
            session,
            actor="user:1",  # type: ignore[arg-type]
            action="test",
            entity="records",
            entity_id=None,
            inbound_id=None,
        )
