"""The mapping check names every problem: unknown path, survivor below upazila, tagless combo."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from schemas.dhis2.mapping import Problem, check_mapping, parse_mapping
from service.dhis2.values import gazetteer_places, known_paths

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "dhis2.example.toml"
HEAD = 'url = "https://dhis2.example.org"\ndata_set = "DS"\nid_scheme = "code"\n'


def check(text: str) -> tuple[list[Problem], list[str]]:
    mapping, problems = parse_mapping(tomllib.loads(text))
    found, warnings = check_mapping(mapping, known_paths(), gazetteer_places("Satkhira"))
    return problems + found, warnings


def entry(indicator: str, level: str = "union", combos: str = "") -> str:
    body = f'\n[[values]]\nindicator = "{indicator}"\ndata_element = "DE"\nlevel = "{level}"\n'
    return body + (f"[values.category_option_combos]\n{combos}\n" if combos else "")


def test_the_shipped_example_has_no_problem() -> None:
    problems, warnings = check(EXAMPLE.read_text(encoding="utf-8"))
    assert problems == []
    # It maps distinct-survivor counts into a monthly data set: the check says so.
    assert any("survivors.needs_assessed" in w and "yearly data set" in w for w in warnings)


def test_the_example_maps_every_place_of_the_gazetteer() -> None:
    mapping, _ = parse_mapping(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    places = gazetteer_places("Satkhira")
    assert len(places) == 1 + 7 + 78
    assert all(mapping.org_unit(p) for p in places)


def test_an_unknown_indicator_path_is_named() -> None:
    problems, _ = check(HEAD + entry("events.SCH.participant"))
    assert [p.kind for p in problems] == ["unknown_indicator"]
    assert "events.SCH.participant" in problems[0].message


def test_a_survivor_indicator_at_union_level_is_refused() -> None:
    problems, _ = check(HEAD + entry("survivors.referred.HEALTH", level="union"))
    assert [p.kind for p in problems] == ["survivor_below_upazila"]
    assert "could identify a person" in problems[0].message


@pytest.mark.parametrize("level", ["upazila", "district"])
def test_survivor_indicators_at_upazila_or_district_pass(level: str) -> None:
    assert check(HEAD + entry("survivors.certified", level=level))[0] == []


@pytest.mark.parametrize(
    ("indicator", "combos"),
    [
        ("events.MEET.participants", 'S = "STUDENTS"'),  # MEET has no audience
        ("survivors.enrolled", 'M = "MALE"'),  # survivor counts carry no tags
        ("events.SCH.count", 'M = "MALE"'),  # only participants are split
        ("events.SCH.participants", 'X = "WHAT"'),  # no such tag
        ("community_counselling.participants", 'F = "F"'),  # CC has no gender split
    ],
)
def test_a_combo_whose_tag_the_indicator_lacks_is_named(indicator: str, combos: str) -> None:
    level = "district" if indicator.startswith("survivors") else "union"
    problems, _ = check(HEAD + entry(indicator, level, combos))
    assert [p.kind for p in problems] == ["combo_without_tag"]
    assert indicator in problems[0].message


def test_mixing_gender_and_audience_in_one_entry_is_refused() -> None:
    problems, _ = check(HEAD + entry("events.SCH.participants", combos='M = "A"\nS = "B"'))
    assert [p.kind for p in problems] == ["combo_without_tag"]
    assert "mix gender and audience" in problems[0].message


def test_day_and_youth_tags_are_known() -> None:
    text = HEAD + entry(
        "international_days.IWD.participants", "district", 'M = "A"\nF = "B"\nO = "C"\n"" = "D"'
    )
    text += entry("events.YTH.participants", combos='Y = "A"\nC = "B"\n"" = "D"')
    assert check(text)[0] == []


def test_a_missing_rest_combo_is_a_warning_not_a_problem() -> None:
    problems, warnings = check(HEAD + entry("events.SCH.participants", combos='M = "A"'))
    assert problems == []
    assert any("only the total is sent" in w for w in warnings)


def test_place_keys_outside_the_gazetteer_are_named() -> None:
    text = HEAD + '[org_units]\n"Kaliganj" = "A"\n"Nalta" = "B"\n"Kaliganj/Nowhere" = "C"\n'
    problems, _ = check(text + entry("events.SCH.count"))
    assert sorted(p.message for p in problems if p.kind == "unknown_place") == [
        "[org_units] 'Kaliganj/Nowhere' is not a place of the gazetteer",
        "[org_units] 'Nalta' is not a place of the gazetteer (a union is written upazila/union)",
    ]


def test_place_keys_match_in_any_case() -> None:
    mapping, _ = parse_mapping(
        tomllib.loads(HEAD + '[org_units]\n"tala/TALA" = "X"\n' + entry("events.SCH.count"))
    )
    assert mapping.org_unit("Tala/Tala") == "X" and mapping.org_unit("Tala") is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('id_scheme = "name"\ndata_set = "DS"' + entry("events.SCH.count"), "id_scheme"),
        ('data_set = "DS"\nperiod_type = "Weekly"' + entry("events.SCH.count"), "period_type"),
        ('url = "x"', "data_set is missing"),
        ('data_set = "DS"', "no [[values]]"),
        ('data_set = "DS"' + entry("events.SCH.count", level="village"), "level must be"),
        (
            'data_set = "DS"\n[[values]]\nindicator = "events.SCH.count"\n',
            "data_element is missing",
        ),
    ],
)
def test_a_badly_shaped_mapping_is_named(text: str, words: str) -> None:
    problems, _ = check(text)
    assert any(words in p.message for p in problems), problems
