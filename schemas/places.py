"""The gazetteer of unions and upazilas: exact, alias and cautious near matching of place names.

A name that is both a union and an upazila (Assasuni, Debhata, Shyamnagar, Tala) means the
upazila (sms-commands.md rule 7) unless `union` or its own upazila follows (`Tala union`,
`Tala Tala`); the reply then says `Tala (upazila)`. The parser passes `prefer="union"` for
those; a reporter's registered union is always looked up as a union.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from schemas.commands import ErrorCode, ParseError, Place
from schemas.text import normalise

DATA = Path(__file__).with_name("data")
# Bangla display names that correct a misspelling of the source data; the source spelling
# stays a key, so what a sender types from it still matches.
DISPLAY_BN = {"Munshiganj": "মুন্সীগঞ্জ"}
UPAZILA_WORDS = ("upazila", "upazilla", "উপজেলা")
_KEEP = ("L", "M", "N")  # letters, marks, digits: spaces, dots and dashes do not matter


class GazetteerError(ValueError):
    """A gazetteer data file is malformed (raised at load, never while parsing)."""


@lru_cache(maxsize=4096)
def place_key(text: str) -> str:
    """Comparison key: NFKC + case-fold, then NFKD without Latin accents, letters/digits only.

    NFKD applies the same decomposition to precomposed and decomposed Bangla (য় ড় ঢ়, ো),
    so either spelling gives the same key.
    """
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(
        ch
        for ch in decomposed
        if unicodedata.category(ch)[0] in _KEEP and not 0x300 <= ord(ch) <= 0x36F
    )


def distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment edit distance (insert, delete, substitute, adjacent swap),
    capped at `limit`. rapidfuzz's C implementation: a miss is compared with every name."""
    return min(int(OSA.distance(a, b)), limit)


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


