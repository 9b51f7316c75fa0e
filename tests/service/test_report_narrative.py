"""The narrative's wording rules: zeros left out, "One ..." for 1, public counts, header."""

from __future__ import annotations

from datetime import date

from schemas.periods import Period
from service.reports.indicators import empty_indicators
from service.reports.narrative import NOTHING, build_narrative
from service.reports.privacy import public_indicators
from service.reports.render_md import to_markdown

PERIOD = Period(date(2021, 7, 1), date(2021, 9, 30))


def _md(ind, public: bool = False) -> str:  # type: ignore[no-untyped-def]
    narrative = build_narrative(
        ind,
        project_name="P",
        donor="D",
        district="Satkhira",
        period=PERIOD,
        place="Tala",
        public=public,
    )
    return to_markdown(narrative)


def test_an_empty_period_has_every_section_and_no_bullet() -> None:
    md = _md(empty_indicators(PERIOD))
    assert md.count(f"_{NOTHING}_") == 3
    assert "\n- " not in md
    assert "During July-September 2021" in md and "District: Tala, Satkhira" in md


def test_one_is_written_as_a_word_and_zero_bullets_are_left_out() -> None:
    ind = empty_indicators(PERIOD)
    ind["survivors"]["enrolled"] = 1
    ind["survivors"]["families_counselled"] = 1
    ind["survivors"]["family_members_counselled"] = 3
    ind["events"]["MEET"].update(count=1, participants=17)
    ind["events"]["SCH"].update(count=2, participants=845)
    bullets = [line[2:] for line in _md(ind).splitlines() if line.startswith("- ")]
    assert bullets == [
        "One survivor of trafficking had been identified and enrolled.",
        "3 family members of survivors from 1 family had received counselling service.",
        "One bi-monthly coordination meeting has been organized with 17 Counter Trafficking"
        " in Person (CTIP) activists.",
        # No audience tags were sent: the sentence does not claim students, teachers, parents.
        "2 awareness sessions were organized in school/madrasah/college with 845 participants.",
    ]


def test_public_narrative_shows_small_survivor_counts_as_under_11() -> None:
    ind = empty_indicators(PERIOD)
    ind["survivors"]["referred"]["LEGAL"] = 4
    ind["survivors"]["individual_counselling"] = 40
    ind["events"]["TRN"].update(count=1, participants=9)
    md = _md(public_indicators(ind), public=True)
    assert "- <11 survivors were referred for legal support." in md
    assert "- 40 survivors had received individual psychosocial counselling support." in md
    # Participants are not survivor data: a training of 9 is shown as 9.
    assert "One training was conducted for 9 CTIP activists" in md
    assert "<11 to protect" in md


def test_a_day_bullet_names_its_date() -> None:
    ind = empty_indicators(PERIOD)
    ind["international_days"] = [
        {
            "code": "TIP",
            "name": "x",
            "date": "2021-07-30",
            "participants": 26,
            "gender": {},
            "reports": 1,
        },
        {
            "code": "IWD",
            "name": "x",
            "date": "2021-03-08",
            "participants": 0,
            "gender": {},
            "reports": 1,
        },
    ]
    bullets = [line[2:] for line in _md(ind).splitlines() if line.startswith("- ")]
    assert bullets == [
        "World Day against Trafficking in Persons was celebrated on 30 July 2021"
        " with 26 participants."
    ]
