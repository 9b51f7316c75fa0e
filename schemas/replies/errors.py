"""Why a message was not saved, in words: one reason per error, and the expected form."""

from __future__ import annotations

import re
import string
from typing import Any

from schemas.commands import ErrorCode, Lang, ParseError, Role
from schemas.outcomes import Rejected
from schemas.parse.catalog import load_catalog
from schemas.replies.sms_length import Piece
from schemas.replies.words import echo, iso_date, load_words, num
from schemas.text import bengali_digits

_FORMATTER = string.Formatter()
# Errors about the form of a message: the reply ends with the keyword's expected form.
_FORM_ERRORS = frozenset(
    {
        ErrorCode.MISSING_FIELD,
        ErrorCode.EXTRA_FIELD,
        ErrorCode.MALFORMED_FIELD,
        ErrorCode.OUT_OF_RANGE,
        ErrorCode.SUM_MISMATCH,
        ErrorCode.DUPLICATE_TAG,
        ErrorCode.TAG_NOT_ALLOWED,
        ErrorCode.IMPOSSIBLE_DATE,
        ErrorCode.MISSING_DAY_CODE,
        ErrorCode.UNKNOWN_DAY_CODE,
        ErrorCode.BAD_SEX,
        ErrorCode.UNKNOWN_SERVICE,
        ErrorCode.UNKNOWN_KIND,
        ErrorCode.UNKNOWN_PARTNER,
        ErrorCode.UNKNOWN_LANG,
        ErrorCode.UNKNOWN_PLACE,
        ErrorCode.NOT_UNDERSTOOD,
        ErrorCode.AMBIGUOUS_TOKEN,
        ErrorCode.TOPIC_TOO_LONG,
    }
)
_NUMERIC = ("value", "min", "max", "sum", "total", "days", "length")
_NOT_REGISTERED = frozenset({ErrorCode.UNKNOWN_SENDER, ErrorCode.INACTIVE_SENDER})
MAX_NAMED = 12  # a typed word longer than this is named by its position, not repeated


def rejected(outcome: Rejected, w: dict[str, Any], lang: Lang) -> list[Piece]:
    """'Not saved: <reason>' then the expected form, or the role's keywords when the
    keyword itself was not understood."""
    errors = outcome.errors or (ParseError(ErrorCode.EMPTY),)
    if any(e.code in _NOT_REGISTERED for e in errors):
        return [Piece(w["not_registered"])]
    out = [Piece(w["not_saved"])]
    reasons = list(dict.fromkeys(_reason(e, outcome, w, lang) for e in errors))
    out.append(Piece(reasons[0], drop=2))
    out += [Piece(w["reason_join"] + r, drop=4, atomic=True) for r in reasons[1:]]
    first = errors[0].code
    if first in (ErrorCode.EMPTY, ErrorCode.UNKNOWN_KEYWORD) or (
        not outcome.keyword and first not in (ErrorCode.TOO_LONG, ErrorCode.CONTROL_CHARS)
    ):
        listed = keywords(outcome.role, lang)
        out.append(Piece(w["you_may_send"].format(keywords=listed), drop=3, atomic=True))
    elif any(e.code in _FORM_ERRORS for e in errors) and outcome.keyword in w["usage"]:
        usage = w["usage"][outcome.keyword]
        out.append(Piece(w["send"].format(usage=usage), drop=3, atomic=True))
    else:
        out.append(Piece(w["end"]))
    return out


def _reason(error: ParseError, outcome: Rejected, w: dict[str, Any], lang: Lang) -> str:
    """The first template for this error whose placeholders can all be filled safely."""
    values = _values(error, outcome, w, lang)
    templates = w["errors"].get(error.code.value) or w["errors"]["malformed_field"]
    for template in templates:
        names = [name for _, name, _, _ in _FORMATTER.parse(template) if name]
        if all(values.get(name) for name in names):
            return template.format(**{name: values[name] for name in names})
    return _FORMATTER.vformat(templates[-1], (), _Blank(values))


class _Blank(dict[str, str | None]):
    """Fills a placeholder that has no safe value with nothing (last template only)."""

    def __missing__(self, key: str) -> str:
        return ""

    def __getitem__(self, key: str) -> str:
        return super().get(key) or ""


