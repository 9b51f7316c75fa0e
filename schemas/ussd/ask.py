"""USSD questions: one screen each, checking a typed answer with the SMS parser's own rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from schemas.codes import read_code
from schemas.commands import ErrorCode, Lang, ParseError, Place, Role
from schemas.dates import read_date
from schemas.text import normalise
from schemas.ussd.words import word

if TYPE_CHECKING:
    from schemas.parse import Context

SKIP = "#"  # "Men? (# to skip)": leaves that count out, as an SMS without the tag would


@dataclass(frozen=True)
class Bad:
    """An answer that fails its check: the question is asked again with this reason."""

    reason: str


@dataclass(frozen=True)
class Question:
    """One CON screen: its text, and how an answer to it is read (value, or Bad)."""

    prompt: str
    check: Callable[[str], Any]


@dataclass(frozen=True)
class Env:
    """Everything a screen may depend on besides the path: who asks, and when."""

    role: Role
    lang: Lang
    home: Place | None  # the caller's registered union
    today: date  # the received date in the project time zone
    max_backdate_days: int
    ctx: Context  # the parser's own tables: catalog, gazetteer, limits

    def w(self, key: str, **values: object) -> str:
        return word(key, self.lang, **values)


def reason(lang: Lang, error: ParseError) -> str:
    """A parser error in screen words (Latin letters, one line)."""
    d = error.detail

    def w(key: str, **values: object) -> str:
        return word(key, lang, **values)

    match error.code:
        case ErrorCode.OUT_OF_RANGE:
            return w("range", min=d.get("min", ""), max=d.get("max", ""))
        case ErrorCode.BAD_CHECK_DIGIT | ErrorCode.MALFORMED_FIELD if error.field == "code":
            return w("bad_code")
        case ErrorCode.MALFORMED_FIELD:
            return w("not_number")
        case ErrorCode.FUTURE_DATE:
            return w("future")
        case ErrorCode.DATE_TOO_OLD:
            return w("too_old", days=d.get("max", ""))
        case ErrorCode.IMPOSSIBLE_DATE:
            return w("bad_date", token=_latin(str(d.get("token", ""))))
        case ErrorCode.UNKNOWN_PLACE:
            near = _latin(str(d.get("suggestions", "")))
            return w("unknown_place") + (" " + w("near", names=near) if near else "")
        case ErrorCode.UNKNOWN_SURVIVOR:
            return w("unknown_survivor", code=d.get("code", ""))
        case ErrorCode.UNKNOWN_REFERRAL:
            return w("unknown_referral", referral=d.get("referral", ""))
        case ErrorCode.CERT_BEFORE_IC:
            return w("cert_before_ic")
        case ErrorCode.INACTIVE_SENDER | ErrorCode.UNKNOWN_SENDER:
            return w("inactive")
    return w("not_valid")


def _latin(text: str) -> str:
    # A screen is plain Latin: anything a user typed in another script is dropped from it.
    return "".join(ch for ch in text if 32 <= ord(ch) < 127)[:40]


def menu_text(title: str, lines: Sequence[str], back: str | None) -> str:
    return "\n".join([title, *lines, *([back] if back else [])])


def choice(
    env: Env, title: str, options: Sequence[tuple[str, Any, str]], back: bool = True
) -> Question:
    """A numbered menu: options are (number typed, value, label)."""
    values = {number: value for number, value, _ in options}
    lines = [f"{number} {label}" for number, _, label in options]

    def check(raw: str) -> Any:
        return values[raw] if raw in values else Bad(env.w("not_choice"))

    return Question(menu_text(title, lines, env.w("back") if back else None), check)


def _read_int(env: Env, raw: str, low: int, high: int) -> int | Bad:
    if not (raw.isascii() and raw.isdigit()):
        return Bad(env.w("not_number"))
    value = int(raw)
    if not low <= value <= high:
        return Bad(
            reason(
                env.lang,
                ParseError(ErrorCode.OUT_OF_RANGE, None, {"value": value, "min": low, "max": high}),
            )
        )
    return value


def count(env: Env, key: str, low: int, high: int, skip: bool = False) -> Question:
    """A number in low..high (the catalog's range); `#` answers None when skipping is allowed."""

    def check(raw: str) -> int | Bad | None:
        if skip and raw == SKIP:
            return None
        return _read_int(env, raw, low, high)

    return Question(menu_text(env.w(key), [], env.w("back")), check)


def women(env: Env, total: int, men: int | None) -> Question:
    """Women's count: with men it must make up the total, as the SMS sum rule demands."""

    def check(raw: str) -> int | Bad | None:
        value = None if raw == SKIP else _read_int(env, raw, 0, total)
        if isinstance(value, Bad):
            return value
        given = [(tag, n) for tag, n in (("M", men), ("F", value)) if n is not None]
        if given and sum(n for _, n in given) != total:
            parts = "+".join(f"{tag}{n}" for tag, n in given)
            return Bad(env.w("sum", parts=parts, sum=sum(n for _, n in given), total=total))
        return value

    return Question(menu_text(env.w("women"), [], env.w("back")), check)


def survivor_code(env: Env) -> Question:
    def check(raw: str) -> str | Bad:
        found = read_code(normalise(raw))
        return Bad(reason(env.lang, found)) if isinstance(found, ParseError) else found

    return Question(menu_text(env.w("code"), [], env.w("back")), check)


def referral_number(env: Env) -> Question:
    def check(raw: str) -> int | Bad:
        digits = normalise(raw).removeprefix("r")
        if not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
            return Bad(env.w("not_number"))
        return int(digits)

    return Question(menu_text(env.w("ref_number"), [], env.w("back")), check)


def _date_token(raw: str) -> str:
    """DDMMYY / DDMMYYYY / DDMM typed on a keypad -> the SMS form D/M[/Y]; else as typed."""
    text = normalise(raw)
    if text.isascii() and text.isdigit() and len(text) in (4, 6, 8):
        return "/".join(filter(None, (text[:2], text[2:4], text[4:])))
    return text


def check_date(env: Env, token: str) -> date | Bad:
    found = read_date(token, env.today, env.max_backdate_days)
    if found is None:
        return Bad(env.w("bad_date", token=_latin(token)))
    return Bad(reason(env.lang, found)) if isinstance(found, ParseError) else found


def typed_date(env: Env) -> Question:
    return Question(
        menu_text(env.w("type_date"), [], env.w("back")),
        lambda raw: check_date(env, _date_token(raw)),
    )


def typed_place(env: Env) -> Question:
    def check(raw: str) -> Place | Bad:
        found = env.ctx.gazetteer.match(raw)
        if isinstance(found, ParseError):
            return Bad(reason(env.lang, found))
        return found if isinstance(found, Place) else Bad(env.w("unknown_place"))

    return Question(menu_text(env.w("type_place"), [], env.w("back")), check)
