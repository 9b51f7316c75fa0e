"""Who made a change: a reporter (SMS, USSD), a dashboard user, or the system (CLI, jobs)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    REPORTER = "reporter"
    USER = "user"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """The author of an audit entry, stored as "reporter:<id>", "user:<id>" or "system".

    Build one with `Actor.reporter(id)`, `Actor.user(id)` or `Actor.system()`; `str(actor)`
    is the stored value (the audit column and its values are unchanged by this type)."""

    kind: ActorKind
    id: int | None = None

    def __post_init__(self) -> None:
        # An id of None would be stored as "reporter:None": an unflushed row, a bug upstream.
        if self.kind is ActorKind.SYSTEM:
            if self.id is not None:
                raise ValueError("the system actor has no id")
        elif not isinstance(self.id, int) or isinstance(self.id, bool) or self.id < 1:
            raise ValueError(f"a {self.kind.value} actor needs a positive id, not {self.id!r}")

    @classmethod
    def reporter(cls, reporter_id: int) -> Actor:
        return cls(ActorKind.REPORTER, reporter_id)

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls(ActorKind.USER, user_id)

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM)

    def __str__(self) -> str:
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"