def _values(
    error: ParseError, outcome: Rejected, w: dict[str, Any], lang: Lang
) -> dict[str, str | None]:
    """Placeholder values for one error; repeated-back text only where it is safe."""
    catalog = load_catalog()
    keyword = outcome.keyword or str(error.detail.get("keyword", ""))
    # Survivor commands: never repeat what was typed, as it may be the person's sex, age or
    # place; only codes and numbers the counsellor typed for the record itself come back.
    private = keyword in ("ENR", "NA", "IC", "FC", "CERT", "REF", "REFOUT", "EMG", "SUP")
    detail = error.detail
    values: dict[str, str | None] = {
        "keyword": "REF" if keyword == "REFOUT" else echo(keyword, lang),
        "field": _field(error.field, w, lang),
        "codes": ", ".join(catalog.day_codes),
        "services": ", ".join(catalog.short("services", v) for v in catalog.values("services")),
        "kinds": ", ".join(
            catalog.short("emergency_kinds", v) for v in catalog.values("emergency_kinds")
        ),
        "position": num(detail.get("position"), lang),
        "partners": ", ".join(catalog.values("partners")),
        "langs": ", ".join(catalog.values("languages")),
        "code": echo(detail.get("code"), lang, digits_only=True),
        "referral": echo(detail.get("referral"), lang, digits_only=True),
        "record": echo(detail.get("record"), lang, digits_only=True),
        "date": iso_date(detail.get("date"), lang),
        "tag": echo(str(detail.get("tag") or "").upper() or None, lang),
    }
    for name in _NUMERIC:
        values[name] = num(detail.get(name), lang)
    raw = detail.get("typed") or detail.get("token")
    # Tokens arrive case-folded ("hello"); the parser adds the typed form ("Xyz7").
    token = None if raw is None else str(raw if "typed" in detail else str(raw).upper())
    if token is not None and len(token) > MAX_NAMED:
        token = None  # a long word is named by its position ("word 3 not understood")
    if error.code is ErrorCode.BAD_CHECK_DIGIT:
        values["token"] = echo(token, lang, digits_only=True)
    elif not (private and (keyword == "ENR" or not re.search(r"\d", token or ""))):
        values["token"] = echo(token, lang)
    swapped = detail.get("swapped")
    if isinstance(swapped, str) and re.fullmatch(r"\d{1,2}/\d{1,2}", swapped):
        values["swapped"] = swapped if lang is Lang.EN else bengali_digits(swapped)
    if keyword == "ENR":
        values["value"] = None  # an age out of range is still the person's age
    if not private:
        values["text"] = echo(str(detail.get("text") or "").title() or None, lang)
        names = detail.get("suggestions_bn" if lang is Lang.BN else "suggestions")
        values["suggestions"] = echo(names or detail.get("suggestions"), lang, limit=60)
        values["parts"] = _parts(detail.get("parts"), w, lang)
    if error.code is ErrorCode.ROLE_NOT_ALLOWED:
        values["roles"] = _roles(detail.get("roles"), keyword, w)
    return values


def _roles(raw: object, keyword: str, w: dict[str, Any]) -> str | None:
    names = [r.strip() for r in str(raw or "").split(",") if r.strip()]
    spec = load_catalog().commands.get(keyword)
    if not names and spec:
        names = [r.value for r in spec.roles]
    words = [w["roles"][n] for n in names if n in w["roles"]]
    return w["or_join"].join(words) or None


def _parts(raw: object, w: dict[str, Any], lang: Lang) -> str | None:
    """'M300+F500' in the reply's words: 'M300+F500' or 'পুরুষ ৩০০ + নারী ৫০০'."""
    pairs = re.findall(r"([A-Za-z]+)\s*[=:]?\s*(\d+)", str(raw or ""))
    if not pairs:
        return None
    if w["tag_style"] == "word":
        return " + ".join(f"{w['tags'].get(t.upper(), t)} {num(n, lang)}" for t, n in pairs)
    return "+".join(f"{t.upper()}{n}" for t, n in pairs)


def _field(name: str | None, w: dict[str, Any], lang: Lang) -> str | None:
    if not name:
        return None
    if name in w["fields"]:
        return str(w["fields"][name])
    if name.upper() in w["tags"]:
        return name.upper()  # a tag letter is what the sender typed: "M"
    return echo(name.replace("_", " "), lang)


def keywords(role: Role | str, lang: Lang = Lang.EN) -> str:
    """The role's keywords in the sender's language: a Bangla sender sees the Bangla keyword
    each Bangla form starts with (`সভা`, `স্কুল`), every one an alias of the catalog."""
    listed = load_catalog().allowed_keywords(role)
    if lang is Lang.EN:
        return " ".join(listed)
    words = load_words()[lang.value]
    usage, names = words["usage"], words.get("list_names", {})
    return " ".join(names.get(k) or str(usage.get(k, k)).split(" ")[0] for k in listed)
