"""The declarative base every table derives from: one metadata for Alembic and the tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Datetimes are stored timezone-aware everywhere (the house rule: aware datetimes)."""

    type_annotation_map = {datetime: DateTime(timezone=True)}
