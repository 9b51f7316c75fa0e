"""The `dhis2.toml` mapping as data: parsed from its TOML table and checked, every problem named."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.dhis2.periods import PERIOD_TYPES

LEVELS = ("district", "upazila", "union")
ID_SCHEMES = ("uid", "code")
# A tag and the indicators JSON sub-path that holds its part of a participants total.
TAG_PATHS = {
    "M": "gender.M",
    "F": "gender.F",
    "O": "gender.O",
    "S": "audience.students",
    "T": "audience.teachers",
    "P": "audience.parents",
    "Y": "audience.youths",
    "C": "audience.cbo",
}
TAG_GROUPS = {
    "M": "gender",
    "F": "gender",
    "O": "gender",
    "S": "audience",
    "T": "audience",
    "P": "audience",
    "Y": "audience",
    "C": "audience",
}
# Survivor counts that add up across periods; every other survivor count is of distinct
# survivors, which DHIS2's sums of months into quarters and years would overcount.
ADDITIVE_SURVIVOR_PATHS = frozenset({"survivors.enrolled", "survivors.referrals_completed"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the mapping or the data against it; `kind` is a stable word."""

    kind: str  # invalid | unknown_indicator | survivor_below_upazila | combo_without_tag |
    #            unknown_place | unmapped_place
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ValueEntry:
    """One `[[values]]` table: an indicator path sent as a data element at a level."""

    number: int  # 1-based position in the file, for messages
    indicator: str
    data_element: str
    level: str
    combos: dict[str, str] = field(default_factory=dict)  # tag ("" = untagged rest) -> combo

    @property
    def label(self) -> str:
        return f"values #{self.number} ({self.indicator})"


@dataclass(frozen=True)
class Mapping:
    url: str
    data_set: str
    id_scheme: str
    period_type: str | None
    attribute_option_combo: str
    org_units: dict[str, str]  # place key as written -> org unit
    values: list[ValueEntry]

    def org_unit(self, key: str) -> str | None:
        """The org unit of a place key (`Satkhira`, `Kaliganj`, `Kaliganj/Nalta`), any case."""
        return self._by_key().get(_norm(key))

    def _by_key(self) -> dict[str, str]:
        return {_norm(k): v for k, v in self.org_units.items()}


def _norm(key: str) -> str:
    return "/".join(part.strip().casefold() for part in key.split("/"))


def _text(
    data: dict[str, Any], name: str, where: str, problems: list[Problem], required: bool = True
) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        problems.append(Problem("invalid", f"{where}: {name} must be text"))
        return ""
    if required and not value.strip():
        problems.append(Problem("invalid", f"{where}: {name} is missing"))
    return value.strip()


def parse_mapping(data: dict[str, Any]) -> tuple[Mapping, list[Problem]]:
    """The mapping from a parsed TOML table, and every problem of its shape."""
    problems: list[Problem] = []
    url = _text(data, "url", "dhis2.toml", problems, required=False)
    data_set = _text(data, "data_set", "dhis2.toml", problems)
    id_scheme = _text(data, "id_scheme", "dhis2.toml", problems, required=False) or "uid"
    if id_scheme not in ID_SCHEMES:
        problems.append(
            Problem("invalid", f"dhis2.toml: id_scheme must be uid or code, not {id_scheme!r}")
        )
    period_type = _text(data, "period_type", "dhis2.toml", problems, required=False) or None
    if period_type is not None and period_type not in PERIOD_TYPES:
        problems.append(
            Problem(
                "invalid",
                f"dhis2.toml: period_type must be one of"
                f" {', '.join(PERIOD_TYPES)}, not {period_type!r}",
            )
        )
    aoc = _text(data, "attribute_option_combo", "dhis2.toml", problems, required=False)
    org_units: dict[str, str] = {}
    raw_units = data.get("org_units", {})
    if not isinstance(raw_units, dict):
        problems.append(Problem("invalid", "dhis2.toml: [org_units] must be a table"))
        raw_units = {}
    for key, unit in raw_units.items():
        if not isinstance(unit, str) or not unit.strip():
            problems.append(Problem("invalid", f"[org_units] {key!r}: the org unit must be text"))
            continue
        org_units[str(key)] = unit.strip()
    entries: list[ValueEntry] = []
    raw_values = data.get("values", [])
    if not isinstance(raw_values, list) or not raw_values:
        problems.append(Problem("invalid", "dhis2.toml: no [[values]] entries"))
        raw_values = []
    for number, raw in enumerate(raw_values, start=1):
        entry = _entry(number, raw, problems)
        if entry is not None:
            entries.append(entry)
    mapping = Mapping(
        url=url,
        data_set=data_set,
        id_scheme=id_scheme,
        period_type=period_type,
        attribute_option_combo=aoc,
        org_units=org_units,
        values=entries,
    )
    return mapping, problems


