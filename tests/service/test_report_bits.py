"""The columns the report's survivor pass reads agree with what they are derived from."""

from __future__ import annotations

from sqlalchemy import select

from schemas.report_bits import CHILD, FLAGS, report_bits_sql
from schemas.tables import Record, Survivor
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory


def _expected_bits(keyword: str, service: str | None, partner: str | None, child: bool) -> int:
    bits = CHILD if child else 0
    for i, (_, kw, svc, ptn) in enumerate(FLAGS):
        if kw == keyword and svc in (None, service) and ptn in (None, partner):
            bits |= 1 << i
    return bits


def test_every_pipeline_record_carries_its_survivors_child_flag_and_its_report_bits(
    report_db: ReportDb,  # noqa: F811
) -> None:
    with session_factory(report_db.settings)() as session:
        rows = session.execute(
            select(
                Record.keyword,
                Record.service,
                Record.partner,
                Record.survivor_child,
                Record.report_bits,
                Survivor.is_child,
            ).outerjoin(Survivor, Survivor.id == Record.survivor_id)
        ).all()
    assert len(rows) > 2000
    seen = 0
    for keyword, service, partner, survivor_child, bits, is_child in rows:
        # Events have no survivor (is_child None) and are never children's records.
        assert survivor_child is bool(is_child)
        assert bits == _expected_bits(keyword, service, partner, bool(is_child))
        seen |= bits
    # The traffic exercises every flag and the children's bit, so none is checked vacuously.
    assert seen == CHILD * 2 - 1


def test_at_most_one_flag_matches_a_record() -> None:
    # The report adds a survivor to every count whose bit is set; one record, one count.
    keys = [(kw, svc, ptn) for _, kw, svc, ptn in FLAGS]
    assert len(set(keys)) == len(keys)
    for kw, svc, ptn in keys:
        assert bin(_expected_bits(kw, svc, ptn, False)).count("1") == 1
    assert report_bits_sql().count("WHEN keyword") == len(FLAGS)
