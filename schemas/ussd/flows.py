"""The USSD menu tree (ussd.md), written as plain functions that ask one question at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from schemas.commands import EVENT_KEYWORDS, Command, Lang, Place
from schemas.parse.fields import max_total
from schemas.parse.readers import AGE_RANGE
from schemas.ussd.ask import (
    Env,
    Question,
    check_date,
    choice,
    count,
    referral_number,
    survivor_code,
    typed_date,
    typed_place,
    women,
)


@dataclass(frozen=True)
class Screen:
    """What the phone shows: CON (more input) or END (session over)."""

    kind: str  # "CON" | "END"
    text: str

    @property
    def body(self) -> str:
        return f"{self.kind} {self.text}"


@dataclass(frozen=True)
class Submission:
    """The user picked Save (or a language): store this command as an SMS would be stored."""

    command: Command


@dataclass(frozen=True)
class ShowRecent:
    """ "My last 3 records": the caller's records are read from the database, then shown."""


Result = Screen | Submission | ShowRecent


class NeedInput(Exception):  # noqa: N818 - control flow, not an error
    """Raised by Answers.ask when the path has no answer yet for this question."""

    def __init__(self, question: Question) -> None:
        self.question = question


class Answers:
    """The answers accepted so far, handed out in order to a flow as it asks."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.used = 0

    def ask(self, question: Question) -> Any:
        if self.used < len(self.values):
            self.used += 1
            return self.values[self.used - 1]
        raise NeedInput(question)


EVENTS = EVENT_KEYWORDS  # the menu lists them in the catalogue's order
DAYS = ("IWD", "TIP", "IMD")
SESSIONS = ("IC", "FC", "CERT", "NA", "ENR")
SERVICES = ("HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD")


def numbered(env: Env, keys: tuple[str, ...]) -> list[tuple[str, Any, str]]:
    return [(str(i), key, env.w(key)) for i, key in enumerate(keys, start=1)]


def ask_date(env: Env, a: Answers) -> date:
    pick = a.ask(
        choice(
            env,
            env.w("date"),
            [
                ("1", "today", env.w("today")),
                ("2", "yesterday", env.w("yesterday")),
                ("3", "other", env.w("other_date")),
            ],
        )
    )
    if pick == "other":
        return a.ask(typed_date(env))  # type: ignore[no-any-return]
    found = check_date(env, pick)
    if isinstance(found, date):
        return found
    # Yesterday outside a backdate window of 0 days: ask for a typed date instead.
    return a.ask(typed_date(env))  # type: ignore[no-any-return]


def ask_place(env: Env, a: Answers) -> Place | None:
    """None: the caller's own union (the SMS default when no place is typed)."""
    if env.home is not None:
        pick = a.ask(
            choice(
                env,
                env.w("place"),
                [
                    ("1", "home", f"{env.w('my_union')} ({env.home.name})"),
                    ("2", "other", env.w("other_place")),
                ],
            )
        )
        if pick == "home":
            return None
    return a.ask(typed_place(env))  # type: ignore[no-any-return]


def fmt(when: date | None) -> str:
    return when.strftime("%d/%m/%y") if when else ""


def confirm(env: Env, a: Answers, command: Command, summary: str) -> Result:
    pick = a.ask(
        choice(env, summary, [("1", "save", env.w("save")), ("2", "cancel", env.w("cancel"))])
    )
    if pick == "save":
        return Submission(command)
    return Screen("END", env.w("cancelled"))


def event_flow(env: Env, a: Answers) -> Result:
    keyword = a.ask(choice(env, env.w("event_type"), numbered(env, EVENTS)))
    day = a.ask(choice(env, env.w("day_type"), numbered(env, DAYS))) if keyword == "DAY" else None
    spec = env.ctx.catalog.command(keyword)
    # The parser's own limit (MAX_TOTAL override included), read through its own function.
    limit = max_total(
        spec,
        SimpleNamespace(
            max_total=env.ctx.max_total,  # type: ignore[arg-type]
            catalog=env.ctx.catalog,
        ),
    )
    total = a.ask(count(env, "total", 1, limit))
    men = a.ask(count(env, "men", 0, total, skip=True))
    fem = a.ask(women(env, total, men))
    when = ask_date(env, a)
    place = ask_place(env, a)
    tags = tuple((tag, n) for tag, n in (("M", men), ("F", fem)) if n is not None)
    command = Command(
        keyword=keyword,
        activity_date=when,
        date_given=True,
        total=total,
        tags=tags,
        place=place or env.home,
        place_given=place is not None,
        day_code=day,
    )
    counts = " ".join(f"{tag}{n}" for tag, n in tags)
    shown = place or env.home
    where = env.ctx.gazetteer.render_name(shown) if shown else ""
    summary = " ".join(
        filter(
            None,
            [env.w(keyword), day, str(total), f"({counts})" if counts else "", fmt(when), where],
        )
    )
    return confirm(env, a, command, summary)


