"""The traffic itself: 2020 and 2022 around a 2021 that adds up to the seed report, plus noise."""

from __future__ import annotations

from datetime import date, timedelta

from tests.reports_fixture import ACTIVISTS, COUNSELLORS, SEED, UNREGISTERED, Msg, Planner, split

Y20, Y21, Y22 = (
    (date(2020, 1, 1), date(2020, 12, 31)),
    (date(2021, 1, 1), date(2021, 12, 31)),
    (date(2022, 1, 1), date(2022, 8, 31)),
)


def _survivors(p: Planner) -> None:
    rng = p.rng
    a = [p.enrol(p.rand_day(date(2020, 1, 15), date(2020, 12, 20))) for _ in range(140)]
    b = [p.enrol(p.rand_day(date(2021, 1, 2), date(2021, 11, 30))) for _ in range(288)]
    # The last ten of 2021 are assessed only in January 2022.
    late = [p.enrol(date(2021, 12, 16) + timedelta(days=i % 5)) for i in range(10)]
    c = [p.enrol(p.rand_day(date(2022, 1, 3), date(2022, 7, 31))) for _ in range(60)]
    a.sort(key=lambda s: s.enrolled)

    def in21(s, lo: int = 1, hi_cut: int = 0) -> date:  # type: ignore[no-untyped-def]
        start = max(s.enrolled + timedelta(days=lo), Y21[0])
        return p.rand_day(start, Y21[1] - timedelta(days=hi_cut))

    # Needs assessment: 288 of 2021's + the last 10 of 2020's = 298 (+ a few repeats).
    for s in b:
        p.service("NA", s, in21(s))
    for s in a[-10:]:
        p.service("NA", s, in21(s))
    for s in rng.sample(b, 15):
        p.service("NA", s, in21(s))
    for s in late:
        p.service("NA", s, date(2022, 1, 5 + s.index % 10))
    for s in a[:-10]:
        p.service("NA", s, s.enrolled + timedelta(days=2))
    for s in c:
        p.service("NA", s, s.enrolled + timedelta(days=1))

    # Individual counselling in 2021: 280 of 2021's, 59 of 2020's (1-3 sessions each).
    ic_b, ic_a = b[:280], a[:59]
    first_ic: dict[int, date] = {}
    for s in ic_b + ic_a:
        days = sorted({in21(s, 1, 10) for _ in range(rng.choice((1, 1, 2, 3)))})
        first_ic[s.index] = days[0]
        for d in days:
            p.service("IC", s, d)
    for s in a:  # counselling in 2020 too (outside the period)
        p.service("IC", s, min(s.enrolled + timedelta(days=1), Y20[1]))
    for s in c[:30] + ic_b[:20]:
        p.service("IC", s, p.rand_day(max(s.enrolled + timedelta(days=1), Y22[0]), Y22[1]))

    # Certificates: 300 after a 2021 session, 17 on a 2020 session only = 317.
    for s in (ic_b + ic_a)[:300]:
        p.service("CERT", s, p.rand_day(first_ic[s.index] + timedelta(days=3), Y21[1]))
    for s in a[59:76]:
        p.service("CERT", s, p.rand_day(date(2021, 1, 10), date(2021, 6, 30)))
    undone = p.service("CERT", ic_a[-1], date(2021, 12, 30))  # not certified otherwise
    p.undo(undone)
    p.reject(
        late[0].counsellor[0],
        f"CERT {{s:{late[0].index}}} {_d(late[0].enrolled, 3)}",
        late[0].enrolled + timedelta(days=3),
    )

    # Family counselling: 360 families, the largest count per family summing to 678.
    families = b[:270] + a[:90]
    most = split(SEED["family_members_counselled"], len(families), rng)
    for s, n in zip(families, most, strict=True):
        p.service("FC", s, in21(s, 1, 5), str(n), members=n)
        if rng.random() < 0.25:  # a smaller second session: the largest count is what counts
            p.service("FC", s, in21(s, 1, 5), str(max(1, n - 1)), members=max(1, n - 1))
    for s in a[:40]:  # a big family session in 2020 must not count
        p.service("FC", s, min(s.enrolled + timedelta(days=1), Y20[1]), "9", members=9)

    # Referrals, emergency support and partner support.
    health = b[:90] + a[:7]
    refs = [(s, p.refer(s, "HEALTH", in21(s, 1, 20))) for s in health]
    for s in health[:10]:
        refs.append((s, p.refer(s, "HEALTH", in21(s, 1, 20))))
    for s in b[100:105]:
        refs.append((s, p.refer(s, "LEGAL", in21(s, 1, 20))))
    for s, service in zip(b[110:117], ["SHELTER"] * 3 + ["LIVELIHOOD"] * 4, strict=True):
        refs.append((s, p.refer(s, service, in21(s, 1, 20))))
    for s in c[:8]:
        p.refer(s, "HEALTH", s.enrolled + timedelta(days=2))
    _outcomes(p, refs)
    emg = b[200:215] + a[100:101]
    for s in emg:
        kinds = " ".join(rng.sample(["HEALTH", "TRAUMA", "COUNSEL", "SHELTER"], rng.randint(1, 3)))
        p.service("EMG", s, in21(s), kinds)
    p.service("EMG", emg[0], in21(emg[0]), "TRAUMA")
    p.undo(p.service("EMG", b[230], in21(b[230]), "HEALTH"))
    for s in b[150:200] + a[110:125]:
        p.service("SUP", s, in21(s), "PRAN", partner="PRAN")
    p.service("SUP", c[0], c[0].enrolled + timedelta(days=3), "PRAN", partner="PRAN")
    # An enrolment made by mistake and undone the same day.
    p.enrol(date(2021, 5, 20))
    p.undo(p.msgs[-1])


