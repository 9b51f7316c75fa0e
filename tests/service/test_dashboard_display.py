"""Dashboard display helpers: safe clipping of raw texts, masked phones, public counts."""

from __future__ import annotations

from service.dashboard.display import MAX_CHARS, clip
from service.dashboard.privacy import mask_phone, public_count, viewer_may_read


def test_short_texts_are_kept_whole() -> None:
    assert clip("MEET 12 M5 F7") == "MEET 12 M5 F7"
    assert clip(None) == "" and clip("") == ""


def test_long_texts_are_cut_with_an_ellipsis() -> None:
    text = "SCH 845 " * 40
    out = clip(text)
    assert out.endswith("…") and len(out) <= MAX_CHARS + 1


def test_a_cut_never_leaves_a_vowel_sign_or_joiner_alone() -> None:
    # "কি" is KA + vowel sign I; a cut between them would show a broken glyph.
    word = "কি"
    for limit in range(1, 12):
        out = clip(word * 10, limit)
        body = out.rstrip("…")
        assert body == word * (len(body) // 2), (limit, out)  # whole letters only
    conjunct = "ক্ষ"  # KA + VIRAMA (hasanta) + SSA: one letter on screen
    for limit in range(1, 20):
        body = clip(conjunct * 10, limit).rstrip("…")
        assert body == conjunct * (len(body) // 3), (limit, body)


def test_control_characters_become_spaces() -> None:
    assert clip("MEET\x0012\x1b[31m\u202e") == "MEET 12 [31m "


def test_phone_masking_keeps_only_the_ends() -> None:
    assert mask_phone("+8801712345678") == "+88017•••••678"
    assert mask_phone(None) == "—"
    assert "12345" not in mask_phone("+8801712345678")


def test_small_survivor_counts_are_hidden() -> None:
    assert [public_count(n) for n in (0, 1, 10, 11, 250)] == [0, "<11", "<11", 11, 250]


def test_viewers_read_only_event_texts() -> None:
    assert viewer_may_read("SCH") and viewer_may_read("DAY")
    assert not viewer_may_read("ENR") and not viewer_may_read("CC") and not viewer_may_read(None)