class Gazetteer:
    """Unions and upazilas with every key that names them (English, Bangla, aliases)."""

    def __init__(self, rows: Iterable[dict[str, str]], aliases: Iterable[dict[str, str]]) -> None:
        self._unions: dict[str, Place] = {}
        self._upazilas: dict[str, Place] = {}
        self._source_bn: dict[str, str] = {}
        for row in rows:
            upazila, union = row["upazila"].strip(), row["union"].strip()
            self._upazilas.setdefault(upazila, Place(upazila, None, row["upazila_bn"].strip()))
            self._unions[union] = Place(
                upazila, union, DISPLAY_BN.get(union, row["union_bn"].strip())
            )
            self._source_bn[union] = row["union_bn"].strip()
        if not self._unions:
            raise GazetteerError("gazetteer has no unions")
        self._keys: dict[str, Place] = {}
        # Upazilas first, so a union of the same name takes the plain key (module docstring).
        for up in self._upazilas.values():
            for name in (up.upazila, up.name_bn):
                self._keys[place_key(name)] = up
                for word in UPAZILA_WORDS:
                    self._keys[place_key(f"{name} {word}")] = up
        for un in self._unions.values():
            self._keys[place_key(un.name)] = un
            self._keys[place_key(un.name_bn)] = un
            self._keys[place_key(self._source_bn[un.name])] = un
        for row in aliases:
            self._add_alias(row)
        self._key_list = list(self._keys)

    def _add_alias(self, row: dict[str, str]) -> None:
        union = (row.get("union") or "").strip()
        target = self._unions.get(union) if union else self._upazilas.get(row["upazila"].strip())
        if target is None or target.upazila != row["upazila"].strip():
            raise GazetteerError(f"place alias {row['alias']!r}: no such place {row!r}")
        key = place_key(row["alias"])
        others = {p for k, p in self._keys.items() if p != target and distance(key, k) <= 2}
        if others:
            names = ", ".join(sorted(p.name for p in others))
            raise GazetteerError(f"place alias {row['alias']!r} is within 2 edits of {names}")
        self._keys[key] = target

    @classmethod
    def load(cls, gazetteer: Path | None = None, aliases: Path | None = None) -> Gazetteer:
        return cls(
            _rows(gazetteer or DATA / "satkhira_unions.csv"),
            _rows(aliases or DATA / "place_aliases.csv"),
        )

    def match(
        self, text: str, *, near: bool = True, prefer: str | None = None, offer: bool = True
    ) -> Place | ParseError:
        """An exact/alias match, a safe one-edit match (Place.typed set; only with `near`),
        or UNKNOWN_PLACE (with up to 3 names only when `offer`). A name that is both a union
        and an upazila is the upazila unless `prefer` is "union"."""
        found = self._match_key(place_key(text), text, near, offer)
        if isinstance(found, Place) and prefer != "union" and self.is_both(found):
            return Place(found.upazila, None, self._upazilas[found.upazila].name_bn, found.typed)
        return found

    def is_both(self, place: Place) -> bool:
        """A union named like its upazila (Tala): the name alone means the upazila."""
        return place.union is not None and place.union == place.upazila

    def shares_name(self, place: Place) -> bool:
        """An upazila with a union of the same name: replies say `Tala (upazila)`."""
        return place.union is None and place.upazila in self._unions

    def known(self, text: str) -> bool:
        """An exact name or alias (no near match): such a word is never a keyword typo."""
        return place_key(text) in self._keys

    @lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per process; bounded cache
    def _match_key(
        self, key: str, text: str, near: bool = True, offer: bool = True
    ) -> Place | ParseError:
        exact = self._keys.get(key)
        if exact is not None:
            return exact
        if not offer:
            return ParseError(ErrorCode.UNKNOWN_PLACE, "place", {})
        close = self._closest(key, cutoff=2) if near else {}
        one = [p for p, d in close.items() if d == 1]
        if len(one) == 1 and len(close) == 1:  # one name 1 edit away, no other within 2
            return Place(one[0].upazila, one[0].union, one[0].name_bn, typed=text)
        ranked = sorted(self._closest(key).items(), key=lambda item: (item[1], item[0].name))
        names: list[Place] = []
        for place, _ in ranked:
            if all(p.name != place.name for p in names):
                names.append(place)
            if len(names) == 3:
                break
        return ParseError(
            ErrorCode.UNKNOWN_PLACE,
            "place",
            {
                "text": text,
                "suggestions": ", ".join(p.name for p in names),
                "suggestions_bn": ", ".join(p.name_bn for p in names),
            },
        )

    def _closest(self, key: str, cutoff: int | None = None) -> dict[Place, int]:
        """Each place's smallest edit distance from key (only those <= cutoff, if given)."""
        best: dict[Place, int] = {}
        for candidate, d, _ in process.extract(
            key,
            self._key_list,
            scorer=OSA.distance,
            limit=None if cutoff else 40,
            score_cutoff=cutoff,
        ):
            place = self._keys[candidate]
            best[place] = min(int(d), best.get(place, 99))
        return best

    def union(self, name: str) -> Place:
        """A union by English or Bangla name (a reporter's registered union); KeyError if none."""
        place = self._unions.get(name)
        if place is None:
            found = self._keys.get(place_key(name))
            if found is None or found.union is None:
                raise KeyError(name)
            place = found
        return place

    def upazila(self, name: str) -> Place:
        place = self._upazilas.get(name)
        if place is None:
            found = self._keys.get(place_key(name))
            if found is None:
                raise KeyError(name)
            place = self._upazilas[found.upazila]
        return place

    def upazilas(self) -> list[Place]:
        return list(self._upazilas.values())

    def unions(self, upazila: str | None = None) -> list[Place]:
        return [p for p in self._unions.values() if upazila is None or p.upazila == upazila]

    def render_name(self, place: Place) -> str:
        """English text that matches back to exactly this place."""
        if self.is_both(place):
            return f"{place.name} union"
        found = self.match(place.name)
        if place.union is None and found != place:
            return f"{place.upazila} upazila"
        return place.name


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer.load()
