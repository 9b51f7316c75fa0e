"""USSD END screens: what a Save came to, the caller's last records, and the not-registered line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from schemas.commands import EVENT_KEYWORDS, Lang
from schemas.outcomes import Accepted, Duplicate, LangSet, NotRegistered, Outcome, Rejected
from schemas.ussd.ask import reason
from schemas.ussd.flows import Screen
from schemas.ussd.words import word

# The short label of a record keyword on the "My last 3 records" list.
LABELS = {
    **{kw: kw for kw in EVENT_KEYWORDS},
    "IC": "IC_long",
    "FC": "FC_long",
    "NA": "NA_long",
    "CERT": "CERT",
    "ENR": "ENR",
    "REF": "REF",
    "REFOUT": "REFOUT",
    "CC": "CC_long",
    "EMG": "EMG_long",
    "SUP": "SUP_long",
}


@dataclass(frozen=True)
class RecentRecord:
    """One line of "My last 3 records": number, type and date only (no survivor details)."""

    record_id: int
    keyword: str
    activity_date: date
    cancelled: bool = False


def outcome_screen(outcome: Outcome, lang: Lang) -> Screen:
    """The END screen after Save: the record number, or the reason it was not saved."""
    if isinstance(outcome, Accepted):
        parts = [word("saved", lang, id=outcome.record_id)]
        if outcome.code:
            parts.append(word("new_code", lang, code=outcome.code))
        if outcome.referral:
            parts.append(word("ref_no", lang, n=outcome.referral))
        parts.append(word("undo_hint", lang, id=outcome.record_id))
        return Screen("END", "\n".join(parts))
    if isinstance(outcome, Rejected):
        why = reason(lang, outcome.errors[0]) if outcome.errors else word("not_valid", lang)
        return Screen("END", word("not_saved", lang, reason=why))
    if isinstance(outcome, Duplicate):
        if outcome.first_record_id:
            return Screen("END", word("already", lang, id=outcome.first_record_id))
        return Screen("END", word("already_received", lang))
    if isinstance(outcome, LangSet):
        return Screen("END", word("lang_set", Lang(outcome.lang)))
    if isinstance(outcome, NotRegistered):
        return not_registered()
    return Screen("END", word("done", lang))


def recent_screen(records: Sequence[RecentRecord], lang: Lang) -> Screen:
    if not records:
        return Screen("END", word("no_records", lang))
    lines = []
    for r in records:
        label = word(LABELS[r.keyword], lang) if r.keyword in LABELS else r.keyword
        mark = f" ({word('cancelled_mark', lang)})" if r.cancelled else ""
        lines.append(f"#{r.record_id} {label} {r.activity_date.strftime('%d/%m/%y')}{mark}")
    return Screen("END", "\n".join(lines))


def not_registered() -> Screen:
    # The caller's language is unknown: the line carries both.
    return Screen("END", word("not_registered", Lang.EN))


def busy(lang: Lang) -> Screen:
    return Screen("END", word("try_later", lang))


def in_progress(lang: Lang) -> Screen:
    return Screen("END", word("in_progress", lang))
