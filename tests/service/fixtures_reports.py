"""A database filled once through the SMS pipeline (2020-2022 traffic), shared by report tests."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from schemas.tables import Base, InboundMessage, Record
from tests.conftest import TEST_DATABASE_URL, USES_POSTGRES
from tests.reports_fixture import Planner
from tests.reports_fixture_feed import Fed, feed
from tests.reports_fixture_plan import build_plan
from workers.db import dispose_engines, get_engine, session_factory
from workers.migrate import upgrade
from workers.settings import Settings

# Processing a few thousand messages must stay fast; fail loudly if it regresses badly.


@dataclass
class ReportDb:
    settings: Settings
    plan: Planner
    fed: Fed
    seconds: float


_PLAN: Planner | None = None


def _plan() -> Planner:
    global _PLAN
    if _PLAN is None:
        _PLAN = build_plan()
    return _PLAN


def _wipe_postgres(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def build_report_db(url: str, instance: Path) -> ReportDb:
    settings = Settings(
        database_url=url,
        redis_url=None,
        secret_key="test-secret",
        webhook_token="test-token",
        instance_path=str(instance),
        max_provider_lag_days=36500,
    )  # replays 2019-2022 traffic
    upgrade(settings)
    if USES_POSTGRES:
        _wipe_postgres(url)
    plan = _plan()
    started = time.perf_counter()
    with session_factory(settings)() as session:
        fed = feed(session, settings, plan)
    seconds = time.perf_counter() - started
    assert not fed.mismatches, "\n".join(fed.mismatches[:20])
    _set_training_topic(settings)
    return ReportDb(settings, plan, fed, seconds)


# The seed's training topics. Set on the stored record, as `TRN ... TOPIC <text>` stores it
# (the TOPIC reading itself belongs to the SMS language and is tested there).
SEED_TOPIC = "facilitation, communication, survivor\u2019s reintegration and advocacy"


def _set_training_topic(settings: Settings) -> None:
    with session_factory(settings)() as session:
        done = session.execute(
            update(Record)
            .where(
                Record.keyword == "TRN",
                Record.status == "active",
                Record.activity_date.between(date(2021, 1, 1), date(2021, 12, 31)),
            )
            .values(topic=SEED_TOPIC)
        )
        assert done.rowcount == 1  # type: ignore[attr-defined]  # the seed's one training
        session.commit()


def _still_there(db: ReportDb) -> bool:
    with session_factory(db.settings)() as session:
        first = session.scalar(
            select(InboundMessage.id).where(InboundMessage.provider_id == "fx-0")
        )
    return first is not None


_BUILT: dict[str, ReportDb] = {}


@pytest.fixture(scope="module")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportDb]:
    """Built once per run and shared: SQLite modules get a copy of one template file; on
    PostgreSQL the database is rebuilt only when another module has truncated it since."""
    instance = tmp_path_factory.mktemp("report-instance")
    if USES_POSTGRES:
        cached = _BUILT.get("pg")
        if cached is None or not _still_there(cached):
            cached = _BUILT["pg"] = build_report_db(TEST_DATABASE_URL, instance)
        yield cached
        return
    template = _BUILT.get("sqlite")
    if template is None:
        path = tmp_path_factory.mktemp("report-template") / "report.db"
        template = _BUILT["sqlite"] = build_report_db(f"sqlite:///{path}", instance)
        dispose_engines()
    copy = tmp_path_factory.mktemp("report-db") / "report.db"
    shutil.copy(template.settings.database_url.removeprefix("sqlite:///"), copy)
    db = replace(
        template,
        settings=template.settings.with_(
            database_url=f"sqlite:///{copy}", instance_path=str(instance)
        ),
    )
    assert _still_there(db)
    yield db
    dispose_engines()
