"""Each outreach rule with a frozen clock: fires on its day, not before; stops when the
awaited record arrives; escalates; respects quiet hours, Fridays and holidays."""

from __future__ import annotations

from datetime import date

from tests.workers.outreach.fixture import (
    close_referral,
    counts,
    days,
    phone_of,
    record,
    referral,
    reporter,
    run,
    sent,
    survivor,
)
from workers.settings import Settings

START = date(2026, 9, 1)  # a Tuesday


def _workday(day: date) -> date:
    """The first day on or after `day` that is neither a Friday nor a listed holiday."""
    from workers.outreach.config import HOLIDAYS, read_holidays

    holidays = read_holidays(HOLIDAYS)
    while day.weekday() == 4 or day in holidays:
        day = days(day, 1)
    return day


def test_silent_reporter_fires_on_day_30_not_before(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", START)
    day30 = days(START, 30)  # 2026-10-01, a Thursday
    assert sent(run(settings, days(START, 29)), "silent_reporter") == []
    made = sent(run(settings, day30), "silent_reporter")
    assert made == [
        (
            1,
            phone_of(settings, activist),
            "Please send your reports for October. HELP for the list.",
        )
    ]


def test_silent_reporter_stops_when_a_record_arrives(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", START)
    assert sent(run(settings, days(START, 30)), "silent_reporter")
    record(settings, activist, "SCH", days(START, 31))
    for n in (33, 37, 40):
        assert sent(run(settings, _workday(days(START, n))), "silent_reporter") == []


def test_silent_reporter_ladder_reminder_second_then_coordinator(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    coordinator = reporter(settings, "coordinator", joined=date(2026, 1, 5))
    elsewhere = reporter(settings, "coordinator", joined=date(2026, 1, 5), upazila="Tala")
    record(settings, activist, "MEET", START)
    first = sent(run(settings, days(START, 30)), "silent_reporter")
    assert [s[0] for s in first] == [1]
    assert sent(run(settings, days(START, 32)), "silent_reporter") == []
    second = sent(run(settings, days(START, 33)), "silent_reporter")  # a Sunday
    assert [(s[0], s[1]) for s in second] == [(2, phone_of(settings, activist))]
    third = sent(run(settings, days(START, 37)), "silent_reporter")
    assert [(s[0], s[1]) for s in third] == [(3, phone_of(settings, coordinator))]
    assert "No reports for 37 days from" in third[0][2]
    assert phone_of(settings, elsewhere) not in {s[1] for s in third}


def test_each_reason_goes_once_and_one_message_a_day(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", START)
    assert len(sent(run(settings, days(START, 30)), "silent_reporter")) == 1
    again = run(settings, days(START, 30), hour=15)
    assert sent(again, "silent_reporter") == []
    assert {o.result for o in again.outcomes if o.due.rule == "silent_reporter"} == {"already sent"}
    assert counts(settings)[0] == counts(settings)[1] >= 1


def test_quiet_hours_friday_and_a_holiday_hold_everything(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", date(2026, 11, 14))
    # Day 30 is 2026-12-14 (a Monday): at 21:30 quiet; on 2026-12-16 a holiday (Victory
    # Day); 2026-12-18 a Friday; the Thursday 2026-12-17 at 08:00 sends.
    night = run(settings, date(2026, 12, 14), hour=21)
    assert night.closed and night.closed.startswith("quiet hours")
    assert sent(night, "silent_reporter") == []
    holiday = run(settings, date(2026, 12, 16))
    assert holiday.closed == "public holiday" and sent(holiday, "silent_reporter") == []
    friday = run(settings, date(2026, 12, 18))
    assert friday.closed == "weekend (Friday)" and sent(friday, "silent_reporter") == []
    assert counts(settings) == (0, 0)
    morning = run(settings, date(2026, 12, 17), hour=8)
    assert morning.closed is None and len(sent(morning, "silent_reporter")) == 1


def test_meeting_due_after_60_days_to_the_unions_activists(settings: Settings) -> None:
    a = reporter(settings, joined=date(2026, 1, 5))
    b = reporter(settings, joined=date(2026, 1, 5), language="bn")
    other = reporter(settings, joined=date(2026, 1, 5), union="Tala", upazila="Tala")
    record(settings, other, "MEET", days(START, 50), union="Tala")
    record(settings, a, "MEET", START)
    record(settings, a, "SCH", days(START, 59))
    record(settings, b, "SCH", days(START, 59))
    record(settings, other, "SCH", days(START, 59), union="Tala")
    assert sent(run(settings, days(START, 58)), "meeting_due") == []
    made = sent(run(settings, _workday(days(START, 60))), "meeting_due")
    assert sorted(s[1] for s in made) == sorted([phone_of(settings, a), phone_of(settings, b)])
    texts = {s[1]: s[2] for s in made}
    assert texts[phone_of(settings, a)] == (
        "The coordination meeting for Nalta is due. Send MEET <total> when held."
    )
    assert texts[phone_of(settings, b)].startswith("নলতা সমন্বয় সভার সময় হয়েছে")


def test_meeting_due_stops_when_meet_arrives(settings: Settings) -> None:
    a = reporter(settings, joined=date(2026, 1, 5))
    record(settings, a, "MEET", START)
    record(settings, a, "SCH", days(START, 60))
    assert sent(run(settings, _workday(days(START, 60))), "meeting_due")
    record(settings, a, "MEET", days(START, 62))
    assert sent(run(settings, _workday(days(START, 67))), "meeting_due") == []


def test_referral_open_per_service_and_stops_on_outcome(settings: Settings) -> None:
    counsellor = reporter(settings, "counsellor", joined=date(2026, 1, 5))
    shelter = referral(settings, counsellor, "SHELTER", START)
    legal = referral(settings, counsellor, "LEGAL", START)
    assert sent(run(settings, days(START, 6)), "referral_open") == []
    made = sent(run(settings, days(START, 7)), "referral_open")  # SHELTER: 7 days
    assert made == [
        (
            1,
            phone_of(settings, counsellor),
            f"R{shelter} is open since 1 Sep. Send REF R{shelter} DONE or REF R{shelter} NO.",
        )
    ]
    close_referral(settings, shelter, days(START, 8))
    assert sent(run(settings, days(START, 10)), "referral_open") == []  # SHELTER stopped
    assert sent(run(settings, days(START, 29)), "referral_open") == []  # LEGAL not yet
    later = sent(run(settings, _workday(days(START, 30))), "referral_open")
    assert [s[2].split()[0] for s in later] == [f"R{legal}"]


def test_referral_open_escalates_to_coordinators(settings: Settings) -> None:
    counsellor = reporter(settings, "counsellor", joined=date(2026, 1, 5))
    coordinator = reporter(settings, "coordinator", joined=date(2026, 1, 5))
    ref = referral(settings, counsellor, "HEALTH", START)
    assert [s[0] for s in sent(run(settings, days(START, 14)), "referral_open")] == [1]
    assert [s[0] for s in sent(run(settings, _workday(days(START, 17))), "referral_open")] == [2]
    third = sent(run(settings, days(START, 21)), "referral_open")
    assert third == [
        (3, phone_of(settings, coordinator), f"R{ref} is open since 1 Sep with no outcome yet.")
    ]


def test_ic_without_cert_after_90_days_and_stops_on_cert(settings: Settings) -> None:
    counsellor = reporter(settings, "counsellor", joined=date(2026, 1, 5))
    kept = survivor(settings, "482711", START)
    done = survivor(settings, "593822", START)
    record(settings, counsellor, "IC", START, survivor_id=kept)
    record(settings, counsellor, "IC", START, survivor_id=done)
    record(settings, counsellor, "CERT", days(START, 20), survivor_id=done)
    assert sent(run(settings, days(START, 89)), "ic_without_cert") == []
    made = sent(run(settings, _workday(days(START, 90))), "ic_without_cert")
    assert made == [
        (
            1,
            phone_of(settings, counsellor),
            "Code 482711: no session for 90 days. Send IC 482711 or CERT 482711.",
        )
    ]
    record(settings, counsellor, "IC", days(START, 92), survivor_id=kept)
    assert sent(run(settings, _workday(days(START, 97))), "ic_without_cert") == []


def test_weekly_digest_sunday_at_ten_once(settings: Settings) -> None:
    coordinator = reporter(settings, "coordinator", joined=date(2026, 1, 5))
    sunday = date(2026, 11, 1)
    assert sent(run(settings, sunday, hour=9), "weekly_digest") == []
    made = sent(run(settings, sunday, hour=10), "weekly_digest")
    assert [(s[0], s[1]) for s in made] == [(1, phone_of(settings, coordinator))]
    assert made[0][2].startswith("Week 44: 0 saved, 0 not saved,")
    assert sent(run(settings, days(sunday, 1)), "weekly_digest") == []


def test_dry_run_says_what_would_go_and_sends_nothing(settings: Settings) -> None:
    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", START)
    report = run(settings, days(START, 30), dry_run=True)
    results = [(o.due.rule, o.result) for o in report.outcomes]
    assert ("silent_reporter", "would send") in results
    assert counts(settings) == (0, 0)
