"""Reply text for every outcome, in English or Bangla, within the SMS budget."""

from __future__ import annotations

from typing import Any

from schemas.commands import Lang
from schemas.outcomes import (
    Accepted,
    Duplicate,
    HelpList,
    Ignored,
    LangSet,
    NotRegistered,
    Outcome,
    Rejected,
    Undone,
    WhoAmI,
)
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer
from schemas.replies.errors import keywords, rejected
from schemas.replies.sms_length import UCS2_SINGLE, Piece, fit, utf16_units
from schemas.replies.words import as_lang, echo, fmt_date, load_words, num, place_name, scrub

# A Bangla confirmation goes out as one SMS (70 UTF-16 units) whenever its whole text fits;
# only one that cannot (both tag groups and a long place) takes the two-part budget.
BN_CONFIRMATION = UCS2_SINGLE


def render(outcome: Outcome, lang: Lang | str) -> str:
    """The one reply for an outcome, in `lang` (LangSet answers in the language just set).
    An Ignored outcome (only filler words) has no reply: the empty text is never sent."""
    if isinstance(outcome, Ignored):
        return ""
    if isinstance(outcome, LangSet):
        lang = outcome.lang
    code = as_lang(lang)
    w = load_words()[code.value]
    pieces = _pieces(outcome, w, code)
    whole = "".join(p.text for p in pieces)
    if isinstance(outcome, Accepted) and code is Lang.BN and utf16_units(whole) <= BN_CONFIRMATION:
        return scrub(whole, code)
    return scrub(fit(pieces, code.value, w["trim"]), code)


def _pieces(outcome: Outcome, w: dict[str, Any], lang: Lang) -> list[Piece]:
    if isinstance(outcome, Accepted):
        return _accepted(outcome, w, lang)
    if isinstance(outcome, Rejected):
        return rejected(outcome, w, lang)
    if isinstance(outcome, Duplicate):
        if outcome.first_record_id is not None:
            return [Piece(w["already_saved"].format(record=outcome.first_record_id))]
        key = "first_not_saved" if outcome.first_status == "rejected" else "same_received"
        return [Piece(w[key])]
    if isinstance(outcome, Undone):
        label = w["labels"].get(outcome.keyword, outcome.keyword)
        return [Piece(w["undone"].format(record=outcome.record_id, label=label))]
    if isinstance(outcome, LangSet):
        return [Piece(w["lang_set"])]
    if isinstance(outcome, WhoAmI):
        return _who(outcome, w, lang)
    if isinstance(outcome, HelpList):
        if outcome.topic:
            form = w["help"].get(outcome.topic) or w["usage"].get(outcome.topic, outcome.topic)
            label = w["labels"].get(outcome.topic, outcome.topic)
            return [Piece(w["help_topic"].format(label=label, usage=form), drop=1)]
        listed = w["help_list"].format(keywords=keywords(outcome.role, lang))
        return [Piece(listed), Piece(w["help_hint"], drop=1, atomic=True)]
    if isinstance(outcome, NotRegistered):
        return [Piece(w["not_registered"])]
    raise TypeError(f"not an outcome: {outcome!r}")  # a bug in the caller, not user input


# --- accepted -----------------------------------------------------------------------------


