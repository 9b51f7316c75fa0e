"""The narrative in Bangla: the English one's sections, facts and rules, in bangla.md's words."""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.commands import EVENT_TYPES
from schemas.periods import Period
from service.reports.details import (
    Count,
    audience,
    emergency_kinds,
    men_and_women,
    present,
    topics,
)
from service.reports.lang import day_text, digits, join_list, period_label
from service.reports.narrative_shape import Narrative, Section

SURVIVOR_SECTION = "পাচারের শিকার মানুষের কল্যাণ"
EVENT_SECTION = "অংশীজনদের সঙ্গে সভা, সচেতনতা বৃদ্ধি ও প্রশিক্ষণ"
DAY_SECTION = "আন্তর্জাতিক দিবস উদযাপন"
NOTHING = "এই সময়ে এ ধরনের কোনো কাজের তথ্য আসেনি।"
PUBLIC_NOTE = "সংশ্লিষ্ট মানুষদের সুরক্ষার জন্য ১ থেকে ১০ পর্যন্ত সংখ্যা <১১ হিসেবে দেখানো হয়েছে।"
_KINDS = {"HEALTH": "স্বাস্থ্য", "TRAUMA": "ট্রমা", "COUNSEL": "কাউন্সেলিং", "SHELTER": "আশ্রয়"}
_AUDIENCE = {"students": "শিক্ষার্থী", "teachers": "শিক্ষক", "parents": "অভিভাবক"}


def _n(n: Count) -> str:
    return digits(n, "bn")


def _c(n: Count) -> str:
    """A count of things: `একটি` for one, `৩টি` otherwise."""
    return "একটি" if n == 1 else f"{_n(n)}টি"


def _survivor_bullets(s: dict[str, Any], cc: dict[str, Count]) -> list[str]:
    out: list[str] = []

    def add(n: Count, text: str) -> None:
        if present(n):
            out.append(text)

    add(s["enrolled"], f"{_n(s['enrolled'])} জন পাচারের শিকার মানুষকে শনাক্ত ও নিবন্ধন করা হয়েছে।")
    add(s["needs_assessed"], f"শনাক্ত হওয়া {_n(s['needs_assessed'])} জনের চাহিদা নিরূপণ করা হয়েছে।")
    add(
        s["individual_counselling"],
        f"{_n(s['individual_counselling'])} জন একক মনোসামাজিক কাউন্সেলিং সহায়তা পেয়েছেন।",
    )
    fam = s["families_counselled"]
    add(
        fam,
        f"{_c(fam)} পরিবারের {_n(s['family_members_counselled'])} জন সদস্য পারিবারিক কাউন্সেলিং পেয়েছেন।",
    )
    add(s["certified"], f"কাউন্সেলিং সফলভাবে শেষ করে {_n(s['certified'])} জন সনদ পেয়েছেন।")
    add(
        cc["sessions"],
        f"{_c(cc['sessions'])} কমিউনিটি কাউন্সেলিং সেশনে কমিউনিটির"
        f" {_n(cc['participants'])} জন কাউন্সেলিং সহায়তা পেয়েছেন।",
    )
    n = s["referred"]["HEALTH"]
    add(n, f"রেফারেল ব্যবস্থার মাধ্যমে {_n(n)} জনকে স্বাস্থ্যসেবার জন্য রেফার করা হয়েছে।")
    n = s["emergency_support"]
    kinds = [_KINDS[k] for k in emergency_kinds(s)]
    detail = f" ({join_list(kinds, 'bn')})" if kinds else ""
    add(n, f"{_n(n)} জন জরুরি সহায়তা{detail} পেয়েছেন।")
    n = s["referred"]["LEGAL"]
    add(n, f"{_n(n)} জনকে আইনি সহায়তার জন্য রেফার করা হয়েছে।")
    n = s["partner_support"]["PRAN"]
    add(n, f"সহায়তায় অবদান হিসেবে {_n(n)} জন প্রাণ-আরএফএল থেকে সহায়তা পেয়েছেন।")
    return out


def _school(event: dict[str, Any]) -> str:
    who = [_AUDIENCE[a] for a in audience(event) if a in _AUDIENCE]
    return f", তাঁদের মধ্যে ছিলেন {join_list(who, 'bn')}" if who else ""


