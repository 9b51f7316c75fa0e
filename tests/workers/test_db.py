"""Database errors are logged and kept as reasons: they must never carry the bound values."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from workers.db import get_engine
from workers.settings import Settings


def test_database_error_text_hides_bound_values(settings: Settings) -> None:
    with pytest.raises(Exception) as caught, get_engine(settings.database_url).connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table WHERE a = :a"), {"a": "+8801712345678"})
    assert "+8801712345678" not in str(caught.value)
    assert "no_such_table" in str(caught.value)
