"""The seed report's three sections, in its wording and order, filled from an indicators object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas.periods import Period, long_date

Count = int | str  # a str only in public mode ("<11")

SURVIVOR_SECTION = "Well-being of survivors of trafficking"
EVENT_SECTION = "Meetings with stakeholders, awareness raising and training"
DAY_SECTION = "Celebration of International Days"
NOTHING = "No activities of this kind were reported in this period."


@dataclass(frozen=True)
class Section:
    title: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Narrative:
    title: str
    header: tuple[str, ...]  # project, donor, district, period lines
    intro: str
    sections: tuple[Section, ...]
    public: bool = False


def _one(n: Count) -> bool:
    return n == 1


def _zero(n: Count) -> bool:
    return n == 0


def _lead(n: Count, one: str, many: str) -> str:
    """`One training was ...` for 1, `3 trainings were ...` otherwise."""
    return one if _one(n) else f"{n} {many}"


def _noun(n: Count, one: str, many: str) -> str:
    return f"{n} {one if _one(n) else many}"


def _survivor_bullets(s: dict[str, Any], cc: dict[str, Count]) -> list[str]:
    out: list[str] = []

    def add(n: Count, text: str) -> None:
        if not _zero(n):
            out.append(text)

    n = s["enrolled"]
    add(n, _lead(n, "One survivor of trafficking had", "survivors of trafficking had")
        + " been identified and enrolled.")
    n = s["needs_assessed"]
    add(n, f"{n} needs assessment of identified survivors had been undertaken.")
    n = s["individual_counselling"]
    add(n, _lead(n, "One survivor had", "survivors had")
        + " received individual psychosocial counselling support.")
    n, fam = s["family_members_counselled"], s["families_counselled"]
    add(fam, _lead(n, "One family member", "family members") + " of survivors from "
        + _noun(fam, "family", "families") + " had received counselling service.")
    n = s["certified"]
    add(n, _lead(n, "One survivor got a ready-to-go certificate",
                 "survivors got ready-to-go certificates")
        + " after successful completion of counselling.")
    n, sessions = cc["participants"], cc["sessions"]
    add(sessions, _lead(n, "One person", "people")
        + " of the survivors\u2019 community had got counselling support through "
        + _noun(sessions, "community counseling session", "community counseling sessions") + ".")
    n = s["referred"]["HEALTH"]
    add(n, _lead(n, "One survivor was", "survivors were")
        + " referred for health care support through a referral mechanism.")
    n = s["emergency_support"]
    add(n, _lead(n, "One survivor had", "survivors had")
        + " received Emergency Support (Health, trauma, counselling, and shelter).")
    n = s["referred"]["LEGAL"]
    add(n, _lead(n, "One survivor was", "survivors were") + " referred for legal support.")
    n = s["partner_support"]["PRAN"]
    add(n, _lead(n, "One survivor", "survivors")
        + " received support from PRAN-RFL as a kind of contribution in survivors support.")
    return out


# (keyword, lead for one, lead for many, text after the count of participants)
_EVENTS: tuple[tuple[str, str, str, str], ...] = (
    ("MEET", "One bi-monthly coordination meeting has", "bi-monthly coordination meetings have",
     " been organized with {p} Counter Trafficking in Person (CTIP) activists."),
    ("UPD", "One dialogue has", "dialogues have",
     " been organized with {p} participants at Union Parishad level."),
    ("LED", "One dialogue has", "dialogues have",
     " been organized with {p} law enforcing officials and media personnel."),
    ("SCH", "One awareness session was", "awareness sessions were",
     " organized in school/madrasah/college with {p} participants including students,"
     " teachers and parents."),
    ("COM", "One community awareness session (pot/puppet show) was",
     "community awareness sessions (pot/puppet show) were",
     " organized with approximately {p} participants."),
    ("AWR", "One awareness raising event was", "awareness raising events were",
     " organized with approximately {p} participants."),
    ("YTH", "One interactive session has", "interactive sessions have",
     " been organized with the participation of {p} youths and Community Based"
     " Organizations (CBOs)."),
    ("TRN", "One training was", "trainings were",
     " conducted for {p} CTIP activists on facilitation, communication, survivor\u2019s"
     " reintegration and advocacy."),
)


def _event_bullets(events: dict[str, Any]) -> list[str]:
    out = []
    for keyword, one, many, rest in _EVENTS:
        event = events[keyword]
        if _zero(event["count"]):
            continue
        out.append(_lead(event["count"], one, many) + rest.format(p=event["participants"]))
    return out


_DAYS = {
    "IWD": "International Women\u2019s Day was celebrated on {d} by engaging {p} participants"
           " both men and women from the community level.",
    "TIP": "World Day against Trafficking in Persons was celebrated on {d} with {p} participants.",
    "IMD": "International Migration Day was celebrated on {d} by engaging {p} participants"
           " both men and women from the community level.",
}


def _day_bullets(days: list[dict[str, Any]]) -> list[str]:
    out = []
    for day in days:
        if _zero(day["participants"]):
            continue
        when = long_date(date.fromisoformat(day["date"]))
        template = _DAYS.get(day["code"], "{n} was celebrated on {d} with {p} participants.")
        out.append(template.format(d=when, p=day["participants"], n=day.get("name", day["code"])))
    return out


def build_narrative(
    ind: dict[str, Any],
    *,
    project_name: str,
    donor: str,
    district: str,
    period: Period,
    place: str | None = None,
    public: bool = False,
) -> Narrative:
    """The report as text blocks; renderers only lay it out."""
    area = f"{place}, {district}" if place else district
    header = (
        f"Project: {project_name}",
        f"Donor: {donor}",
        f"District: {area}",
        f"Period: {long_date(period.start)} to {long_date(period.end)}",
    )
    intro = (
        f"The project is implemented with the financial assistance of {donor} in {area}"
        f" district of Bangladesh. During {period.label}, the following activities were"
        " implemented:"
    )
    sections = (
        Section(SURVIVOR_SECTION,
                tuple(_survivor_bullets(ind["survivors"], ind["community_counselling"]))),
        Section(EVENT_SECTION, tuple(_event_bullets(ind["events"]))),
        Section(DAY_SECTION, tuple(_day_bullets(ind["international_days"]))),
    )
    return Narrative(
        title=f"{project_name} progress report: {period.label}",
        header=header,
        intro=intro,
        sections=sections,
        public=public,
    )


PUBLIC_NOTE = ("Survivor counts from 1 to 10 are shown as <11 to protect the people concerned.")
