"""The donor report's indicator queries grouped by each level the mapping uses, as DHIS2 values."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal_column
from sqlalchemy.orm import Session

from schemas.dhis2.mapping import Mapping
from schemas.dhis2.periods import DhisPeriod
from schemas.dhis2.values import Export, Place, build_export
from schemas.periods import Period
from schemas.places import load_gazetteer
from schemas.tables import Record
from service.reports.indicators import DAY_NAMES, Scope, compute, empty_indicators, flatten

# Joins upazila and union into one group value; neither name holds it (gazetteer names).
_SEP = "\x1f"


def flat_indicators(ind: dict[str, Any]) -> dict[str, int]:
    """flatten() plus each international day's gender sums (DHIS2 can split those too)."""
    flat = flatten(ind)
    for code in DAY_NAMES:
        days = [d for d in ind["international_days"] if d["code"] == code]
        for sex in ("M", "F", "O"):
            flat[f"international_days.{code}.gender.{sex}"] = sum(d["gender"][sex] for d in days)
    return flat


def known_paths() -> set[str]:
    """Every indicator path a mapping may name."""
    any_day = date(2000, 1, 1)
    return set(flat_indicators(empty_indicators(Period(any_day, any_day))))


def gazetteer_places(district: str) -> set[str]:
    """The district, every upazila and every `upazila/union` of the gazetteer."""
    gaz = load_gazetteer()
    places = {district}
    places.update(p.upazila for p in gaz.upazilas())
    places.update(f"{p.upazila}/{p.union}" for p in gaz.unions())
    return places


def _union_group() -> ColumnElement[Any]:
    # Literals, not bound parameters: PostgreSQL must see the SELECT and GROUP BY
    # expressions as identical (as month_key() does in the report's queries).
    sep = literal_column(f"'{_SEP}'", String)
    empty = literal_column("''", String)
    return func.coalesce(Record.upazila, empty) + sep + func.coalesce(Record.union, empty)


def _by_level(
    session: Session, period: DhisPeriod, levels: set[str]
) -> dict[str, dict[Place, dict[str, int]]]:
    scope = Scope(Period(period.start, period.end))
    out: dict[str, dict[Place, dict[str, int]]] = {}
    if "district" in levels:
        out["district"] = {(None, None): flat_indicators(compute(session, scope)[None])}
    if "upazila" in levels:
        out["upazila"] = {
            (key, None): flat_indicators(ind)
            for key, ind in compute(session, scope, Record.upazila).items()
        }
    if "union" in levels:
        places: dict[Place, dict[str, int]] = {}
        for key, ind in compute(session, scope, _union_group()).items():
            upazila, _, union = str(key).partition(_SEP)
            places[(upazila or None, union or None)] = flat_indicators(ind)
        out["union"] = places
    return out


def collect(session: Session, mapping: Mapping, periods: list[DhisPeriod], district: str) -> Export:
    """Every data value of the mapping for these periods (problems stop the caller)."""
    export = Export(mapping.data_set, mapping.attribute_option_combo)
    levels = {entry.level for entry in mapping.values}
    for period in periods:
        build_export(mapping, period.id, _by_level(session, period, levels), district, export)
    return export
