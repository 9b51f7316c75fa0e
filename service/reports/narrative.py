"""The seed report's three sections, in its wording and order, filled from an indicators object.

A sentence names a detail (kinds of emergency support, the audience, "both men and women",
training topics) only when the period's records carry it (indicators.md); with every detail
present it is the seed's sentence, word for word.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.commands import EVENT_TYPES
from schemas.periods import Period, long_date
from service.reports.details import (
    Count,
    audience,
    emergency_kinds,
    men_and_women,
    present,
    topics,
)
from service.reports.lang import join_list
from service.reports.narrative_shape import NOTHING, PUBLIC_NOTE, Narrative, Section

SURVIVOR_SECTION = "Well-being of survivors of trafficking"
EVENT_SECTION = "Meetings with stakeholders, awareness raising and training"
DAY_SECTION = "Celebration of International Days"

__all__ = ["NOTHING", "PUBLIC_NOTE", "Narrative", "Section", "build_narrative"]


# -- English -------------------------------------------------------------------------------


def _lead(n: Count, one: str, many: str) -> str:
    """`One training was ...` for 1, `3 trainings were ...` otherwise."""
    return one if n == 1 else f"{n} {many}"


def _noun(n: Count, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_KIND_WORDS = {
    "HEALTH": "health",
    "TRAUMA": "trauma",
    "COUNSEL": "counselling",
    "SHELTER": "shelter",
}
_AUDIENCE_WORDS = {"students": "students", "teachers": "teachers", "parents": "parents"}


def _emergency(s: dict[str, Any]) -> str:
    words = [_KIND_WORDS[k] for k in emergency_kinds(s)]
    if not words:
        return ""
    text = join_list(words, "en", serial_comma=True)
    return f" ({text[0].upper()}{text[1:]})"


def _survivor_bullets(s: dict[str, Any], cc: dict[str, Count]) -> list[str]:
    out: list[str] = []

    def add(n: Count, text: str) -> None:
        if present(n):
            out.append(text)

    n = s["enrolled"]
    add(
        n,
        _lead(n, "One survivor of trafficking had", "survivors of trafficking had")
        + " been identified and enrolled.",
    )
    n = s["needs_assessed"]
    add(n, f"{n} needs assessment of identified survivors had been undertaken.")
    n = s["individual_counselling"]
    add(
        n,
        _lead(n, "One survivor had", "survivors had")
        + " received individual psychosocial counselling support.",
    )
    n, fam = s["family_members_counselled"], s["families_counselled"]
    add(
        fam,
        _lead(n, "One family member", "family members")
        + " of survivors from "
        + _noun(fam, "family", "families")
        + " had received counselling service.",
    )
    n = s["certified"]
    add(
        n,
        _lead(
            n,
            "One survivor got a ready-to-go certificate",
            "survivors got ready-to-go certificates",
        )
        + " after successful completion of counselling.",
    )
    n, sessions = cc["participants"], cc["sessions"]
    add(
        sessions,
        _lead(n, "One person", "people")
        + " of the survivors\u2019 community had got counselling support through "
        + _noun(sessions, "community counseling session", "community counseling sessions")
        + ".",
    )
    n = s["referred"]["HEALTH"]
    add(
        n,
        _lead(n, "One survivor was", "survivors were")
        + " referred for health care support through a referral mechanism.",
    )
    n = s["emergency_support"]
    add(
        n,
        _lead(n, "One survivor had", "survivors had")
        + f" received Emergency Support{_emergency(s)}.",
    )
    n = s["referred"]["LEGAL"]
    add(n, _lead(n, "One survivor was", "survivors were") + " referred for legal support.")
    n = s["partner_support"]["PRAN"]
    add(
        n,
        _lead(n, "One survivor", "survivors")
        + " received support from PRAN-RFL as a kind of contribution in survivors support.",
    )
    return out


def _school(event: dict[str, Any]) -> str:
    who = [_AUDIENCE_WORDS[a] for a in audience(event)]
    return f" including {join_list(who, 'en')}" if who else ""


def _youth(event: dict[str, Any], p: Count) -> str:
    who = audience(event)
    if who == ["youths", "cbo"]:
        return f" with the participation of {p} youths and Community Based Organizations (CBOs)."
    if who == ["youths"]:
        return f" with the participation of {p} youths."
    if who == ["cbo"]:
        return f" with the participation of {p} members of Community Based Organizations (CBOs)."
    return f" for youths and Community Based Organizations (CBOs) with {p} participants."


def _training(event: dict[str, Any]) -> str:
    named = topics(event)
    return f" on {'; '.join(named)}" if named else ""


def _event_sentence(kw: str, e: dict[str, Any]) -> str:
    c, p = e["count"], e["participants"]
    if kw == "MEET":
        return (
            _lead(
                c,
                "One bi-monthly coordination meeting has",
                "bi-monthly coordination meetings have",
            )
            + f" been organized with {p} Counter Trafficking in Person (CTIP) activists."
        )
    if kw == "UPD":
        return (
            _lead(c, "One dialogue has", "dialogues have")
            + f" been organized with {p} participants at Union Parishad level."
        )
    if kw == "LED":
        return (
            _lead(c, "One dialogue has", "dialogues have")
            + f" been organized with {p} law enforcing officials and media personnel."
        )
    if kw == "SCH":
        return (
            _lead(c, "One awareness session was", "awareness sessions were")
            + f" organized in school/madrasah/college with {p} participants{_school(e)}."
        )
    if kw == "COM":
        return (
            _lead(
                c,
                "One community awareness session (pot/puppet show) was",
                "community awareness sessions (pot/puppet show) were",
            )
            + f" organized with approximately {p} participants."
        )
    if kw == "AWR":
        return (
            _lead(c, "One awareness raising event was", "awareness raising events were")
            + f" organized with approximately {p} participants."
        )
    if kw == "YTH":
        return (
            _lead(c, "One interactive session has", "interactive sessions have")
            + " been organized"
            + _youth(e, p)
        )
    return (
        _lead(c, "One training was", "trainings were")
        + f" conducted for {p} CTIP activists{_training(e)}."
    )


def _event_bullets(events: dict[str, Any]) -> list[str]:
    return [_event_sentence(kw, events[kw]) for kw in EVENT_TYPES if present(events[kw]["count"])]


_DAYS = {
    "IWD": "International Women\u2019s Day was celebrated on {d} by engaging {p} participants"
    "{both} from the community level.",
    "TIP": "World Day against Trafficking in Persons was celebrated on {d} with {p} participants.",
    "IMD": "International Migration Day was celebrated on {d} by engaging {p} participants"
    "{both} from the community level.",
}


def _day_bullets(days: list[dict[str, Any]]) -> list[str]:
    out = []
    for day in days:
        if not present(day["participants"]):
            continue
        when = long_date(date.fromisoformat(day["date"]))
        template = _DAYS.get(day["code"], "{n} was celebrated on {d} with {p} participants.")
        both = " both men and women" if men_and_women(day) else ""
        out.append(
            template.format(
                d=when, p=day["participants"], both=both, n=day.get("name", day["code"])
            )
        )
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
    lang: str = "en",
) -> Narrative:
    """The report as text blocks, in English or Bangla; renderers only lay it out."""
    if lang == "bn":
        from service.reports.narrative_bn import build_bangla

        return build_bangla(
            ind,
            project_name=project_name,
            donor=donor,
            district=district,
            period=period,
            place=place,
            public=public,
        )
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
        Section(
            SURVIVOR_SECTION,
            tuple(_survivor_bullets(ind["survivors"], ind["community_counselling"])),
        ),
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
