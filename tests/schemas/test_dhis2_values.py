"""Data values from per-place numbers: levels, places, disaggregations that add up, refusals."""

from __future__ import annotations

import tomllib

from schemas.dhis2.mapping import parse_mapping
from schemas.dhis2.values import build_export, place_key

MAPPING = """
data_set = "DS"
[org_units]
"Satkhira" = "OU_SAT"
"Kaliganj" = "OU_KAL"
"Kaliganj/Nalta" = "OU_NAL"
"Tala/Tala" = "OU_TALA_UNION"
"Tala" = "OU_TALA"

[[values]]
indicator = "events.SCH.participants"
data_element = "SCH_PART"
level = "union"
[values.category_option_combos]
M = "MALE"
F = "FEMALE"
O = "OTHER"
"" = "NOT_GIVEN"

[[values]]
indicator = "survivors.enrolled"
data_element = "ENR"
level = "district"
"""


def sch(total: int, m: int, f: int, o: int = 0, count: int = 1) -> dict[str, int]:
    return {
        "events.SCH.count": count,
        "events.SCH.participants": total,
        "events.SCH.gender.M": m,
        "events.SCH.gender.F": f,
        "events.SCH.gender.O": o,
    }


def mapping(text: str = MAPPING):  # type: ignore[no-untyped-def]
    parsed, problems = parse_mapping(tomllib.loads(text))
    assert problems == []
    return parsed


def values(export) -> set[tuple[str, str, str | None, int]]:  # type: ignore[no-untyped-def]
    return {(v.data_element, v.org_unit, v.category_option_combo, v.value) for v in export.values}


def test_the_untagged_rest_goes_to_the_empty_combo_and_parts_add_up() -> None:
    by_level = {
        "union": {("Kaliganj", "Nalta"): sch(40, 10, 20)},
        "district": {(None, None): {"survivors.enrolled": 3}},
    }
    export = build_export(mapping(), "202103", by_level, "Satkhira")
    assert values(export) == {
        ("SCH_PART", "OU_NAL", "MALE", 10),
        ("SCH_PART", "OU_NAL", "FEMALE", 20),
        ("SCH_PART", "OU_NAL", "OTHER", 0),
        ("SCH_PART", "OU_NAL", "NOT_GIVEN", 10),
        ("ENR", "OU_SAT", None, 3),
    }
    assert {v.period for v in export.values} == {"202103"}
    assert export.problems == [] and export.notes == []


def test_without_a_rest_combo_only_the_total_is_sent_and_the_export_says_so() -> None:
    text = MAPPING.replace('"" = "NOT_GIVEN"\n', "")
    by_level = {
        "union": {("Kaliganj", "Nalta"): sch(40, 10, 20), ("Tala", "Tala"): sch(30, 10, 20)}
    }
    export = build_export(mapping(text), "2021", by_level, "Satkhira")
    assert values(export) == {
        ("SCH_PART", "OU_NAL", None, 40),
        ("SCH_PART", "OU_TALA_UNION", "MALE", 10),
        ("SCH_PART", "OU_TALA_UNION", "FEMALE", 20),
        ("SCH_PART", "OU_TALA_UNION", "OTHER", 0),
    }
    assert len(export.notes) == 1 and "10 of 40 carry no tag" in export.notes[0]
    assert "OU_NAL" in export.notes[0]


def test_a_record_placed_at_an_upazila_goes_to_the_upazila_even_at_union_level() -> None:
    assert place_key(("Kaliganj", None), "union", "Satkhira") == "Kaliganj"
    assert place_key((None, None), "union", "Satkhira") == "Satkhira"
    assert place_key(("Tala", "Tala"), "union", "Satkhira") == "Tala/Tala"
    assert place_key(("Tala", "Tala"), "upazila", "Satkhira") == "Tala"
    by_level = {"union": {("Kaliganj", None): sch(5, 5, 0), ("Tala", "Tala"): sch(7, 0, 7)}}
    got = values(build_export(mapping(), "2021", by_level, "Satkhira"))
    assert ("SCH_PART", "OU_KAL", "MALE", 5) in got
    assert ("SCH_PART", "OU_TALA_UNION", "FEMALE", 7) in got  # the union, not the upazila


def test_an_unmapped_place_with_data_is_named_once() -> None:
    by_level = {"union": {("Kaliganj", "Ratanpur"): sch(9, 4, 5)}}
    export = build_export(mapping(), "202101", by_level, "Satkhira")
    assert [p.kind for p in export.problems] == ["unmapped_place"]
    assert export.problems[0].message == (
        "Kaliganj/Ratanpur has data for events.SCH.participants in 202101 but no org unit"
        " in [org_units]"
    )
    build_export(mapping(), "202101", by_level, "Satkhira", export)
    assert len(export.problems) == 1


def test_a_place_without_records_of_that_kind_sends_nothing() -> None:
    no_school = sch(0, 0, 0, count=0) | {"events.MEET.count": 2}
    by_level = {"union": {("Kaliganj", "Ratanpur"): no_school}}  # unmapped, but no SCH there
    export = build_export(mapping(), "202101", by_level, "Satkhira")
    assert export.values == [] and export.problems == []


def test_the_district_level_is_sent_even_when_zero() -> None:
    by_level = {"district": {(None, None): {"survivors.enrolled": 0}}}
    assert values(build_export(mapping(), "2021", by_level, "Satkhira")) == {
        ("ENR", "OU_SAT", None, 0)
    }


def test_two_places_under_one_org_unit_are_summed() -> None:
    text = MAPPING.replace('"Kaliganj/Nalta" = "OU_NAL"', '"Kaliganj/Nalta" = "OU_KAL"')
    by_level = {"union": {("Kaliganj", "Nalta"): sch(4, 4, 0), ("Kaliganj", None): sch(6, 6, 0)}}
    got = values(build_export(mapping(text), "2021", by_level, "Satkhira"))
    assert ("SCH_PART", "OU_KAL", "MALE", 10) in got