def _youth(event: dict[str, Any], c: Count, p: Count) -> str:
    who = audience(event)
    if who == ["youths", "cbo"]:
        people = f"{_n(p)} জন যুব ও কমিউনিটিভিত্তিক সংগঠনের (সিবিও) সদস্যের"
    elif who == ["youths"]:
        people = f"{_n(p)} জন যুবর"
    elif who == ["cbo"]:
        people = f"কমিউনিটিভিত্তিক সংগঠনের (সিবিও) {_n(p)} জন সদস্যের"
    else:
        return f"যুব ও সিবিওদের জন্য {_c(c)} মতবিনিময় সেশন হয়েছে, অংশ নিয়েছেন {_n(p)} জন।"
    return f"{people} অংশগ্রহণে {_c(c)} মতবিনিময় সেশন হয়েছে।"


def _event_bullets(events: dict[str, Any]) -> list[str]:
    out = []
    for kw in EVENT_TYPES:
        e = events[kw]
        c, p = e["count"], e["participants"]
        if not present(c):
            continue
        named = topics(e)
        out.append(
            {
                "MEET": f"{_c(c)} দ্বিমাসিক সমন্বয় সভা হয়েছে, তাতে {_n(p)} জন পাচার প্রতিরোধ"
                " (CTIP) কর্মী অংশ নিয়েছেন।",
                "UPD": f"ইউনিয়ন পরিষদ পর্যায়ে {_c(c)} সংলাপ হয়েছে, অংশ নিয়েছেন {_n(p)} জন।",
                "LED": f"আইনশৃঙ্খলা বাহিনী ও গণমাধ্যমের {_n(p)} জনকে নিয়ে {_c(c)} সংলাপ হয়েছে।",
                "SCH": f"স্কুল/মাদ্রাসা/কলেজে {_c(c)} সচেতনতা সেশন হয়েছে, অংশ নিয়েছেন"
                f" {_n(p)} জন{_school(e)}।",
                "COM": f"{_c(c)} কমিউনিটি সচেতনতা সেশন (পটগান / পুতুল নাচ) হয়েছে, অংশ নিয়েছেন"
                f" প্রায় {_n(p)} জন।",
                "AWR": f"{_c(c)} সচেতনতা অনুষ্ঠান হয়েছে, অংশ নিয়েছেন প্রায় {_n(p)} জন।",
                "YTH": _youth(e, c, p),
                "TRN": f"{_n(p)} জন CTIP কর্মীর জন্য {_c(c)} প্রশিক্ষণ হয়েছে"
                + (f" (বিষয়: {'; '.join(named)})" if named else "")
                + "।",
            }[kw]
        )
    return out


_DAYS = {
    "IWD": "{d} আন্তর্জাতিক নারী দিবস উদযাপিত হয়েছে; কমিউনিটি পর্যায়ের {p} জন{both} অংশ নিয়েছেন।",
    "TIP": "{d} মানব পাচারবিরোধী বিশ্ব দিবস উদযাপিত হয়েছে; অংশ নিয়েছেন {p} জন।",
    "IMD": "{d} আন্তর্জাতিক অভিবাসী দিবস উদযাপিত হয়েছে; কমিউনিটি পর্যায়ের {p} জন{both} অংশ নিয়েছেন।",
}


def _day_bullets(days: list[dict[str, Any]]) -> list[str]:
    out = []
    for day in days:
        if not present(day["participants"]):
            continue
        template = _DAYS.get(day["code"], "{d} {n} উদযাপিত হয়েছে; অংশ নিয়েছেন {p} জন।")
        both = " নারী ও পুরুষ" if men_and_women(day) else ""
        out.append(
            template.format(
                d=day_text(date.fromisoformat(day["date"]), "bn"),
                p=_n(day["participants"]),
                both=both,
                n=day.get("name", day["code"]),
            )
        )
    return out


def build_bangla(
    ind: dict[str, Any],
    *,
    project_name: str,
    donor: str,
    district: str,
    period: Period,
    place: str | None,
    public: bool,
) -> Narrative:
    area = f"{place}, {district}" if place else district
    label = period_label(period, "bn")
    header = (
        f"প্রকল্প: {project_name}",
        f"দাতা: {donor}",
        f"জেলা: {area}",
        f"সময়কাল: {day_text(period.start, 'bn')} থেকে {day_text(period.end, 'bn')}",
    )
    intro = (
        f"{donor}-এর আর্থিক সহায়তায় প্রকল্পটি বাংলাদেশের {area} জেলায় বাস্তবায়িত"
        f" হচ্ছে। {label} সময়ে নিচের কাজগুলো হয়েছে:"
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
        title=f"{project_name} অগ্রগতি প্রতিবেদন: {label}",
        header=header,
        intro=intro,
        sections=sections,
        public=public,
        lang="bn",
        nothing=NOTHING,
        public_note=PUBLIC_NOTE,
    )
