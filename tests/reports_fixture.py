"""A seeded plan of SMS traffic, 2020-2022, whose 2021 records reproduce the seed progress report.

The plan is texts with placeholders (`{s:12}` survivor code, `{r:ref7}` referral number,
`{rec:k}` record number) that the feeder fills from earlier replies, plus the facts each
accepted message should count for, so that tests can work out any scope independently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

# (phone, name, role, union, upazila)
REPORTERS = [
    ("+8801711000001", "Counsellor Nalta", "counsellor", "Nalta", "Kaliganj"),
    ("+8801711000002", "Counsellor Gabura", "counsellor", "Gabura", "Shyamnagar"),
    ("+8801711000003", "Counsellor Anulia", "counsellor", "Anulia", "Assasuni"),
    ("+8801711000004", "Counsellor Labsa", "counsellor", "Labsa", "Satkhira Sadar"),
    ("+8801711000011", "Activist Parulia", "activist", "Parulia", "Debhata"),
    ("+8801711000012", "Activist Keralkata", "activist", "Keralkata", "Kalaroa"),
    ("+8801711000013", "Activist Khesra", "activist", "Khesra", "Tala"),
    ("+8801711000014", "Activist Munshiganj", "activist", "Munshiganj", "Shyamnagar"),
    ("+8801711000021", "Coordinator", "coordinator", "Ratanpur", "Kaliganj"),
]
COUNSELLORS = [r for r in REPORTERS if r[2] == "counsellor"]
ACTIVISTS = [r for r in REPORTERS if r[2] == "activist"]
# Places typed in ENR messages (the survivor's place), with their upazila.
ENR_PLACES = [
    ("Bhomra", "Satkhira Sadar"),
    ("Ratanpur", "Kaliganj"),
    ("Khesra", "Tala"),
    ("Keralkata", "Kalaroa"),
]
UNREGISTERED = "+8801799999990"

# The seed report, January-December 2021.
SEED = {
    "enrolled": 298,
    "needs_assessed": 298,
    "individual_counselling": 339,
    "family_members_counselled": 678,
    "families_counselled": 360,
    "certified": 317,
    "cc_participants": 339,
    "cc_sessions": 12,
    "HEALTH": 97,
    "emergency_support": 16,
    "LEGAL": 5,
    "PRAN": 65,
    "events": {
        "MEET": (4, 67),
        "UPD": (5, 135),
        "LED": (2, 45),
        "SCH": (3, 845),
        "COM": (10, 3606),
        "AWR": (4, 806),
        "YTH": (7, 280),
        "TRN": (1, 16),
    },
    "days": [
        ("IWD", date(2021, 3, 8), (800, 550)),
        ("TIP", date(2021, 7, 30), (26,)),
        ("IMD", date(2021, 12, 18), (119,)),
    ],
}


@dataclass
class Fact:
    """What an accepted message counts for."""

    keyword: str
    day: date
    upazila: str | None
    union: str | None
    survivor: int | None = None
    total: int | None = None
    tags: dict[str, int] = field(default_factory=dict)
    members: int | None = None
    service: str | None = None
    partner: str | None = None
    day_code: str | None = None
    outcome: str | None = None
    referral: str | None = None


@dataclass
class Msg:
    at: datetime  # provider time (UTC)
    sender: str
    text: str
    expect: str  # accepted | rejected | duplicate | ignored
    key: str | None = None  # names the outcome (survivor index, referral, record) for later
    fact: Fact | None = None
    undone: bool = False
    redeliver: bool = False


@dataclass
class Survivor:
    index: int
    sex: str
    age: int
    union: str
    upazila: str
    enrolled: date
    counsellor: tuple[str, str, str, str, str]


def split(total: int, n: int, rng: random.Random, lo: int = 1) -> list[int]:
    """n whole numbers >= lo that add up to total, roughly even."""
    parts = [lo] * n
    for _ in range(total - lo * n):
        parts[rng.randrange(n)] += 1
    return parts


def dmy(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year % 100:02d}"


class Planner:
    def __init__(self, seed: int = 2021) -> None:
        self.rng = random.Random(seed)
        self.msgs: list[Msg] = []
        self.survivors: list[Survivor] = []
        self.by_key: dict[str, Msg] = {}
        self._keys = 0

    # -- helpers ---------------------------------------------------------------------
    def at(self, day: date, delay_days: int = 0) -> datetime:
        # 03:00-10:59 UTC is 09:00-16:59 in Dhaka: the same calendar day there.
        minute = self.rng.randrange(8 * 60)
        return datetime.combine(day + timedelta(days=delay_days), time(3), UTC) + timedelta(
            minutes=minute, seconds=self.rng.randrange(60)
        )

    def key(self, prefix: str) -> str:
        self._keys += 1
        return f"{prefix}{self._keys}"

    def send(self, msg: Msg) -> Msg:
        self.msgs.append(msg)
        if msg.key:
            self.by_key[msg.key] = msg
        return msg

    def delay(self) -> int:
        return self.rng.choice((0, 0, 0, 1, 2))

    def survivor_fact(self, kw: str, s: Survivor, day: date, **kw_fields: object) -> Fact:
        return Fact(kw, day, s.upazila, s.union, survivor=s.index, **kw_fields)  # type: ignore[arg-type]

    # -- survivors -------------------------------------------------------------------
    def enrol(self, day: date, expect: str = "accepted") -> Survivor:
        counsellor = self.rng.choice(COUNSELLORS)
        sex = self.rng.choice("FFFM" if self.rng.random() < 0.9 else "O")
        age = self.rng.randrange(12, 18) if self.rng.random() < 0.2 else self.rng.randrange(18, 45)
        if self.rng.random() < 0.3:
            union, upazila = self.rng.choice(ENR_PLACES)
            text = f"ENR {sex} {age} {union}"
        else:
            union, upazila = counsellor[3], counsellor[4]
            text = f"ENR {sex} {age}"
        s = Survivor(len(self.survivors), sex, age, union, upazila, day, counsellor)
        self.survivors.append(s)
        fact = self.survivor_fact("ENR", s, day)
        # ENR takes no date: the received date (in Dhaka) is the enrolment date.
        self.send(Msg(self.at(day), counsellor[0], text, expect, key=f"s{s.index}", fact=fact))
        return s

    def service(self, kw: str, s: Survivor, day: date, extra: str = "", **fields: object) -> Msg:
        text = f"{kw} {{s:{s.index}}} {extra}".strip() + f" {dmy(day)}"
        fact = self.survivor_fact(kw, s, day, **fields)
        return self.send(
            Msg(
                self.at(day, self.delay()),
                s.counsellor[0],
                text,
                "accepted",
                key=self.key("rec"),
                fact=fact,
            )
        )

    def refer(self, s: Survivor, service: str, day: date) -> str:
        short = {"HEALTH": "H", "LEGAL": "L", "SHELTER": "S", "LIVELIHOOD": "LV"}[service]
        msg = self.service("REF", s, day, short, service=service)
        ref = self.key("ref")
        del self.by_key[msg.key]  # type: ignore[arg-type]
        msg.key, msg.fact = ref, replace(msg.fact, referral=ref)  # type: ignore[arg-type]
        self.by_key[ref] = msg
        return ref

    def outcome(self, s: Survivor, ref: str, outcome: str, day: date) -> Msg:
        text = f"REF {{r:{ref}}} {outcome} {dmy(day)}"
        fact = self.survivor_fact("REFOUT", s, day, outcome=outcome, referral=ref)
        return self.send(
            Msg(
                self.at(day, self.delay()),
                s.counsellor[0],
                text,
                "accepted",
                key=self.key("rec"),
                fact=fact,
            )
        )

    # -- events ----------------------------------------------------------------------
    def event(
        self,
        kw: str,
        total: int,
        day: date,
        tags: bool = True,
        sender: tuple[str, str, str, str, str] | None = None,
    ) -> Msg:
        who = sender or self.rng.choice(ACTIVISTS)
        parts: dict[str, int] = {}
        if tags and self.rng.random() < 0.7 and total >= 2:
            m, f = split(total, 2, self.rng)
            parts.update(M=m, F=f)
        if kw == "SCH":
            parts.update(zip("STP", split(total, 3, self.rng), strict=True))
        if kw == "YTH" and total >= 2:
            parts.update(zip("YC", split(total, 2, self.rng), strict=True))
        tag_text = "".join(f" {k}{v}" for k, v in parts.items())
        text = f"{kw} {total}{tag_text} {dmy(day)}"
        fact = Fact(kw, day, who[4], who[3], total=total, tags=parts)
        return self.send(
            Msg(
                self.at(day, self.delay()), who[0], text, "accepted", key=self.key("rec"), fact=fact
            )
        )

    def day_event(self, code: str, total: int, day: date) -> Msg:
        who = self.rng.choice(ACTIVISTS)
        m, f = split(total, 2, self.rng)
        text = f"DAY {code} {total} M{m} F{f} {dmy(day)}"
        fact = Fact("DAY", day, who[4], who[3], total=total, tags={"M": m, "F": f}, day_code=code)
        return self.send(
            Msg(
                self.at(day, self.delay()), who[0], text, "accepted", key=self.key("rec"), fact=fact
            )
        )

    def undo(self, target: Msg, after: timedelta = timedelta(hours=2)) -> None:
        target.undone = True
        self.send(Msg(target.at + after, target.sender, f"UNDO {{rec:{target.key}}}", "accepted"))

    def reject(self, sender: str, text: str, day: date) -> None:
        self.send(Msg(self.at(day), sender, text, "rejected"))

    def rand_day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))
