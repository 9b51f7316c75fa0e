"""Report periods: every named form, explicit dates, and one-line errors for anything else."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.periods import Period, PeriodError, parse_period, resolve_period

START, END = date(2019, 11, 1), date(2022, 8, 31)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("2021-Q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("2021-Q3", date(2021, 7, 1), date(2021, 9, 30)),
        ("2020-q4", date(2020, 10, 1), date(2020, 12, 31)),
        ("FY2021", date(2020, 10, 1), date(2021, 9, 30)),
        ("fy2022", date(2021, 10, 1), date(2022, 9, 30)),
        ("project", START, END),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_named_periods(text: str, first: date, last: date) -> None:
    assert parse_period(text, START, END) == Period(first, last)


@pytest.mark.parametrize("text", ["", "21", "2021-Q5", "FY21", "last year", "2021-13"])
def test_unknown_periods_are_refused_in_one_line(text: str) -> None:
    with pytest.raises(PeriodError) as exc:
        parse_period(text, START, END)
    assert "\n" not in str(exc.value)


def test_from_and_to_are_inclusive_dates() -> None:
    p = resolve_period(
        start="2021-03-01", end="2021-03-31", period=None, project_start=START, project_end=END
    )
    assert (p.start, p.end) == (date(2021, 3, 1), date(2021, 3, 31))
    assert p.label == "March 2021"


@pytest.mark.parametrize(
    ("start", "end", "period", "message"),
    [
        ("2021-03-01", None, None, "both"),
        (None, None, None, "both"),
        ("2021-03-01", "2021-02-01", None, "after"),
        ("2021-02-30", "2021-03-01", None, "YYYY-MM-DD"),
        ("2021-01-01", "2021-12-31", "2021", "not both"),
    ],
)
def test_bad_period_requests(start, end, period, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PeriodError, match=message):
        resolve_period(start=start, end=end, period=period, project_start=START, project_end=END)


def test_labels_follow_the_seed_report() -> None:
    assert Period(date(2021, 1, 1), date(2021, 12, 31)).label == "January-December 2021"
    assert Period(date(2020, 10, 1), date(2021, 9, 30)).label == "October 2020-September 2021"
    assert Period(date(2021, 3, 8), date(2021, 3, 9)).label == "8 March 2021 - 9 March 2021"
    assert Period(date(2020, 11, 1), date(2021, 2, 28)).months() == [
        (2020, 11),
        (2020, 12),
        (2021, 1),
        (2021, 2),
    ]
