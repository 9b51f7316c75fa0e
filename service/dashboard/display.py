"""Raw message text made fit for a table cell: no control characters, cut at a safe place."""

from __future__ import annotations

import unicodedata

MAX_CHARS = 160
_JOINERS = {"\u200c", "\u200d"}  # ZWNJ / ZWJ shape Bangla conjuncts: never end a cut on one
_VIRAMA = 9  # canonical combining class of every Indic virama (hasanta in Bangla)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in _JOINERS


def clip(text: str | None, limit: int = MAX_CHARS) -> str:
    """At most `limit` characters plus an ellipsis, never splitting a vowel sign from its letter.

    HTML escaping is left to the template engine (autoescape), which sees the result.
    """
    if not text:
        return ""
    clean = "".join(" " if _is_control(ch) else ch for ch in text)
    if len(clean) <= limit:
        return clean
    cut = limit
    # Back off until the cut falls between two whole letters: not before a combining mark
    # (Bangla vowel signs, virama), not after a joiner, and not after a virama, which would
    # leave half a conjunct (ক্ষ cut as ক্).
    while cut > 0:
        if unicodedata.category(clean[cut])[0] == "M" or clean[cut] in _JOINERS:
            cut -= 1
        elif clean[cut - 1] in _JOINERS or unicodedata.combining(clean[cut - 1]) == _VIRAMA:
            cut -= 1
        else:
            break
    return clean[:cut].rstrip() + "…"
