"""DHIS2 period ids from the report's names and DHIS2's own, and how they fit a data set."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.dhis2.periods import PeriodIdError, parse_dhis_period, periods_to_send


@pytest.mark.parametrize(
    ("text", "pid", "start", "end", "adx"),
    [
        ("2021-03", "202103", date(2021, 3, 1), date(2021, 3, 31), "2021-03-01/P1M"),
        ("2021-Q3", "2021Q3", date(2021, 7, 1), date(2021, 9, 30), "2021-07-01/P3M"),
        ("2021q1", "2021Q1", date(2021, 1, 1), date(2021, 3, 31), "2021-01-01/P3M"),
        ("2021", "2021", date(2021, 1, 1), date(2021, 12, 31), "2021-01-01/P1Y"),
        ("FY2021", "2020Oct", date(2020, 10, 1), date(2021, 9, 30), "2020-10-01/P1Y"),
        ("202102", "202102", date(2021, 2, 1), date(2021, 2, 28), "2021-02-01/P1M"),
        ("2021Q4", "2021Q4", date(2021, 10, 1), date(2021, 12, 31), "2021-10-01/P3M"),
        ("2020Oct", "2020Oct", date(2020, 10, 1), date(2021, 9, 30), "2020-10-01/P1Y"),
    ],
)
def test_periods_read_as_dhis2_ids(text: str, pid: str, start: date, end: date, adx: str) -> None:
    period = parse_dhis_period(text)
    assert (period.id, period.start, period.end, period.adx) == (pid, start, end, adx)


@pytest.mark.parametrize("text", ["", "2021-13", "202113", "FY21", "project", "2021W3", "x"])
def test_unknown_periods_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(PeriodIdError, match="2021-Q3"):
        parse_dhis_period(text)


def test_a_year_to_a_monthly_data_set_is_its_twelve_months() -> None:
    assert [p.id for p in periods_to_send("2021", "Monthly")] == [
        f"2021{m:02d}" for m in range(1, 13)
    ]


def test_a_fiscal_year_splits_into_its_quarters_and_months() -> None:
    assert [p.id for p in periods_to_send("FY2021", "Quarterly")] == [
        "2020Q4",
        "2021Q1",
        "2021Q2",
        "2021Q3",
    ]
    months = periods_to_send("FY2021", "Monthly")
    assert months[0].id == "202010" and months[-1].id == "202109" and len(months) == 12


def test_without_a_period_type_the_period_is_sent_as_asked() -> None:
    assert [p.id for p in periods_to_send("2021", None)] == ["2021"]
    assert [p.id for p in periods_to_send("2021-Q2", "Quarterly")] == ["2021Q2"]


@pytest.mark.parametrize(
    ("text", "period_type", "words"),
    [
        ("2021-03", "Quarterly", "shorter than the data set's Quarterly"),
        ("2021-Q1", "Yearly", "shorter"),
        ("2021", "FinancialOct", "does not divide"),
        ("FY2021", "Yearly", "does not divide"),
    ],
)
def test_periods_that_do_not_fit_the_data_set_are_refused(
    text: str, period_type: str, words: str
) -> None:
    with pytest.raises(PeriodIdError, match=words):
        periods_to_send(text, period_type)
