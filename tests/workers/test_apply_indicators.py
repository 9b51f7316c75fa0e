"""What apply_command writes is what the indicators count, before and after an UNDO."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from schemas.commands import Command
from schemas.outcomes import Accepted, Undone
from schemas.periods import Period
from service.reports.indicators import Scope, indicators
from tests.workers.test_apply import GABURA, apply, make_reporter
from workers.settings import Settings

D = date(2026, 3, 10)
MARCH = Scope(Period(date(2026, 3, 1), date(2026, 3, 31)))


def survivors(session: Session, scope: Scope = MARCH) -> dict[str, Any]:
    return indicators(session, scope)["survivors"]  # type: ignore[no-any-return]


def accepted(outcome: object) -> Accepted:
    assert isinstance(outcome, Accepted), outcome
    return outcome


def test_services_count_and_undo_takes_them_out(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    enr = accepted(
        apply(
            session,
            settings,
            counsellor,
            Command(keyword="ENR", activity_date=D, sex="F", age=15, place=GABURA),
        )
    )
    code = enr.code
    for command in (
        Command(keyword="IC", code=code, activity_date=date(2026, 3, 2)),
        Command(keyword="IC", code=code, activity_date=date(2026, 3, 9)),
        Command(keyword="FC", code=code, members=4, activity_date=D),
        Command(keyword="FC", code=code, members=6, activity_date=D),
    ):
        accepted(apply(session, settings, counsellor, command))
    cert = accepted(
        apply(session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D))
    )
    ref = accepted(
        apply(
            session,
            settings,
            counsellor,
            Command(keyword="REF", code=code, service="HEALTH", activity_date=D),
        )
    )
    accepted(
        apply(
            session,
            settings,
            counsellor,
            Command(keyword="REFOUT", referral=ref.referral, outcome="DONE", activity_date=D),
        )
    )
    s = survivors(session)
    counted = ("enrolled", "individual_counselling", "certified", "children")
    assert [s[name] for name in counted] == [1, 1, 1, 1]
    assert (s["families_counselled"], s["family_members_counselled"]) == (1, 6)
    assert (s["referred"]["HEALTH"], s["referrals_completed"]) == (1, 1)
    gabura = survivors(session, Scope(MARCH.period, upazila="Shyamnagar", union="Gabura"))
    assert gabura["individual_counselling"] == 1
    assert survivors(session, Scope(MARCH.period, union="Nalta"))["individual_counselling"] == 0

    undo = Command(keyword="UNDO", record=cert.record_id)
    assert isinstance(apply(session, settings, counsellor, undo), Undone)
    assert survivors(session)["certified"] == 0

    undo_enr = Command(keyword="UNDO", record=enr.record_id)
    assert isinstance(apply(session, settings, counsellor, undo_enr), Undone)
    s = survivors(session)
    assert (s["enrolled"], s["individual_counselling"], s["children"]) == (0, 0, 0)
    assert (s["referred"]["HEALTH"], s["referrals_completed"]) == (0, 0)
