"""A sentence never claims what the records do not show: kinds, audience, men and women, topics."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from schemas.periods import Period
from service.reports.build import build_report, make_scope
from service.reports.indicators import empty_indicators, indicators
from service.reports.narrative import build_narrative
from tests.service.report_records import record, reporter, survivor
from workers.settings import Settings

DAY = date(2021, 5, 10)
MAY = Period(date(2021, 5, 1), date(2021, 5, 31))


def _bullets(ind: dict, lang: str = "en") -> list[str]:  # type: ignore[type-arg]
    n = build_narrative(
        ind, project_name="P", donor="D", district="Satkhira", period=MAY, lang=lang
    )
    return [b for section in n.sections for b in section.bullets]


def _one(bullets: list[str], word: str) -> str:
    found = [b for b in bullets if word in b]
    assert len(found) == 1, bullets
    return found[0]


def test_emergency_support_names_only_the_kinds_given(session: Session) -> None:
    who = reporter(session)
    a, b = survivor(session, DAY), survivor(session, DAY)
    record(session, who, "EMG", DAY, survivor_id=a.id, kinds="HEALTH")
    record(session, who, "EMG", DAY, survivor_id=b.id, kinds="TRAUMA HEALTH")
    ind = indicators(session, make_scope(MAY, None, None))
    assert ind["survivors"]["emergency_support"] == 2
    assert ind["survivors"]["emergency_kinds"] == {
        "HEALTH": 2,
        "TRAUMA": 1,
        "COUNSEL": 0,
        "SHELTER": 0,
    }
    assert (
        _one(_bullets(ind), "Emergency")
        == "2 survivors had received Emergency Support (Health and trauma)."
    )
    assert _one(_bullets(ind, "bn"), "জরুরি") == "২ জন জরুরি সহায়তা (স্বাস্থ্য ও ট্রমা) পেয়েছেন।"


def test_every_kind_given_is_the_seed_sentence_and_one_kind_has_no_list() -> None:
    ind = empty_indicators(MAY)
    ind["survivors"]["emergency_support"] = 16
    ind["survivors"]["emergency_kinds"] = {"HEALTH": 3, "TRAUMA": 4, "COUNSEL": 5, "SHELTER": 6}
    assert (
        _one(_bullets(ind), "Emergency")
        == "16 survivors had received Emergency Support (Health, trauma, counselling, and shelter)."
    )
    ind["survivors"]["emergency_kinds"] = {"HEALTH": 0, "TRAUMA": 0, "COUNSEL": 0, "SHELTER": 6}
    assert (
        _one(_bullets(ind), "Emergency") == "16 survivors had received Emergency Support (Shelter)."
    )


def test_school_sessions_without_audience_tags_do_not_claim_students(session: Session) -> None:
    who = reporter(session)
    record(session, who, "SCH", DAY, total=120, m=60, f=60)
    ind = indicators(session, make_scope(MAY, None, None))
    sentence = _one(_bullets(ind), "school")
    assert (
        sentence == "One awareness session was organized in school/madrasah/college with 120"
        " participants."
    )
    assert "including" not in sentence
    assert "শিক্ষার্থী" not in _one(_bullets(ind, "bn"), "স্কুল")
    # Students and parents tagged, no teachers: only those two are named.
    record(session, who, "SCH", DAY, total=50, students=40, parents=10)
    ind = indicators(session, make_scope(MAY, None, None))
    assert _one(_bullets(ind), "school").endswith(
        "with 170 participants including students and parents."
    )
    assert _one(_bullets(ind, "bn"), "স্কুল").endswith("তাঁদের মধ্যে ছিলেন শিক্ষার্থী ও অভিভাবক।")


def test_youth_sessions_name_only_the_audience_given() -> None:
    ind = empty_indicators(MAY)
    ind["events"]["YTH"].update(count=7, participants=280)
    assert (
        _one(_bullets(ind), "interactive") == "7 interactive sessions have been organized for"
        " youths and Community Based Organizations (CBOs) with 280 participants."
    )
    ind["events"]["YTH"]["audience"] = {"youths": 200, "cbo": 0}
    assert _one(_bullets(ind), "interactive").endswith("with the participation of 280 youths.")
    ind["events"]["YTH"]["audience"] = {"youths": 200, "cbo": 80}
    assert (
        _one(_bullets(ind), "interactive") == "7 interactive sessions have been organized"
        " with the participation of 280 youths and Community Based Organizations (CBOs)."
    )


def test_training_topics_come_from_topic_and_are_left_out_when_absent(session: Session) -> None:
    who = reporter(session)
    record(session, who, "TRN", DAY, total=16)
    ind = indicators(session, make_scope(MAY, None, None))
    assert ind["events"]["TRN"]["topics"] == []
    assert _one(_bullets(ind), "training") == "One training was conducted for 16 CTIP activists."
    record(session, who, "TRN", date(2021, 5, 20), total=10, topic="advocacy  and referral")
    record(session, who, "TRN", date(2021, 5, 3), total=12, topic="facilitation")
    record(session, who, "TRN", date(2021, 5, 25), total=9, topic="Facilitation")  # same topic
    ind = indicators(session, make_scope(MAY, None, None))
    assert ind["events"]["TRN"]["topics"] == ["facilitation", "advocacy and referral"]
    assert (
        _one(_bullets(ind), "training")
        == "4 trainings were conducted for 47 CTIP activists on facilitation; advocacy and referral."  # noqa: E501
    )
    assert (
        _one(_bullets(ind, "bn"), "প্রশিক্ষণ")
        == "৪৭ জন CTIP কর্মীর জন্য ৪টি প্রশিক্ষণ হয়েছে (বিষয়: facilitation; advocacy and referral)।"
    )
    # Topics outside the period are not named.
    june = indicators(session, make_scope(Period(date(2021, 6, 1), date(2021, 6, 30)), None, None))
    assert june["events"]["TRN"]["topics"] == []


def test_a_day_names_men_and_women_only_when_both_were_counted(session: Session) -> None:
    who = reporter(session)
    record(session, who, "DAY", date(2021, 3, 8), day_code="IWD", total=300, f=300)
    ind = indicators(session, make_scope(Period(date(2021, 3, 1), date(2021, 3, 31)), None, None))
    sentence = _one(_bullets(ind), "Women")
    assert (
        sentence == "International Women\u2019s Day was celebrated on 8 March 2021 by"
        " engaging 300 participants from the community level."
    )
    assert "নারী ও পুরুষ" not in _one(_bullets(ind, "bn"), "নারী দিবস")
    record(session, who, "DAY", date(2021, 3, 8), day_code="IWD", total=50, m=50)
    ind = indicators(session, make_scope(Period(date(2021, 3, 1), date(2021, 3, 31)), None, None))
    assert "350 participants both men and women" in _one(_bullets(ind), "Women")


def test_the_bangla_report_names_the_district_and_period_in_bangla(
    session: Session, settings: Settings
) -> None:
    report = build_report(
        session,
        settings,
        make_scope(MAY, "Tala", None),
        public=False,
        lang="bn",
        today=date(2021, 6, 2),
    )
    assert report.narrative.header == (
        "প্রকল্প: আশ্বাস",
        "দাতা: উইনরক ইন্টারন্যাশনাল",
        "জেলা: তালা, সাতক্ষীরা",
        "সময়কাল: ১ মে ২০২১ থেকে ৩১ মে ২০২১",
    )
    assert ("প্রস্তুতের তারিখ", "২ জুন ২০২১") in report.cover
    assert report.narrative.title == "আশ্বাস অগ্রগতি প্রতিবেদন: মে ২০২১"