def _d(day: date, plus: int) -> str:
    d = day + timedelta(days=plus)
    return f"{d.day}/{d.month}/{d.year % 100:02d}"


def _outcomes(p: Planner, refs: list) -> None:  # type: ignore[type-arg]
    rng = p.rng
    dated = [(s, ref, p.by_key[ref].fact.day) for s, ref in refs]  # type: ignore[union-attr]
    for s, ref, day in dated[:40]:
        p.outcome(s, ref, "DONE", min(day + timedelta(days=rng.randint(3, 20)), Y21[1]))
    for s, ref, day in dated[40:46]:
        p.outcome(s, ref, "NO", min(day + timedelta(days=rng.randint(3, 20)), Y21[1]))
    s, ref, day = dated[46]
    p.undo(p.outcome(s, ref, "DONE", min(day + timedelta(days=5), Y21[1])))


def _events(p: Planner) -> None:
    for kw, (count, total) in SEED["events"].items():
        for n in split(total, count, p.rng):
            p.event(kw, n, p.rand_day(*Y21))
        for year in (Y20, Y22):  # the same kinds of events outside the period
            p.event(kw, p.rng.randint(10, 60), p.rand_day(*year))
    for code, day, totals in SEED["days"]:
        for total in totals:
            p.day_event(code, total, day)
    p.undo(p.day_event("IWD", 100, date(2021, 3, 8)))
    p.day_event("IWD", 900, date(2020, 3, 8))
    p.day_event("IWD", 1000, date(2022, 3, 8))
    p.day_event("TIP", 40, date(2022, 7, 30))
    p.undo(p.event("MEET", 20, date(2021, 6, 10)))
    counsellor = COUNSELLORS[0]
    for n in split(SEED["cc_participants"], SEED["cc_sessions"], p.rng):
        p.event("CC", n, p.rand_day(*Y21), tags=True, sender=p.rng.choice(COUNSELLORS))
    p.event("CC", 30, date(2020, 9, 9), sender=counsellor)
    p.event("CC", 25, date(2022, 2, 2), sender=counsellor)


def _noise(p: Planner) -> None:
    activist, counsellor = ACTIVISTS[0][0], COUNSELLORS[1][0]
    day = date(2021, 5, 10)
    for text in (
        "MEET 0",
        "HELLO 12",
        "DAY XYZ 300",
        "SCH 100 S80 T10 P10 M40 F50",
        "MEET 12 13/5/21",
        "MEET 12 1/2/21",
        "MEET 12 31/2",
        "",
    ):
        p.reject(activist, text, day)
    p.reject(counsellor, "IC 100008 9/5/21", day)
    p.reject(counsellor, "IC 100009 9/5/21", day)
    p.reject(activist, "IC 100009", day)  # activists may not send survivor commands
    for i in range(3):
        p.send(Msg(p.at(day + timedelta(days=i)), UNREGISTERED, "MEET 20", "ignored"))
    # Resent by the person (duplicates) and redelivered by the provider (same id).
    accepted = [m for m in p.msgs if m.expect == "accepted" and m.fact and not m.undone]
    for m in p.rng.sample(accepted, 40):
        p.send(Msg(m.at + timedelta(minutes=3), m.sender, m.text, "duplicate"))
    for m in p.rng.sample(accepted, 20):
        m.redeliver = True


def build_plan(seed: int = 2021) -> Planner:
    p = Planner(seed)
    _survivors(p)
    _events(p)
    _apart(p)
    _noise(p)
    p.msgs.sort(key=lambda m: m.at)
    return p


def _apart(p: Planner) -> None:
    """Two planned messages with the same sender and text 10 minutes apart or less would be
    taken as one resent message: move the later one away."""
    last: dict[tuple[str, str], Msg] = {}
    for m in sorted(p.msgs, key=lambda m: m.at):
        prev = last.get((m.sender, m.text))
        if prev is not None and m.at - prev.at <= timedelta(minutes=10):
            m.at = prev.at + timedelta(minutes=11)
        last[(m.sender, m.text)] = m
