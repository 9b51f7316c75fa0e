"""Feeds the planned traffic through the real SMS pipeline, and counts the plan independently."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.envelope import InboundEnvelope
from tests.reports_fixture import REPORTERS, Fact, Msg, Planner
from workers.inbound.process import process_one
from workers.inbound.store import store_inbound
from workers.reporters import import_csv
from workers.settings import Settings

_PLACEHOLDER = re.compile(r"\{(s|r|rec):([a-z0-9]+)\}")
COMMIT_EVERY = 200


@dataclass
class Fed:
    codes: dict[int, str] = field(default_factory=dict)  # survivor index -> code
    referrals: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)


def reporters_csv() -> str:
    lines = ["phone,name,role,union,language"]
    lines += [f"{phone},{name},{role},{union},en" for phone, name, role, union, _ in REPORTERS]
    return "\n".join(lines) + "\n"


def _fill(text: str, fed: Fed) -> str:
    def sub(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if kind == "s":
            return fed.codes.get(int(key), "000000")
        if kind == "r":
            return f"R{fed.referrals.get(key, 0)}"
        return str(fed.records.get(key, 0))

    return _PLACEHOLDER.sub(sub, text)


def feed(session: Session, settings: Settings, plan: Planner) -> Fed:
    """Every planned message through store_inbound + process_one (a batch of one), in
    provider-time order."""
    # Months of traffic stored within seconds: the hourly reply limit (stored time) would
    # silence the replies whose codes and R numbers the plan reads back.
    settings = settings.with_(sender_hourly_limit=0)
    report = import_csv(session, reporters_csv(), actor=Actor.system())
    assert not report.problems, report.problems
    session.commit()
    fed = Fed()
    rng = random.Random(7)
    for i, msg in enumerate(plan.msgs):
        text = _fill(msg.text, fed)
        stored, created = store_inbound(
            session,
            settings,
            InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id=f"fx-{i}",
                sender=msg.sender,
                text=text,
                provider_time=msg.at,
            ),
        )
        assert created
        result = process_one(session, settings, stored, reply_by_sms=True, rng=rng)
        if result.status != msg.expect:
            fed.mismatches.append(
                f"{msg.at:%Y-%m-%d %H:%M} {text!r}: {result.status}"
                f" ({stored.reason}), expected {msg.expect}"
            )
        elif msg.expect == "accepted" and msg.key:
            _remember(fed, msg, result, text)
        if msg.redeliver:
            again, created_again = store_inbound(
                session,
                settings,
                InboundEnvelope(
                    channel="sms",
                    provider="at",
                    provider_id=f"fx-{i}",
                    sender=msg.sender,
                    text=text,
                    provider_time=msg.at,
                ),
            )
            # Stored once: the same row comes back, already processed, and is not processed
            # again.
            assert not created_again
            assert again.id == stored.id and again.status == msg.expect
        if i % COMMIT_EVERY == 0:
            session.commit()
    session.commit()
    return fed


def _remember(fed: Fed, msg: Msg, result: Any, text: str) -> None:
    fed.records[msg.key or ""] = result.record_id
    if msg.key and msg.key.startswith("s"):
        code = result.outcome.code
        # The code the counsellor would type next is the one the reply carried.
        assert code and code in (result.reply_text or ""), result.reply_text
        fed.codes[int(msg.key[1:])] = code
    elif msg.key and msg.key.startswith("ref"):
        fed.referrals[msg.key] = result.outcome.referral
        assert f"R{result.outcome.referral}" in (result.reply_text or "")


# --- the plan's own arithmetic, independent of the service's SQL -----------------------------

EVENTS = ("MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN")
_SURV = {
    "ENR": "enrolled",
    "NA": "needs_assessed",
    "IC": "individual_counselling",
    "FC": "families_counselled",
    "CERT": "certified",
    "EMG": "emergency_support",
}


def counted(
    plan: Planner, start: date, end: date, upazila: str | None = None, union: str | None = None
) -> list[Fact]:
    out = []
    for m in plan.msgs:
        f = m.fact
        if f is None or m.expect != "accepted" or m.undone or not start <= f.day <= end:
            continue
        if (upazila and f.upazila != upazila) or (union and f.union != union):
            continue
        out.append(f)
    return out


def expected(
    plan: Planner, start: date, end: date, upazila: str | None = None, union: str | None = None
) -> dict[str, Any]:
    """The indicators the plan should produce for a scope, worked out in plain Python."""
    facts = counted(plan, start, end, upazila, union)
    who: dict[str, set[Any]] = defaultdict(set)
    most: dict[int, int] = {}
    events: dict[str, list[Fact]] = defaultdict(list)
    done: set[str] = set()
    for f in facts:
        if f.keyword in _SURV:
            who[_SURV[f.keyword]].add(f.survivor)
        if f.keyword == "FC":
            most[f.survivor] = max(most.get(f.survivor, 0), f.members or 0)  # type: ignore[index]
        if f.keyword == "REF":
            who[f"ref:{f.service}"].add(f.survivor)
        if f.keyword == "SUP":
            who[f"sup:{f.partner}"].add(f.survivor)
        if f.keyword == "REFOUT" and f.outcome == "DONE":
            done.add(f.referral or "")
        if f.survivor is not None and plan.survivors[f.survivor].age < 18:
            who["children"].add(f.survivor)
        if f.keyword in (*EVENTS, "CC", "DAY"):
            events[f.keyword].append(f)
    surv: dict[str, Any] = {k: len(who[k]) for k in _SURV.values()}
    surv["family_members_counselled"] = sum(most.values())
    surv["referred"] = {
        s: len(who[f"ref:{s}"]) for s in ("HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD")
    }
    surv["referrals_completed"] = len(done)
    surv["partner_support"] = {"PRAN": len(who["sup:PRAN"])}
    surv["children"] = len(who["children"])
    ev = {
        kw: {
            "count": len(events[kw]),
            "participants": sum(f.total or 0 for f in events[kw]),
            "gender": {s: sum(f.tags.get(s, 0) for f in events[kw]) for s in "MFO"},
        }
        for kw in EVENTS
    }
    days: dict[tuple[str, str], int] = defaultdict(int)
    for f in events["DAY"]:
        days[(f.day.isoformat(), f.day_code or "")] += f.total or 0
    return {
        "survivors": surv,
        "community_counselling": {
            "sessions": len(events["CC"]),
            "participants": sum(f.total or 0 for f in events["CC"]),
        },
        "events": ev,
        "international_days": [
            {"code": c, "date": d, "participants": n} for (d, c), n in sorted(days.items())
        ],
    }
