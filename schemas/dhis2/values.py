"""Indicator numbers per place and period -> DHIS2 data values, disaggregations adding up."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.dhis2.mapping import Mapping, Problem, ValueEntry, tag_path

# A place at some level: (upazila, union); (None, None) is the whole district.
Place = tuple[str | None, str | None]


@dataclass(frozen=True)
class DataValue:
    data_element: str
    period: str
    org_unit: str
    category_option_combo: str | None
    value: int


@dataclass
class Export:
    """What one export sends, what it says about it, and what stops it."""

    data_set: str
    attribute_option_combo: str
    values: list[DataValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def place_key(place: Place, level: str, district: str) -> str:
    """The `[org_units]` key a place is sent under at `level`.

    A record placed only at an upazila stays at the upazila even for a union-level entry
    (it cannot be split among unions); one with no place at all goes to the district.
    """
    upazila, union = place
    if level == "district" or upazila is None:
        return district
    if level == "union" and union is not None:
        return f"{upazila}/{union}"
    return upazila


def has_data(entry: ValueEntry, flat: dict[str, int]) -> bool:
    """Whether a place holds records of the kind this entry counts (zeros are then sent)."""
    parts = entry.indicator.split(".")
    if parts[0] == "events":
        return flat.get(f"events.{parts[1]}.count", 0) > 0
    if parts[0] == "community_counselling":
        return flat.get("community_counselling.sessions", 0) > 0
    if parts[0] == "international_days":
        return flat.get(f"international_days.{parts[1]}.count", 0) > 0
    return any(n for k, n in flat.items() if k.startswith("survivors."))


def build_export(
    mapping: Mapping,
    period: str,
    by_level: dict[str, dict[Place, dict[str, int]]],
    district: str,
    export: Export | None = None,
) -> Export:
    """Add one period's data values to `export` (a new one if None).

    `by_level[level][place]` holds the flattened indicators of that place; the district
    level has the single place (None, None) and is always sent, zeros included.
    """
    out = export or Export(mapping.data_set, mapping.attribute_option_combo)
    merged: dict[tuple[str, str, str, str | None], int] = {}
    for entry in mapping.values:
        for place, flat in by_level.get(entry.level, {}).items():
            if entry.level != "district" and not has_data(entry, flat):
                continue
            key = place_key(place, entry.level, district)
            unit = mapping.org_unit(key)
            if unit is None:
                problem = Problem(
                    "unmapped_place",
                    f"{key} has data for {entry.indicator} in {period} but no"
                    " org unit in [org_units]",
                )
                if problem not in out.problems:
                    out.problems.append(problem)
                continue
            for combo, value in _split(entry, flat, period, unit, out.notes):
                k = (entry.data_element, period, unit, combo)
                merged[k] = merged.get(k, 0) + value
    out.values.extend(DataValue(de, pe, ou, coc, n) for (de, pe, ou, coc), n in merged.items())
    return out


def _split(
    entry: ValueEntry, flat: dict[str, int], period: str, unit: str, notes: list[str]
) -> list[tuple[str | None, int]]:
    total = flat.get(entry.indicator, 0)
    tags = [t for t in entry.combos if t]
    if not entry.combos:
        return [(None, total)]
    parts: list[tuple[str | None, int]] = [
        (entry.combos[t], flat.get(tag_path(entry.indicator, t) or "", 0)) for t in tags
    ]
    rest = total - sum(n for _, n in parts)
    if rest == 0 or "" in entry.combos:
        if "" in entry.combos:
            parts.append((entry.combos[""], rest))
        return parts
    notes.append(
        f"{entry.indicator} at {unit} in {period}: {rest} of {total} carry no tag and"
        ' no "" combo is mapped, so only the total is sent'
    )
    return [(None, total)]