def _accepted(outcome: Accepted, w: dict[str, Any], lang: Lang) -> list[Piece]:
    cmd, record = outcome.command, outcome.record_id
    out = [Piece(w["ok"].format(record=record))]
    if cmd.typed_keyword:
        shown = "REF" if cmd.keyword == "REFOUT" else cmd.keyword
        out.append(
            Piece(
                w["read_as"].format(keyword=shown),
                drop=5,
                atomic=True,
                alt=w["read_as_short"].format(keyword=shown),
            )
        )
    spec = load_catalog().commands.get(cmd.keyword)
    shape = spec.shape if spec else "other"
    label = w["labels"].get(cmd.keyword, cmd.keyword)
    short = w["date_style"] == "short"
    when = (
        [Piece(" " + fmt_date(cmd.activity_date, lang, short), drop=2, atomic=True)]
        if cmd.activity_date
        else []
    )
    if shape == "event":
        if cmd.keyword == "DAY" and cmd.day_code:
            label = w["days"].get(cmd.day_code, f"{label} {cmd.day_code}")
        out.append(Piece(label, drop=3))
        if cmd.total is not None:
            out.append(Piece(" " + w["total"].format(total=num(cmd.total, lang))))
        if cmd.tags:
            out.append(_tags(cmd.tags, w, lang))
        out += when
        if cmd.place:
            shown = place_name(cmd.place, lang, w["upazila_mark"])
            out.append(Piece(" " + shown, drop=4, atomic=True))
        if cmd.training_topic:  # said to be saved, never repeated (rule TRN)
            out.append(Piece(w["topic_saved"], drop=5, atomic=True))
    elif shape == "enrol":
        # Never the person's sex, age or place: only the code a counsellor must write down.
        new = outcome.code or cmd.code
        out.append(Piece(w["new_code"].format(code=new) if new else label))
    else:
        out.append(Piece(label, drop=3))
        out += _service_detail(outcome, shape, w, lang)
        out += when
    out.append(Piece(w["wrong"].format(record=record)))
    return out


def _service_detail(outcome: Accepted, shape: str, w: dict[str, Any], lang: Lang) -> list[Piece]:
    """What a survivor-service record was, without anything about the person. Services and
    emergency kinds by their short codes only (`H`, `LV`): safe on a shared phone."""
    cmd = outcome.command
    catalog = load_catalog()
    out: list[Piece] = []
    if shape == "outcome":
        out.append(Piece(" " + w["referral"].format(referral=cmd.referral)))
        if outcome.code:
            out.append(Piece(" " + outcome.code))
        if outcome.service:
            out.append(Piece(" " + catalog.short("services", outcome.service)))
        said = w["outcomes"].get(cmd.outcome or "", cmd.outcome or "")
        out.append(Piece(": " + (w["changed"] if outcome.changed else "") + said, drop=4))
        return out
    if shape == "referral":
        number = outcome.referral if outcome.referral is not None else cmd.referral
        if number is not None:
            out.append(Piece(" " + w["referral"].format(referral=number)))
    if cmd.code:
        out.append(Piece(" " + cmd.code))
    if shape == "referral" and cmd.service:
        out.append(Piece(" " + catalog.short("services", cmd.service), drop=4))
    if shape == "members" and cmd.members is not None:
        out.append(Piece(" " + w["members"].format(members=num(cmd.members, lang)), drop=4))
    if shape == "emergency" and cmd.kinds:
        kinds = " ".join(catalog.short("emergency_kinds", k) for k in cmd.kinds)
        out.append(Piece(" " + kinds, drop=4))
    if shape == "support" and cmd.partner:
        display = catalog.partner_display.get(cmd.partner, cmd.partner)
        out.append(Piece(" " + display, drop=4))
    return out


def _tags(tags: tuple[tuple[str, int], ...], w: dict[str, Any], lang: Lang) -> Piece:
    """Tagged counts in typed order: ' (M300 F545)' or ' (পুরুষ ৩০০, নারী ৫৪৫)'."""
    letters = w.get("tag_letters", {})
    compact = " ".join(f"{letters.get(t, t)}{num(n, lang)}" for t, n in tags)
    if w["tag_style"] == "word":
        full = w["tags_join"].join(f"{w['tags'].get(t, t)} {num(n, lang)}" for t, n in tags)
    else:
        full = compact
    return Piece(
        w["tags_open"] + full + w["tags_close"],
        drop=6,
        atomic=True,
        alt=w["tags_open"] + compact + w["tags_close"],
    )


def _who(outcome: WhoAmI, w: dict[str, Any], lang: Lang) -> list[Piece]:
    name = echo(outcome.name, lang, limit=40) or "-"
    role = w["roles"].get(str(outcome.role), str(outcome.role))
    if not outcome.union:
        return [Piece(w["who_no_union"].format(name=name, role=role))]
    try:
        union = place_name(load_gazetteer().union(outcome.union), lang)
    except KeyError:
        union = echo(outcome.union, lang, limit=30) or outcome.union
    return [Piece(w["who"].format(name=name, role=role, union=union))]
