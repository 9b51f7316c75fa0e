"""The gazetteer: exact, alias and cautious near matches; confusable unions never swapped."""

from __future__ import annotations

import random
import string
import unicodedata
from pathlib import Path

import pytest

from schemas.commands import ErrorCode, ParseError, Place
from schemas.places import DATA, Gazetteer, GazetteerError, distance, load_gazetteer

CONFUSABLE = ("Kulia", "Kulla", "Kushlia", "Kuskhali", "Kushadanga")
LETTERS = string.ascii_lowercase


def _single_edits(word: str) -> set[str]:
    w = word.lower()
    out = {w[:i] + w[i + 1 :] for i in range(len(w))}
    out |= {w[:i] + c + w[i + 1 :] for i in range(len(w)) for c in LETTERS}
    out |= {w[:i] + c + w[i:] for i in range(len(w) + 1) for c in LETTERS}
    out |= {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1)}
    out.discard(w)
    return out


def test_every_union_and_upazila_matches_by_english_and_bangla_name() -> None:
    g = load_gazetteer()
    assert len(g.unions()) == 78 and len(g.upazilas()) == 7
    for union in g.unions():
        assert g.match(union.name, prefer="union") == union
        assert g.match(union.name.upper(), prefer="union") == union
        assert g.match(union.name_bn, prefer="union") == union
    for upazila in g.upazilas():
        found = g.match(upazila.upazila)
        assert isinstance(found, Place) and found.upazila == upazila.upazila
        assert g.match(f"{upazila.upazila} upazila") == upazila


def test_shared_union_upazila_names_mean_the_upazila_unless_union_is_said() -> None:
    g = load_gazetteer()
    for name in ("Assasuni", "Debhata", "Shyamnagar", "Tala"):
        place = g.match(name)
        assert isinstance(place, Place)
        assert (place.union, place.upazila) == (None, name)
        assert g.shares_name(place)
        union = g.match(name, prefer="union")
        assert isinstance(union, Place) and (union.union, union.upazila) == (name, name)
        assert g.render_name(union) == f"{name} union"
        assert g.render_name(g.upazila(name)) == name


def test_munshiganj_shows_its_corrected_bangla_name_and_keeps_the_source_spelling() -> None:
    g = load_gazetteer()
    union = g.union("Munshiganj")
    assert union.name_bn == "মুন্সীগঞ্জ"
    assert g.match("মুন্সীগজ্ঞ") == union and g.match("মুন্সীগঞ্জ") == union


def test_precomposed_and_decomposed_bangla_both_match() -> None:
    g = load_gazetteer()
    with_nukta = [p for p in g.unions() + g.upazilas() if "\u09bc" in p.name_bn]
    assert with_nukta, "the gazetteer has য় ড় ঢ় names"
    for place in with_nukta:
        decomposed = unicodedata.normalize("NFD", place.name_bn)
        precomposed = (
            decomposed.replace("\u09af\u09bc", "\u09df")
            .replace("\u09a1\u09bc", "\u09dc")
            .replace("\u09a2\u09bc", "\u09dd")
        )
        assert precomposed != decomposed
        assert g.match(decomposed) == g.match(precomposed) == g.match(place.name_bn)


def test_accents_spaces_and_dots_do_not_matter() -> None:
    g = load_gazetteer()
    assert g.match("Nálta") == g.union("Nalta")
    assert g.match("DakshinSreepur") == g.match("Dakshin  Sreepur") == g.union("Dakshin Sreepur")


def test_near_match_is_taken_and_marked() -> None:
    found = load_gazetteer().match("Shyamnagr")
    assert isinstance(found, Place) and found.name == "Shyamnagar" and found.typed == "Shyamnagr"


def test_confusable_unions_are_never_swapped_by_one_edit() -> None:
    g = load_gazetteer()
    guesses = 0
    for name in CONFUSABLE:
        for typo in _single_edits(name):
            found = g.match(typo)
            if isinstance(found, Place) and found.typed is not None:  # a guess, not a name
                assert found.name not in set(CONFUSABLE) - {name}, (name, typo, found.name)
                guesses += 1
    assert guesses > 0  # typos were read as guesses, so the rule was put to the test


@pytest.mark.slow
def test_confusable_unions_are_never_swapped_by_two_edits() -> None:
    g = load_gazetteer()
    rng = random.Random(5)
    guesses = 0
    for name in CONFUSABLE:
        firsts = sorted(_single_edits(name))
        for typo in rng.sample(firsts, 80):
            for second in rng.sample(sorted(_single_edits(typo)), 30):
                found = g.match(second)
                if isinstance(found, Place) and found.typed and found.name in CONFUSABLE:
                    assert distance(second.lower(), found.name.lower()) <= 1
                    assert found.name == name or distance(second.lower(), name.lower()) > 2
                    guesses += 1
    assert guesses > 0  # some double typos landed on a confusable union


def test_one_edit_from_kulia_but_two_from_kulla_is_rejected_with_both_suggested() -> None:
    err = load_gazetteer().match("Kulua")
    assert isinstance(err, ParseError) and err.code is ErrorCode.UNKNOWN_PLACE
    assert err.detail["suggestions"].split(", ")[:2] == ["Kulia", "Kulla"]


def test_unknown_place_suggests_three_closest_names() -> None:
    err = load_gazetteer().match("Atlantis")
    assert isinstance(err, ParseError) and err.field == "place"
    assert len(str(err.detail["suggestions"]).split(", ")) == 3
    assert err.detail["text"] == "Atlantis"


def test_aliases_and_registered_union_lookup() -> None:
    g = load_gazetteer()
    assert g.match("Ashashuni", prefer="union") == g.union("Assasuni")
    assert g.match("Ashashuni") == g.upazila("Assasuni")
    assert g.match("Satkhira") == g.upazila("Satkhira Sadar")
    assert g.match("মুন্সীগঞ্জ") == g.union("Munshiganj")
    assert g.union("নলতা") == g.union("Nalta")
    with pytest.raises(KeyError):
        g.union("Kaliganj")  # an upazila, not a union
    assert {p.name for p in g.unions("Debhata")} == {
        "Kulia",
        "Debhata",
        "Noapara",
        "Parulia",
        "Sakhipur",
    }


def test_alias_close_to_another_place_is_refused_at_load(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,upazila,union\nKulya,Assasuni,Kulla\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="Kulia"):
        Gazetteer.load(DATA / "satkhira_unions.csv", aliases)
