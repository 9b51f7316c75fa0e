"""Check, export and push, shared by the command line and the dashboard: nothing half-sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from schemas.dhis2.formats import data_value_set, render
from schemas.dhis2.mapping import Mapping, Problem, check_mapping
from schemas.dhis2.periods import DhisPeriod, PeriodIdError, periods_to_send
from schemas.dhis2.values import Export
from service.dhis2.values import collect, gazetteer_places, known_paths
from workers.dhis2.audit import record_push
from workers.dhis2.config import MappingFileError, load_mapping
from workers.dhis2.push import PushOutcome, post_data_values
from workers.settings import Settings


class Dhis2Error(ValueError):
    """A request that cannot be served (no mapping, bad period); one line, safe to show."""


@dataclass
class Prepared:
    """A mapping checked and its values built for some periods; `problems` stop any sending."""

    mapping: Mapping
    periods: list[DhisPeriod]
    export: Export
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _mapping(settings: Settings) -> tuple[Mapping, list[Problem], list[str]]:
    try:
        mapping, problems = load_mapping(settings)
    except MappingFileError as exc:
        raise Dhis2Error(str(exc)) from exc
    static, warnings = check_mapping(mapping, known_paths(), gazetteer_places(settings.district))
    return mapping, problems + static, warnings


def prepare(session: Session, settings: Settings, period: str | None) -> Prepared:
    """The mapping checked and its values built for `period`, or, with no period, for every
    year of the project (so that `check` names every place with data that lacks an org unit)."""
    mapping, problems, warnings = _mapping(settings)
    try:
        if period:
            periods = periods_to_send(period, mapping.period_type)
        else:
            first, last = _project_years(settings)
            periods = [DhisPeriod("Yearly", y, 1) for y in range(first, last + 1)]
    except PeriodIdError as exc:
        raise Dhis2Error(str(exc)) from exc
    export = collect(session, mapping, periods, settings.district)
    return Prepared(mapping, periods, export, problems + export.problems, warnings)


def _project_years(settings: Settings) -> tuple[int, int]:
    try:
        return (
            date.fromisoformat(settings.project_start).year,
            date.fromisoformat(settings.project_end).year,
        )
    except ValueError as exc:
        raise Dhis2Error("PROJECT_START and PROJECT_END must be YYYY-MM-DD") from exc


def refusal(prepared: Prepared, done: str = "sent") -> str:
    """One line naming every problem, when nothing may be sent (or exported)."""
    problems = "; ".join(p.message for p in prepared.problems)
    return (
        f"nothing was {done}: {len(prepared.problems)} problem(s) in the DHIS2 mapping"
        f" (`ashshash dhis2 check` lists them): {problems}"
    )


def problem_list(prepared: Prepared) -> str:
    """Every problem on its own line, for `ashshash dhis2 check`."""
    lines = [f"{len(prepared.problems)} problem(s) in the DHIS2 mapping:"]
    return "\n".join(lines + [f"  - {p.message}" for p in prepared.problems])


def export_bytes(prepared: Prepared, fmt: str) -> bytes:
    exported = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return render(prepared.export, fmt, exported)


def send(settings: Settings, prepared: Prepared, *, dry_run: bool, **http: object) -> PushOutcome:
    """POST the prepared values. No session here: a slow DHIS2 holds no transaction open."""
    if prepared.problems:
        raise Dhis2Error("the mapping has problems: nothing may be sent")
    payload = data_value_set(prepared.export)
    return post_data_values(
        prepared.mapping.url,
        settings.dhis2_token or "",
        payload,
        dry_run=dry_run,
        id_scheme=prepared.mapping.id_scheme,
        **http,
    )  # type: ignore[arg-type]


def audit_push(
    session: Session,
    prepared: Prepared,
    outcome: PushOutcome,
    *,
    period: str,
    dry_run: bool,
    actor: str,
) -> None:
    """The push's audit row (added; the caller commits)."""
    record_push(
        session,
        actor=actor,
        period=period,
        periods=[p.id for p in prepared.periods],
        dry_run=dry_run,
        values=len(prepared.export.values),
        outcome=outcome,
    )


def outcome_lines(outcome: PushOutcome, dry_run: bool) -> list[str]:
    """What a person reads after a push: the summary line, then every conflict."""
    head = ("dry run: " if dry_run else "") + outcome.message
    lines = [head]
    if outcome.summary is not None:
        lines += [f"  conflict: {c.line()}" for c in outcome.summary.conflicts]
    return lines
