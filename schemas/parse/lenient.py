"""Rule 9, the forgiving reading: one deterministic rewrite of a message that did not read.

Drop `Re:`/`Fwd:`, filler words and the signature; split glued tokens; join a code typed in
parts; read `REF <n> DONE|NO` as `REF R<n>`. The parser reads the result with the strict
rules and takes it only if it then reads cleanly with nothing left over (schemas/parse/read.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas.codes import read_code
from schemas.dates import is_date_token
from schemas.parse.catalog import Catalog
from schemas.parse.fields import INTEGER, tagged
from schemas.parse.readers import REFERRAL
from schemas.places import Gazetteer
from schemas.text import normalise

# Glued tokens: letters and digits only (no date or code separators), both present.
_GLUED = re.compile(r"^(?=.*\d)(?=.*[^\d])[^/.:=\-]+$")
_PIECES = re.compile(r"\d+|\D+")
_KEYWORD_NUMBER = re.compile(r"^(\D+?)[-=:](\d+)$")  # meet-15, MEET=15
_LATIN_TAG = re.compile(r"^[mfstpyc]$")
CODE_SHAPES = frozenset({"code", "members", "referral", "emergency", "support"})
MAX_ALTERNATIVES = 4


@dataclass(frozen=True)
class Rewrite:
    """The rewritten token lists to read (more than one when a glued token splits two ways),
    the glued token that did (named if both read), and whether only filler words were left."""

    readings: tuple[tuple[str, ...], ...]
    glued: str | None = None
    only_filler: bool = False


def protected(word: str, catalog: Catalog, gazetteer: Gazetteer) -> bool:
    """A word that means something else: never a signature, never a keyword typo (rule 3)."""
    words = catalog.words
    return (
        catalog.keyword_for(word) is not None
        or catalog.tag(word) is not None
        or catalog.is_day_alias(word)
        or word in words.fillers
        or word in words.months
        or word in words.never_correct
        or word in words.date_markers
        or word in words.union_words
        or word in words.upazila_words
        or is_date_token(word)
        or gazetteer.known(word)
    )


@lru_cache(maxsize=1024)
def signature_words(name: str | None, catalog: Catalog, gazetteer: Gazetteer) -> frozenset[str]:
    """The words of a registered name (3+ letters) that can be a signature."""
    if not name:
        return frozenset()
    return frozenset(
        w
        for w in (normalise(part) for part in re.split(r"[\s.,\-]+", name))
        if len(w) >= 3 and not protected(w, catalog, gazetteer)
    )


def _drop_fillers(words: list[str], catalog: Catalog, signature: frozenset[str]) -> list[str]:
    table = catalog.words
    out: list[str] = []
    for word in words:
        bare = word.rstrip(":")
        if not out and word in table.prefixes:
            continue
        if bare in table.fillers:
            continue
        if bare in table.age_units and out and INTEGER.match(out[-1]):
            continue
        out.append(word)
    while out and (out[-1] in signature or (out[-1][:1] == "-" and out[-1][1:] in signature)):
        out.pop()
    while out and out[0] in signature:
        out.pop(0)
    return out


def _reads(word: str, first: bool, catalog: Catalog) -> bool:
    """Already a field: never split (a tagged count, code, R<n>, date, day code, keyword)."""
    return (
        INTEGER.match(word) is not None
        or tagged(word) is not None
        or isinstance(read_code(word), str)
        or REFERRAL.match(word) is not None
        or is_date_token(word)
        or catalog.is_day_alias(word)
        or (first and catalog.keyword_for(word) is not None)
    )


@lru_cache(maxsize=8192)  # field staff glue the same few tokens (m5f7, upd40) again and again
def _splits(word: str, first: bool, catalog: Catalog) -> tuple[tuple[str, ...], ...]:
    """The ways a glued token splits: letters/digits apart (each tag keeping the number
    after it), and for a token that starts with a number, the number-first tags (`5M7F`)."""
    if first:
        joined = _KEYWORD_NUMBER.match(word)
        if joined and catalog.keyword_for(joined.group(1)) is not None:
            return ((joined.group(1), joined.group(2)),)
    if not _GLUED.match(word) or _reads(word, first, catalog):
        return ((word,),)
    pieces = _PIECES.findall(word)
    ways = [pieces]
    if pieces[0].isdigit() and len(pieces) >= 2:
        glued: list[str] = []
        i = 0
        while i < len(pieces):
            if pieces[i].isdigit() and i + 1 < len(pieces) and _LATIN_TAG.match(pieces[i + 1]):
                glued.append(pieces[i] + pieces[i + 1])
                i += 2
            else:
                glued.append(pieces[i])
                i += 1
        if glued != pieces:
            ways.append(glued)
    return tuple(tuple(way) for way in ways)


def _join_code(words: list[str]) -> list[str]:
    """In the code position only: 2-3 digit groups making six digits are one code."""
    if len(words) < 3 or isinstance(read_code(words[1]), str) or len(words[1]) == 6:
        return words
    for parts in (2, 3):
        group = words[1 : 1 + parts]
        if (
            len(group) == parts
            and all(INTEGER.match(g) for g in group)
            and sum(len(g) for g in group) == 6
        ):
            return [words[0], "".join(group), *words[1 + parts :]]
    return words


def rewrite(words: list[str], name: str | None, catalog: Catalog, gazetteer: Gazetteer) -> Rewrite:
    """Rule 9 on normalised tokens, in the contract's order."""
    kept = _drop_fillers(words, catalog, signature_words(name, catalog, gazetteer))
    if not kept:
        return Rewrite((), only_filler=True)
    keyword = catalog.keyword_for(kept[0])
    if keyword == "ENR":  # rule 10: fillers and the signature only
        return Rewrite((tuple(kept),))
    # Only the first token that splits more than one way keeps its alternatives (at most
    # MAX_ALTERNATIVES readings); every other token takes its first way.
    head: list[str] = []
    alternatives: tuple[tuple[str, ...], ...] = ()
    tail: list[str] = []
    glued = None
    for i, word in enumerate(kept):
        ways = _splits(word, i == 0, catalog)
        if glued is None and len(ways) > 1:
            glued = word
            alternatives = ways[:MAX_ALTERNATIVES]
        elif glued is None:
            head += ways[0]
        else:
            tail += ways[0]
    readings = [head + list(way) + tail for way in alternatives] if glued else [head]
    out = []
    for reading in readings:
        keyword = catalog.keyword_for(reading[0])
        shape = catalog.command(keyword).shape if keyword else None
        if shape in CODE_SHAPES:
            reading = _join_code(reading)
        if (
            keyword == "REF"
            and len(reading) >= 3
            and INTEGER.match(reading[1])
            and len(reading[1]) < 6
            and catalog.value("referral_outcomes", reading[2])
        ):
            reading = [reading[0], "r" + reading[1], *reading[2:]]
        out.append(tuple(reading))
    return Rewrite(tuple(dict.fromkeys(out)), glued)


def second_keyword(
    words: list[str], keyword: str | None, catalog: Catalog, gazetteer: Gazetteer
) -> str | None:
    """A later word that is only a keyword and starts a second report (a number follows it):
    `MEET 12 M5 F7 COM 200 M80 F120`. Field values, tag, date, place and filler words come
    first (`EMG <code> TRAUMA COUNSEL`, `COM 200 school`, `UPD 12 UP` are one report each)."""
    values = ("services", "emergency_kinds", "partners", "referral_outcomes", "languages")
    for i, word in enumerate(words[1:], 1):
        if catalog.keyword_for(word) is None:
            continue
        if any(catalog.value(v, word) for v in values) or (
            protected(word, catalog, gazetteer) and catalog.keyword_for(word) is None
        ):
            continue
        if (
            catalog.tag(word)
            or catalog.is_day_alias(word)
            or gazetteer.known(word)
            or word in catalog.words.fillers
            or word in catalog.words.union_words
        ):
            continue
        if any(INTEGER.match(w) or tagged(w) for w in words[i + 1 :]):
            return word
    return None
