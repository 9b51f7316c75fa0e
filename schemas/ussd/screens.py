"""USSD menus: the `text` path of a session ("1*4*845") -> the next screen, or what to save.

Pure: no session state, no clock, no database. Each hop replays the whole path: answers that
pass their question's check move on, `0` goes back one screen, `00` to the main menu, and an
answer that fails is dropped and its question asked again with the reason in front.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from schemas.commands import Lang, Place, Role
from schemas.dates import local_date
from schemas.text import normalise
from schemas.ussd.ask import Bad, Env, Question
from schemas.ussd.flows import (
    Answers,
    NeedInput,
    Result,
    Screen,
    ShowRecent,
    Submission,
    main_flow,
)

if TYPE_CHECKING:
    from schemas.parse import Context

BACK = "0"
HOME = "00"
MAX_SCREEN = 160  # characters, "CON "/"END " included
MAX_INPUTS = 40  # a longer path is not a person pressing keys; it ends the session
MAX_INPUT = 60  # characters of one answer that are read (a place name is the longest)


def inputs(path: str | None) -> list[str]:
    """Africa's Talking joins every input so far with `*`; the first hop's text is empty.

    Each answer is read as SMS text is (NFKC, case-folded, Bengali digits as 0-9), so a
    phone that sends `১` picks option 1.
    """
    return [normalise(part.strip()[:MAX_INPUT]).strip() for part in path.split("*")] if path else []


def _step(env: Env, answers: list[Any]) -> Question | Result:
    try:
        return main_flow(env, Answers(answers))
    except NeedInput as need:
        return need.question


def home_place(ctx: Context, union_name: str | None) -> Place | None:
    if not union_name:
        return None
    try:
        found = ctx.gazetteer.union(union_name)
    except (KeyError, LookupError, ValueError):
        return None
    return found if isinstance(found, Place) else None


def make_env(
    role: Role, lang: Lang, home_union_name: str | None, received: datetime, ctx: Context
) -> Env:
    return Env(
        role=Role(role),
        lang=Lang(lang) if lang in (Lang.EN, Lang.BN) else Lang.EN,
        home=home_place(ctx, home_union_name),
        today=local_date(received, ctx.timezone),
        max_backdate_days=ctx.max_backdate_days,
        ctx=ctx,
    )


def menu(
    path: str | None,
    role: Role,
    lang: Lang,
    home_union_name: str | None,
    received: datetime,
    ctx: Context,
) -> Screen | Submission | ShowRecent:
    """The answer to one hop. `ctx` is the parser's Context (`schemas.parse.read.load_context`)."""
    env = make_env(role, lang, home_union_name, received, ctx)
    answers: list[Any] = []
    error: str | None = None
    steps = inputs(path)
    if len(steps) > MAX_INPUTS:
        return Screen("END", env.w("cancelled"))
    for raw in steps:
        error = None
        if raw == HOME:
            answers = []
            continue
        if raw == BACK:
            answers = answers[:-1]
            continue
        step = _step(env, answers)
        if not isinstance(step, Question):
            return step  # input after the session ended (a provider replaying a hop)
        value = step.check(raw)
        if isinstance(value, Bad):
            error = value.reason
        else:
            answers = [*answers, value]
    step = _step(env, answers)
    if isinstance(step, Question):
        return Screen("CON", f"{error}\n{step.prompt}" if error else step.prompt)
    return step


__all__ = ["MAX_SCREEN", "Screen", "ShowRecent", "Submission", "inputs", "make_env", "menu"]
