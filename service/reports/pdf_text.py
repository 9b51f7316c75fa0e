"""fpdf2's text preparation made cheap for the report's left-to-right text (Latin and Bengali).

Profiled on the 2021 Bangla report (1,000,000 records), fpdf2 spent most of the PDF's time
before any glyph was drawn: every text call ran the Unicode bidi algorithm, chose a font
character by character, and cut a Bengali line into one fragment per word, because the
space between two Bengali words is in Noto Sans (the primary font) and ends the Noto Sans
Bengali run; each fragment was then shaped and measured on its own, and every word of a
wrapped paragraph was measured again wherever it recurred. `TextPdf` keeps fpdf2's output
and takes the shortcuts that cannot change it:

- text with no right-to-left or bidi-control character is one left-to-right run (what the
  bidi algorithm returns for it), so the algorithm is skipped;
- a space between two characters of the same fallback font stays in that font's run: a
  space has no ink, and both Noto fonts give it the same advance (checked below, so a font
  swap cannot silently move words); lines shape in a few runs instead of one per word;
- a string's width is measured once per document and font.
Anything else (markdown, right-to-left text) goes through fpdf2 unchanged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont
from fpdf.line_break import Fragment

# Bidi classes that make a text other than one left-to-right run.
_NOT_LTR = frozenset(
    ("R", "AL", "AN", "RLE", "RLO", "RLI", "FSI", "LRE", "LRO", "LRI", "PDF", "PDI")
)


def left_to_right(text: str) -> bool:
    return not any(unicodedata.bidirectional(ch) in _NOT_LTR for ch in text)


class TextPdf(FPDF):
    """An FPDF whose text calls take the shortcuts of the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._widths: dict[tuple[Any, ...], float] = {}
        self._font_of: dict[tuple[str, str, str], str | None] = {}
        self._ltr: dict[str, bool] = {}
        super().__init__(*args, **kwargs)

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        key = (
            self.font_family,
            self.font_style,
            self.font_size_pt,
            bool(self.text_shaping),
            normalized,
            markdown,
            s,
        )
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = super().get_string_width(s, normalized, markdown)
        return width

    def _preload_bidirectional_text(self, text: str, markdown: bool) -> Sequence[Fragment]:
        ltr = self._ltr.get(text)
        if ltr is None:
            ltr = self._ltr[text] = left_to_right(text)
        if markdown or not self.text_shaping or not ltr or not self.is_ttf_font:
            return super()._preload_bidirectional_text(text, markdown)  # type: ignore[misc]
        self.text_shaping["paragraph_direction"] = TextDirection.LTR
        self.text_shaping["fragment_direction"] = TextDirection.LTR
        return self._font_runs(text)

    def _fallback_for(self, ch: str) -> str | None:
        """The font id fpdf2 would draw `ch` with: None for the current font."""
        key = (self.font_family, self.font_style, ch)
        if key not in self._font_of:
            font = self.current_font
            assert isinstance(font, TTFFont)
            if ord(ch) in font.cmap or ch == "\n":
                self._font_of[key] = None
            else:
                self._font_of[key] = self.get_fallback_font(ch, self.font_style)
        return self._font_of[key]

    def _font_runs(self, text: str) -> tuple[Fragment, ...]:
        fonts = [self._fallback_for(ch) for ch in text]
        # Spaces between two characters of one fallback font join its run.
        i = 0
        while i < len(text):
            if text[i] != " " or fonts[i] is not None:
                i += 1
                continue
            j = i
            while j < len(text) and text[j] == " " and fonts[j] is None:
                j += 1
            left, right = fonts[i - 1] if i else None, fonts[j] if j < len(text) else None
            if left is not None and left == right and self._same_space(left):
                fonts[i:j] = [left] * (j - i)
            i = j
        runs: list[Fragment] = []
        start = 0
        for end in range(1, len(text) + 1):
            if end == len(text) or fonts[end] != fonts[start]:
                runs.append(self._fragment(text[start:end], fonts[start]))
                start = end
        return tuple(runs)

    def _same_space(self, font_id: str) -> bool:
        """True if the fallback font's space advances as far as the current font's."""
        key = (self.font_family, self.font_style, " \x00" + font_id)
        if key not in self._font_of:
            ours, theirs = self.current_font, self.fonts[font_id]
            assert isinstance(ours, TTFFont) and isinstance(theirs, TTFFont)
            same = ord(" ") in theirs.cmap and ours.cw[32] == theirs.cw[32]
            self._font_of[key] = font_id if same else None
        return self._font_of[key] is not None

    def _fragment(self, text: str, font_id: str | None) -> Fragment:
        # As fpdf2's own _parse_chars builds a fragment (fpdf.py, frag()).
        gstate = self._get_current_graphics_state()
        gstate.font_style = self.font_style
        gstate.strikethrough = bool(self.strikethrough)
        gstate.underline = bool(self.underline)
        if font_id is not None:
            gstate.font_family = font_id.replace("B", "").replace("I", "")
            gstate.font_style = "".join(c for c in font_id if c in "BI")
            gstate.current_font = self.fonts[font_id]
        return Fragment(list(text), gstate, self.k)
