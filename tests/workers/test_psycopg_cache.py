"""A drained batch's multi-row INSERTs are parsed by psycopg once, not on every execute."""

from __future__ import annotations

from psycopg import _queries
from psycopg.adapt import Transformer

from workers.db import PSYCOPG_CACHE_PARAMS, _cache_large_queries


def _insert(rows: int, columns: int = 12) -> bytes:
    values = ", ".join(
        "(" + ", ".join(f"%(c{c}__{r})s" for c in range(columns)) + ")" for r in range(rows)
    )
    names = ", ".join(f"c{c}" for c in range(columns))
    return f"INSERT INTO t ({names}) VALUES {values} RETURNING id".encode()


def test_a_hundred_row_insert_is_parsed_once() -> None:
    _cache_large_queries()
    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= PSYCOPG_CACHE_PARAMS
    query = _insert(100)
    params = {f"c{c}__{r}": r for c in range(12) for r in range(100)}
    assert len(params) > 50  # past psycopg's own cap: without the change, never cached
    before = _queries._query2pg.cache_info()
    for _ in range(3):
        _queries.PostgresQuery(Transformer()).convert(query, params)
    after = _queries._query2pg.cache_info()
    assert after.hits - before.hits >= 2  # parsed at most once of three
