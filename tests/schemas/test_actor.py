"""Actor: the three authors of an audit entry, rendered as the strings stored since the start."""

from __future__ import annotations

import pytest

from schemas.actor import Actor, ActorKind


def test_each_actor_renders_as_the_stored_value() -> None:
    assert str(Actor.reporter(17)) == "reporter:17"
    assert str(Actor.user(3)) == "user:3"
    assert str(Actor.system()) == "system"


def test_actors_compare_by_kind_and_id() -> None:
    assert Actor.user(3) == Actor.user(3)
    assert Actor.user(3) != Actor.reporter(3)
    assert Actor.system() == Actor(ActorKind.SYSTEM)


@pytest.mark.parametrize("bad", [None, 0, -1, True, "3"])
def test_a_reporter_or_user_without_a_real_id_is_refused(bad: object) -> None:
    # An unflushed row has id None: "reporter:None" must never reach the audit table.
    with pytest.raises(ValueError, match="positive id"):
        Actor.reporter(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive id"):
        Actor.user(bad)  # type: ignore[arg-type]


def test_the_system_actor_takes_no_id() -> None:
    with pytest.raises(ValueError, match="no id"):
        Actor(ActorKind.SYSTEM, 1)
