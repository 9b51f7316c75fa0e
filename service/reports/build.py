"""One report, assembled: scope checked, indicators queried, privacy applied, narrative written."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from schemas.periods import Period
from schemas.tables import Record
from service.reports.indicators import Scope, compute, flatten, indicators, month_key
from service.reports.labels import labels
from service.reports.lang import LangError, check_lang, day_text, period_label, short_month
from service.reports.narrative import Narrative, build_narrative
from service.reports.privacy import Cell, public_flat, public_indicators, suppress_table
from service.reports.targets import TargetsError, load_targets, targets_for
from workers.settings import Settings

NO_PLACE = "(no place)"


class ReportError(ValueError):
    """A report request that cannot be served; the message is one line, safe to show."""


@lru_cache(maxsize=1)
def _rows() -> list[dict[str, str]]:
    text = resources.files("schemas").joinpath("data/satkhira_unions.csv").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Upazila names and union -> (upazila, union) from the shipped gazetteer, by lowercase."""
    upazilas: dict[str, str] = {}
    unions: dict[str, tuple[str, str]] = {}
    for row in _rows():
        upazilas[row["upazila"].lower()] = row["upazila"]
        unions[row["union"].lower()] = (row["upazila"], row["union"])
    return upazilas, unions


def place_name(name: str, lang: str) -> str:
    """A gazetteer name in the report's language (Bangla from the gazetteer's own columns)."""
    if lang != "bn":
        return name
    for row in _rows():
        if row["upazila"] == name:
            return row["upazila_bn"]
        if row["union"] == name:
            return row["union_bn"]
    return name


def upazila_names() -> list[str]:
    return sorted(_gazetteer()[0].values())


def union_names() -> list[str]:
    return sorted(name for _, name in _gazetteer()[1].values())


def make_scope(
    period: Period, upazila: str | None, union: str | None, public: bool = False
) -> Scope:
    """A scope with place names checked against the gazetteer (any letter case)."""
    upazilas, unions = _gazetteer()
    up_name = None
    if upazila:
        up_name = upazilas.get(upazila.strip().lower())
        if up_name is None:
            raise ReportError(f"unknown upazila {upazila!r}: one of {', '.join(upazila_names())}")
    un_name = None
    if union:
        if public:
            raise ReportError("public reports are never broken down below upazila")
        found = unions.get(union.strip().lower())
        if found is None:
            raise ReportError(f"unknown union {union!r}")
        if up_name and found[0] != up_name:
            raise ReportError(f"union {found[1]} is in {found[0]}, not in {up_name}")
        un_name = found[1]
    return Scope(period=period, upazila=up_name, union=un_name)


@dataclass
class Breakdown:
    """Rows of flattened indicators that add up to `totals` (one row per upazila or month)."""

    title: str
    rows: list[tuple[str, dict[str, Cell]]]
    totals: dict[str, Cell]


@dataclass
class Report:
    indicators: dict[str, Any]
    narrative: Narrative
    public: bool
    breakdowns: list[Breakdown] = field(default_factory=list)
    flat: dict[str, Cell] = field(default_factory=dict)
    lang: str = "en"
    period: Period | None = None
    cover: list[tuple[str, str]] = field(default_factory=list)  # (label, value) in `lang`
    targets: dict[str, int] = field(default_factory=dict)  # set for exactly this period
    place: str = ""  # the district, or the upazila/union asked for, in `lang`


def project_dates(settings: Settings) -> tuple[date, date]:
    try:
        return date.fromisoformat(settings.project_start), date.fromisoformat(settings.project_end)
    except ValueError as exc:
        raise ReportError("PROJECT_START and PROJECT_END must be YYYY-MM-DD") from exc


def indicators_for(session: Session, scope: Scope, *, public: bool) -> dict[str, Any]:
    """The JSON object, exact or with the privacy floor applied."""
    ind = indicators(session, scope)
    return public_indicators(ind) if public else ind


