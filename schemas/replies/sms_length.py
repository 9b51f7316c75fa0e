"""SMS length arithmetic: GSM-7 or UCS-2, units used and how many parts a text takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["gsm7", "ucs2"]

# GSM 03.38 default alphabet (one septet each) and its extension table (escape + char = two).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7 = GSM7_BASIC | GSM7_EXTENSION

GSM7_SINGLE = 160  # septets in one GSM-7 SMS
GSM7_PART = 153  # septets per part of a concatenated GSM-7 SMS (UDH takes 7)
UCS2_SINGLE = 70  # UTF-16 units in one UCS-2 SMS
UCS2_PART = 67  # UTF-16 units per part of a concatenated UCS-2 SMS

# What a reply may use: English one GSM-7 segment, Bangla two UCS-2 parts.
EN_LIMIT = GSM7_SINGLE
BN_LIMIT = 2 * UCS2_PART


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 default alphabet or its extension."""
    return GSM7.issuperset(text)  # one pass in C: every reply queued is measured


def utf16_units(text: str) -> int:
    """UTF-16 code units: characters outside the BMP (emoji) take two."""
    return len(text.encode("utf-16-le")) // 2


def gsm7_septets(text: str) -> int:
    """Septets a GSM-7 text takes: extension characters cost an escape plus the character."""
    return len(text) + sum(text.count(ch) for ch in GSM7_EXTENSION)


def segments(text: str) -> tuple[Encoding, int, int]:
    """(encoding, units, parts) the network will use for `text`; an empty text is one part."""
    encoding: Encoding
    if is_gsm7(text):
        encoding, units, single, part = "gsm7", gsm7_septets(text), GSM7_SINGLE, GSM7_PART
    else:
        encoding, units, single, part = "ucs2", utf16_units(text), UCS2_SINGLE, UCS2_PART
    parts = 1 if units <= single else -(-units // part)
    return encoding, units, parts


def fits_reply(text: str, lang: str) -> bool:
    """The reply budget: English is one GSM-7 segment; Bangla at most 134 UTF-16 units."""
    if lang == "en":
        return is_gsm7(text) and gsm7_septets(text) <= EN_LIMIT
    return utf16_units(text) <= BN_LIMIT


@dataclass(frozen=True)
class Piece:
    """Part of a reply. `drop` 0 is never shortened (record numbers, codes, UNDO); higher
    numbers give way first. `alt` is a shorter wording tried before anything is cut; an
    `atomic` piece is removed whole rather than cut (a half usage line would mislead)."""

    text: str
    drop: int = 0
    alt: str | None = None
    atomic: bool = False


def fit(pieces: list[Piece], lang: str, marker: str = "..") -> str:
    """Join pieces; while over the budget, first take the shorter `alt` wordings (most
    expendable piece first), then cut trailing words of, or remove, the most expendable
    piece. Pieces with `drop` 0 (record numbers, codes, UNDO) never change."""
    work = [p for p in pieces if p.text]

    def over() -> bool:
        return not fits_reply("".join(p.text for p in work), lang)

    def most_expendable(indexes: list[int]) -> int:
        return max(indexes, key=lambda k: (work[k].drop, k))

    while over():
        with_alt = [i for i, p in enumerate(work) if p.drop > 0 and p.alt is not None]
        if not with_alt:
            break
        i = most_expendable(with_alt)
        work[i] = Piece(work[i].alt or "", work[i].drop, None, work[i].atomic)
    while over():
        candidates = [i for i, p in enumerate(work) if p.drop > 0 and p.text]
        if not candidates:
            break  # only must-keep text is left; templates are tested never to get here
        i = most_expendable(candidates)
        piece = work[i]
        words = piece.text.removesuffix(marker).rstrip().split(" ")
        if piece.atomic or len([w for w in words if w]) <= 1:
            del work[i]
        else:
            work[i] = Piece(" ".join(words[:-1]).rstrip(" ,;:") + marker, piece.drop)
    return "".join(p.text for p in work)
