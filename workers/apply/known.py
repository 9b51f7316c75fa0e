"""What a drain batch already read about one of its messages, so the single path skips it."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.outcomes import Duplicate


@dataclass(frozen=True)
class Known:
    """Facts from a batch's batch-wide queries, still true when the message's turn comes.

    Whether the message has a record or a reply holds for the whole batch: only processing
    the message itself writes them. The duplicate answer holds only for the first message of
    its (sender, text) in the batch, and only when the first copy found is not itself a
    duplicate (whose status takes another query); otherwise `duplicate_checked` is False.
    """

    has_record: bool
    has_reply: bool
    duplicate_checked: bool = False
    duplicate: Duplicate | None = None