def counselling_flow(env: Env, a: Answers) -> Result:
    keyword = a.ask(choice(env, env.w("session"), numbered(env, SESSIONS)))
    if keyword == "ENR":
        sex = a.ask(
            choice(
                env,
                env.w("sex"),
                [(str(i), s, env.w(f"sex_{s}")) for i, s in enumerate("MFO", start=1)],
            )
        )
        age = a.ask(count(env, "age", *AGE_RANGE))
        when = ask_date(env, a)
        command = Command(
            keyword="ENR",
            activity_date=when,
            date_given=True,
            sex=sex,
            age=age,
            place=env.home,
            place_given=False,
        )
        # The summary never repeats a person's sex or age (phones are shared).
        return confirm(env, a, command, f"{env.w('enr_summary')} {fmt(when)}")
    code = a.ask(survivor_code(env))
    members = None
    if keyword == "FC":
        members = a.ask(count(env, "members", *(env.ctx.catalog.command("FC").members or (1, 30))))
    when = ask_date(env, a)
    command = Command(
        keyword=keyword, activity_date=when, date_given=True, code=code, members=members
    )
    label = env.w(f"{keyword}_long" if keyword != "CERT" else "CERT")
    extra = f"{members} {env.w('members_short')}" if members is not None else ""
    return confirm(env, a, command, " ".join(filter(None, [label, code, extra, fmt(when)])))


def referral_flow(env: Env, a: Answers) -> Result:
    pick = a.ask(
        choice(
            env,
            env.w("ref_menu"),
            [("1", "new", env.w("ref_new")), ("2", "outcome", env.w("ref_outcome"))],
        )
    )
    if pick == "new":
        code = a.ask(survivor_code(env))
        service = a.ask(choice(env, env.w("service"), numbered(env, SERVICES)))
        when = ask_date(env, a)
        command = Command(
            keyword="REF", activity_date=when, date_given=True, code=code, service=service
        )
        summary = f"{env.w('REF')} {code} {env.w(service)} {fmt(when)}"
        return confirm(env, a, command, summary)
    number = a.ask(referral_number(env))
    outcome = a.ask(choice(env, f"R{number}", numbered(env, ("DONE", "NO"))))
    when = ask_date(env, a)
    command = Command(
        keyword="REFOUT", activity_date=when, date_given=True, referral=number, outcome=outcome
    )
    summary = f"{env.w('REFOUT')} R{number} {env.w(outcome)} {fmt(when)}"
    return confirm(env, a, command, summary)


def language_flow(env: Env, a: Answers) -> Result:
    lang = a.ask(
        choice(
            env,
            env.w("lang_menu"),
            [("1", Lang.EN, env.w("english")), ("2", Lang.BN, env.w("bangla"))],
        )
    )
    return Submission(Command(keyword="LANG", lang=lang))


def recent_flow(_env: Env, _a: Answers) -> Result:
    return ShowRecent()


# (number, label, flow, the keyword a role must be allowed to send to see it: the catalog's
# role table decides, as it does for SMS).
MAIN: tuple[tuple[str, str, Callable[[Env, Answers], Result], str], ...] = (
    ("1", "event", event_flow, "MEET"),
    ("2", "counselling", counselling_flow, "IC"),
    ("3", "referral", referral_flow, "REF"),
    ("4", "recent", recent_flow, "WHO"),
    ("5", "language", language_flow, "LANG"),
)


def main_flow(env: Env, a: Answers) -> Result:
    """The main menu keeps its numbers for every role; it only hides what a role may not send."""
    catalog = env.ctx.catalog
    options = [
        (n, flow, env.w(key))
        for n, key, flow, keyword in MAIN
        if catalog.may_send(env.role, keyword)
    ]
    flow = a.ask(choice(env, env.w("main"), options, back=False))
    return flow(env, a)  # type: ignore[no-any-return]


__all__ = ["Answers", "NeedInput", "Result", "Screen", "ShowRecent", "Submission", "main_flow"]
