"""Provider values: the clock rule at its edges, ids that never collide, text any database holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas.provider_values import provider_key, received_time, storable, with_flag

STORED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("provider", "used", "flagged"),
    [
        (STORED - timedelta(minutes=1), STORED - timedelta(minutes=1), False),
        (
            STORED + timedelta(minutes=9, seconds=59),
            STORED + timedelta(minutes=9, seconds=59),
            False,
        ),
        (STORED + timedelta(minutes=10, seconds=1), STORED, True),
        (STORED - timedelta(hours=23, minutes=59), STORED - timedelta(hours=23, minutes=59), False),
        (STORED - timedelta(hours=24, minutes=1), STORED - timedelta(hours=24, minutes=1), True),
        (STORED - timedelta(days=6, hours=23), STORED - timedelta(days=6, hours=23), True),
        (STORED - timedelta(days=7, minutes=1), STORED, True),
        (datetime(2031, 1, 1, tzinfo=UTC), STORED, True),
        (datetime(2019, 6, 1, tzinfo=UTC), STORED, True),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), STORED, True),
        (datetime(1, 1, 1, tzinfo=UTC), STORED, True),
        # Past the calendar once in UTC: astimezone itself overflows.
        (datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))), STORED, True),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=6))), STORED, True),
        (None, STORED, True),
        (datetime(2026, 3, 10, 8, 0), STORED, True),  # naive: no zone, no trust
    ],
)
def test_the_clock_rule(provider: datetime | None, used: datetime, flagged: bool) -> None:
    assert received_time(provider, STORED, 7) == (used, flagged)


def test_a_huge_lag_replays_history_without_overflow() -> None:
    old = datetime(2019, 6, 1, tzinfo=UTC)
    assert received_time(old, STORED, 10**6) == (old, True)


def test_an_offset_time_is_given_back_in_utc() -> None:
    dhaka = datetime(2026, 3, 10, 13, 59, tzinfo=timezone(timedelta(hours=6)))
    when, flagged = received_time(dhaka, STORED, 7)
    assert when == STORED - timedelta(minutes=1) and when.tzinfo == UTC and not flagged


def test_ids_that_fit_are_kept_and_long_ones_never_collide() -> None:
    assert provider_key(" ATXid_1 ") == "ATXid_1"
    assert provider_key("x" * 120) == "x" * 120
    one, two = "x" * 120 + "a", "x" * 120 + "b"
    assert provider_key(one) != provider_key(two)
    assert len(provider_key(one)) <= 120 and provider_key(one).startswith("x" * 40 + "#")
    assert provider_key(one) == provider_key(one)  # stable: reports find their message


def test_nul_and_lone_surrogates_become_replacement_characters() -> None:
    assert storable("a\x00b\ud800c") == "a\ufffdb\ufffdc"
    assert storable("ধন্যবাদ 😀") == "ধন্যবাদ 😀"
    assert provider_key("id\x00") == "id\ufffd"


def test_flags_are_added_once() -> None:
    assert with_flag(None, "clock") == "clock"
    assert with_flag("clock", "clock") == "clock"
    assert with_flag("loop", "clock") == "loop clock"