def _breakdown(
    session: Session,
    scope: Scope,
    title: str,
    group: Any,
    labels: list[tuple[Any, str]],
    totals: dict[str, int],
    public: bool,
    no_place: str = NO_PLACE,
) -> Breakdown:
    per_group = compute(session, scope, group)
    keys = [key for key, _ in labels]
    # Records without a place still count in the total: give them their own row.
    extra = [k for k in per_group if k not in keys]
    labelled = labels + [(k, no_place if k is None else str(k)) for k in extra]
    rows = [
        flatten(per_group[key]) if key in per_group else {k: 0 for k in totals}
        for key, _ in labelled
    ]
    shown_rows: list[dict[str, Cell]] = [dict(r) for r in rows]
    shown_totals: dict[str, Cell] = dict(totals)
    if public:
        shown_rows, shown_totals = suppress_table(rows, totals)
    return Breakdown(
        title,
        [(label, row) for (_, label), row in zip(labelled, shown_rows, strict=True)],
        shown_totals,
    )


def _cover(
    settings: Settings, scope: Scope, lang: str, today: date | None
) -> list[tuple[str, str]]:
    words = labels(lang)
    bn = lang == "bn"
    district = settings.district_bn if bn else settings.district
    place = scope.union or scope.upazila
    area = f"{place_name(place, lang)}, {district}" if place else district
    today = today or datetime_today(settings.timezone)
    return [
        (words.t("project"), settings.project_name_bn if bn else settings.project_name),
        (words.t("donor"), settings.donor_bn if bn else settings.donor),
        (words.t("district"), area),
        (words.t("period"), period_label(scope.period, lang)),
        (words.t("prepared_on"), day_text(today, lang)),
        (words.t("prepared_by"), settings.report_prepared_by or words.t("prepared_by_default")),
    ]


def datetime_today(tz: str) -> date:
    """Today in the project's time zone: the report's "date prepared"."""
    return datetime.now(ZoneInfo(tz)).date()


def build_report(
    session: Session,
    settings: Settings,
    scope: Scope,
    *,
    public: bool,
    breakdowns: bool = False,
    lang: str = "en",
    today: date | None = None,
) -> Report:
    """The report in `lang`; `breakdowns` adds what the documents need (tables, targets)."""
    try:
        check_lang(lang)
    except LangError as exc:
        raise ReportError(str(exc)) from exc
    exact = indicators(session, scope)
    shown = public_indicators(exact) if public else exact
    place = scope.union or scope.upazila
    bn = lang == "bn"
    narrative = build_narrative(
        shown,
        project_name=settings.project_name_bn if bn else settings.project_name,
        donor=settings.donor_bn if bn else settings.donor,
        district=settings.district_bn if bn else settings.district,
        period=scope.period,
        place=place_name(place, lang) if place else None,
        public=public,
        lang=lang,
    )
    cover = _cover(settings, scope, lang, today)
    report = Report(
        indicators=shown,
        narrative=narrative,
        public=public,
        lang=lang,
        period=scope.period,
        cover=cover,
        place=cover[2][1],
    )
    totals = flatten(exact)
    report.flat = public_flat(totals) if public else dict(totals)
    if breakdowns:
        first, last = project_dates(settings)
        try:
            found = load_targets(Path(settings.instance_path), first, last)
        except TargetsError as exc:
            raise ReportError(str(exc)) from exc
        report.targets = targets_for(found, scope.period)
        words = labels(lang)
        up_labels = [(name, place_name(name, lang)) for name in upazila_names()]
        if scope.upazila:
            up_labels = [(scope.upazila, place_name(scope.upazila, lang))]
        report.breakdowns.append(
            _breakdown(
                session,
                scope,
                words.t("t_upazila"),
                Record.upazila,
                up_labels,
                totals,
                public,
                words.t("no_place"),
            )
        )
        month_labels = [(y * 100 + m, short_month(y, m, lang)) for y, m in scope.period.months()]
        report.breakdowns.append(
            _breakdown(
                session,
                scope,
                words.t("t_month"),
                month_key(),
                month_labels,
                totals,
                public,
                words.t("no_place"),
            )
        )
    return report
