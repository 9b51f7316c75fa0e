"""The Alembic migrations and the declared tables describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from schemas.tables import Base
from workers.db import get_engine
from workers.settings import Settings


def test_migrated_database_matches_the_models(settings: Settings) -> None:
    # The fixture's database was built by running the migrations, not by create_all.
    with get_engine(settings.database_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_table_exists_after_upgrade(settings: Settings) -> None:
    names = set(inspect(get_engine(settings.database_url)).get_table_names())
    assert set(Base.metadata.tables) <= names
