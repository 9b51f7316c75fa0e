"""Indicator queries: session and period in, the indicators.md JSON object out (SQL aggregates)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    cast,
    distinct,
    extract,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from schemas.commands import EVENT_TYPES
from schemas.periods import Period
from schemas.report_bits import PARTNERS, SERVICES
from schemas.tables import Record
from service.reports.details import EMERGENCY_KINDS, add_details
from service.reports.survivor_counts import survivor_counts

DAY_NAMES = {
    "IWD": "International Women's Day",
    "TIP": "World Day against Trafficking in Persons",
    "IMD": "International Migrants Day",
}
_AUDIENCE = {"SCH": ("students", "teachers", "parents"), "YTH": ("youths", "cbo")}


@dataclass(frozen=True)
class Scope:
    """Which records count: the period plus optional place filters (gazetteer names)."""

    period: Period
    upazila: str | None = None
    union: str | None = None

    def where(self) -> list[ColumnElement[bool]]:
        # Cancelled records never count; the activity date, not the received date, decides.
        # 'active' as a literal, not a bound value: the partial index of the survivor pass
        # (ix_records_survivor_pass) stays usable when the driver prepares the statement.
        conds: list[ColumnElement[bool]] = [
            Record.status == literal_column("'active'", String),
            Record.activity_date >= self.period.start,
            Record.activity_date <= self.period.end,
        ]
        if self.upazila:
            conds.append(Record.upazila == self.upazila)
        if self.union:
            conds.append(Record.union == self.union)
        return conds


class _YearMonth(FunctionElement[int]):
    """YYYYMM of a date as an integer (compiled per dialect below)."""

    type = Integer()
    name = "year_month"
    inherit_cache = True


@compiles(_YearMonth)
def _year_month(element: _YearMonth, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = element.clauses
    # A literal (not a bound parameter) so that PostgreSQL sees the SELECT and GROUP BY
    # expressions as identical.
    hundred: ColumnElement[int] = literal_column("100", Integer)
    ym = cast(extract("year", day) * hundred + extract("month", day), Integer)
    return compiler.process(ym, **kw)


@compiles(_YearMonth, "postgresql")
def _year_month_pg(element: _YearMonth, compiler: SQLCompiler, **kw: Any) -> str:
    # EXTRACT returns numeric on PostgreSQL 14+, and numeric arithmetic on each of a year's
    # records made the by-month survivor pass a third slower; date_part's double precision
    # is exact for these small integers.
    day = compiler.process(element.clauses, **kw)
    return f"CAST(date_part('year', {day}) * 100 + date_part('month', {day}) AS INTEGER)"


def month_key() -> ColumnElement[Any]:
    """YYYYMM as an integer, the same on SQLite and PostgreSQL."""
    return _YearMonth(Record.activity_date)


def empty_indicators(period: Period) -> dict[str, Any]:
    """The JSON object with every key present and every count zero."""
    return {
        "period": period.as_dict(),
        "survivors": {
            "enrolled": 0,
            "needs_assessed": 0,
            "individual_counselling": 0,
            "families_counselled": 0,
            "family_members_counselled": 0,
            "certified": 0,
            "referred": {s: 0 for s in SERVICES},
            "referrals_completed": 0,
            "emergency_support": 0,
            "emergency_kinds": {k: 0 for k in EMERGENCY_KINDS},  # distinct survivors per kind
            "partner_support": {p: 0 for p in PARTNERS},
            "children": 0,
        },
        "community_counselling": {"sessions": 0, "participants": 0},
        "events": {kw: _empty_event(kw) for kw in EVENT_TYPES},
        "international_days": [],
    }


def _empty_event(keyword: str) -> dict[str, Any]:
    event: dict[str, Any] = {"count": 0, "participants": 0, "gender": {"M": 0, "F": 0, "O": 0}}
    if keyword in _AUDIENCE:
        event["audience"] = {name: 0 for name in _AUDIENCE[keyword]}
    if keyword == "TRN":
        event["topics"] = []  # the TOPIC texts of the period's trainings
    return event


def _grouped(query: Select[Any], group: ColumnElement[Any] | None) -> Select[Any]:
    if group is None:
        return query
    return query.add_columns(group.label("grp")).group_by(group)


def _key(row: Any, group: ColumnElement[Any] | None) -> Any:
    return row.grp if group is not None else None


def compute(
    session: Session, scope: Scope, group: ColumnElement[Any] | None = None
) -> dict[Any, dict[str, Any]]:
    """Indicators per value of `group` (an upazila or month expression); one key None if no group.

    Every number comes from a GROUP BY in the database; Python only places them in the dict.
    """
    where = scope.where()
    if session.get_bind().dialect.name == "postgresql":
        # The per-survivor pass hashes a year of records: PostgreSQL's default 4 MB would
        # spill it to disk, and a parallel plan builds that hash once in every worker (twice
        # the work, measured slower on the 2-core server). SET LOCAL ends with the
        # caller's transaction.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    out: dict[Any, dict[str, Any]] = defaultdict(lambda: empty_indicators(scope.period))
    if group is None:
        out[None] = empty_indicators(scope.period)

    for key, counts in survivor_counts(session, where, group):
        surv = out[key]["survivors"]
        for path, n in counts.items():
            target = surv
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = n

    # Completed referrals: outcomes DONE dated in the period.
    ref_q = select(func.count(distinct(Record.referral_id)).label("n")).where(
        *where, Record.keyword == "REFOUT", Record.outcome == "DONE"
    )
    for row in session.execute(_grouped(ref_q, group)):
        if row.n:
            out[_key(row, group)]["survivors"]["referrals_completed"] += row.n

    _events(session, where, group, out)
    _days(session, where, group, out)
    add_details(session, where, group, out)
    return dict(out)


def _sum(col: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def _events(
    session: Session,
    where: list[ColumnElement[bool]],
    group: ColumnElement[Any] | None,
    out: dict[Any, dict[str, Any]],
) -> None:
    q = (
        select(
            Record.keyword,
            func.count().label("n"),
            _sum(Record.total).label("total"),
            _sum(Record.m).label("m"),
            _sum(Record.f).label("f"),
            _sum(Record.o).label("o"),
            _sum(Record.students).label("students"),
            _sum(Record.teachers).label("teachers"),
            _sum(Record.parents).label("parents"),
            _sum(Record.youths).label("youths"),
            _sum(Record.cbo).label("cbo"),
        )
        .where(*where, Record.keyword.in_([*EVENT_TYPES, "CC"]))
        .group_by(Record.keyword)
    )
    for row in session.execute(_grouped(q, group)):
        ind = out[_key(row, group)]
        if row.keyword == "CC":
            ind["community_counselling"] = {"sessions": row.n, "participants": int(row.total)}
            continue
        event = ind["events"][row.keyword]
        event.update(
            count=row.n,
            participants=int(row.total),
            gender={"M": int(row.m), "F": int(row.f), "O": int(row.o)},
        )
        for name in _AUDIENCE.get(row.keyword, ()):
            event["audience"][name] = int(getattr(row, name))


def _days(
    session: Session,
    where: list[ColumnElement[bool]],
    group: ColumnElement[Any] | None,
    out: dict[Any, dict[str, Any]],
) -> None:
    # One entry per day code and date: several reports of the same celebration are summed.
    q = (
        select(
            Record.day_code,
            Record.activity_date,
            func.count().label("reports"),
            _sum(Record.total).label("total"),
            _sum(Record.m).label("m"),
            _sum(Record.f).label("f"),
            _sum(Record.o).label("o"),
        )
        .where(*where, Record.keyword == "DAY")
        .group_by(Record.day_code, Record.activity_date)
        .order_by(Record.activity_date, Record.day_code)
    )
    for row in session.execute(_grouped(q, group)):
        out[_key(row, group)]["international_days"].append(
            {
                "code": row.day_code,
                "name": DAY_NAMES.get(row.day_code or "", row.day_code),
                "date": row.activity_date.isoformat(),
                "participants": int(row.total),
                "gender": {"M": int(row.m), "F": int(row.f), "O": int(row.o)},
                "reports": row.reports,
            }
        )


def indicators(session: Session, scope: Scope) -> dict[str, Any]:
    """The indicators.md object for one scope."""
    return compute(session, scope)[None]


def flatten(ind: dict[str, Any]) -> dict[str, int]:
    """Every number of an indicators object under a dotted name, zeros included."""
    flat: dict[str, int] = {}
    surv = ind["survivors"]
    for key, value in surv.items():
        if isinstance(value, dict):
            for sub, n in value.items():
                flat[f"survivors.{key}.{sub}"] = n
        else:
            flat[f"survivors.{key}"] = value
    flat["community_counselling.sessions"] = ind["community_counselling"]["sessions"]
    flat["community_counselling.participants"] = ind["community_counselling"]["participants"]
    for kw, event in ind["events"].items():
        flat[f"events.{kw}.count"] = event["count"]
        flat[f"events.{kw}.participants"] = event["participants"]
        for sex, n in event["gender"].items():
            flat[f"events.{kw}.gender.{sex}"] = n
        for name, n in event.get("audience", {}).items():
            flat[f"events.{kw}.audience.{name}"] = n
    for code in DAY_NAMES:
        days = [d for d in ind["international_days"] if d["code"] == code]
        flat[f"international_days.{code}.count"] = len(days)
        flat[f"international_days.{code}.participants"] = sum(d["participants"] for d in days)
    return flat