def _entry(number: int, raw: Any, problems: list[Problem]) -> ValueEntry | None:
    where = f"values #{number}"
    if not isinstance(raw, dict):
        problems.append(Problem("invalid", f"{where}: must be a table"))
        return None
    indicator = _text(raw, "indicator", where, problems)
    data_element = _text(raw, "data_element", where, problems)
    default = "district" if indicator.startswith("survivors.") else "union"
    level = _text(raw, "level", where, problems, required=False) or default
    if level not in LEVELS:
        problems.append(
            Problem("invalid", f"{where}: level must be district, upazila or union, not {level!r}")
        )
    combos: dict[str, str] = {}
    raw_combos = raw.get("category_option_combos", {})
    if not isinstance(raw_combos, dict):
        problems.append(Problem("invalid", f"{where}: category_option_combos must be a table"))
        raw_combos = {}
    for tag, combo in raw_combos.items():
        if not isinstance(combo, str) or not combo.strip():
            problems.append(Problem("invalid", f"{where}: combo for tag {tag!r} must be text"))
            continue
        combos[str(tag).strip().upper()] = combo.strip()
    return ValueEntry(number, indicator, data_element, level, combos)


def tag_path(indicator: str, tag: str) -> str | None:
    """Where a tag's part of a participants total sits: `events.SCH.gender.M`; None if nowhere."""
    if not indicator.endswith(".participants") or tag not in TAG_PATHS:
        return None
    return indicator[: -len("participants")] + TAG_PATHS[tag]


def check_mapping(
    mapping: Mapping,
    known_paths: set[str],
    places: set[str],
) -> tuple[list[Problem], list[str]]:
    """Problems (the export refuses to run) and warnings (it runs) of a parsed mapping.

    `known_paths`: every dotted indicator path; `places`: every place key of the gazetteer
    (district, upazilas, `upazila/union`).
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    known_places = {_norm(p) for p in places}
    distinct: list[str] = []
    for key in mapping.org_units:
        if _norm(key) not in known_places:
            hint = " (a union is written upazila/union)" if "/" not in key else ""
            problems.append(
                Problem(
                    "unknown_place", f"[org_units] {key!r} is not a place of the gazetteer{hint}"
                )
            )
    for entry in mapping.values:
        if not entry.indicator:
            continue
        if entry.indicator not in known_paths:
            problems.append(
                Problem(
                    "unknown_indicator",
                    f"{entry.label}: unknown indicator path {entry.indicator!r}",
                )
            )
            continue
        survivor = entry.indicator.startswith("survivors.")
        if survivor and entry.level == "union":
            problems.append(
                Problem(
                    "survivor_below_upazila",
                    f"{entry.label}: survivor indicators go no lower than upazila level"
                    " (a union count of survivors could identify a person)",
                )
            )
        _check_combos(entry, known_paths, problems, warnings)
        if (
            survivor
            and entry.indicator not in ADDITIVE_SURVIVOR_PATHS
            and mapping.period_type in ("Monthly", "Quarterly")
        ):
            distinct.append(entry.indicator)
    if distinct:
        warnings.append(
            f"{', '.join(distinct)} count distinct survivors, but DHIS2 adds"
            f" {mapping.period_type} values into quarters and years, counting a survivor"
            " served in two periods twice: keep them in a yearly data set"
        )
    if mapping.period_type is None:
        warnings.append("period_type is not set: every period is sent as asked, unchecked")
    return problems, warnings


def _check_combos(
    entry: ValueEntry, known_paths: set[str], problems: list[Problem], warnings: list[str]
) -> None:
    tags = [t for t in entry.combos if t]
    groups = set()
    for tag in tags:
        path = tag_path(entry.indicator, tag)
        if path is None or path not in known_paths:
            problems.append(
                Problem(
                    "combo_without_tag",
                    f"{entry.label}: combo for tag {tag!r}, but {entry.indicator} has no {tag!r}"
                    " tag (gender M/F/O and audience S/T/P or Y/C split participants totals)",
                )
            )
            continue
        groups.add(TAG_GROUPS[tag])
    if len(groups) > 1:
        problems.append(
            Problem(
                "combo_without_tag",
                f"{entry.label}: combos mix gender and audience tags; each part would count"
                " people twice (map one group per data element)",
            )
        )
    if tags and "" not in entry.combos:
        warnings.append(
            f'{entry.label}: no "" combo for the untagged rest: where the tags do not cover'
            " the total, only the total is sent"
        )
