"""The PDF's fonts: Noto Sans with Noto Sans Bengali as fallback, shaped by HarfBuzz, searchable.

fpdf2 shapes text with HarfBuzz (uharfbuzz), so conjuncts and vowel signs come out as in a
word processor. Its text layer maps a multi-glyph cluster (a pre-base vowel sign and its
consonant) to the first glyph and leaves the others out of the ToUnicode map, where readers
then invent characters (a glyph numbered 10 extracts as a line break). `SearchableOutput`
maps those glyphs to the empty string, so copying or extracting gives the Unicode text back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer
from fpdf.syntax import PDFContentStream

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONTS = {
    ("sans", ""): "NotoSans-Regular.ttf",
    ("sans", "B"): "NotoSans-Bold.ttf",
    ("bengali", ""): "NotoSansBengali-Regular.ttf",
    ("bengali", "B"): "NotoSansBengali-Bold.ttf",
}


class ShapedFont(TTFFont):
    """fpdf2's TrueType font, shaping each distinct text once per document.

    fpdf2 shapes a fragment with HarfBuzz to measure it and again to draw it, and the
    same text (a number, a month) recurs across tables. The glyphs a text shapes to
    depend only on the text, size and shaping parameters; shape_text also adds them to
    this document's subset, which the first call has done for every later one.
    """

    __slots__ = ("_runs", "_glyphs")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._runs: dict[tuple[Any, ...], Any] = {}
        self._glyphs: dict[tuple[Any, ...], Any] = {}

    @staticmethod
    def _key(text: str, size: float, params: dict[str, Any] | None) -> tuple[Any, ...]:
        p = params or {}
        features = tuple(sorted((p.get("features") or {}).items()))
        return (
            text,
            size,
            p.get("fragment_direction"),
            p.get("script"),
            p.get("language"),
            features,
        )

    def perform_harfbuzz_shaping(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> Any:
        key = self._key(text, font_size_pt, text_shaping_params)
        if key not in self._runs:
            self._runs[key] = super().perform_harfbuzz_shaping(
                text, font_size_pt, text_shaping_params
            )
        return self._runs[key]

    def shape_text(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> Any:
        key = self._key(text, font_size_pt, text_shaping_params)
        if key not in self._glyphs:
            self._glyphs[key] = super().shape_text(text, font_size_pt, text_shaping_params)
        return self._glyphs[key]


def add_fonts(pdf: FPDF, shaping: bool = True) -> None:
    for (family, style), name in FONTS.items():
        # What FPDF.add_font does for a plain TrueType file, with the caching font class.
        key = f"{family}{style}"
        pdf.fonts[key] = ShapedFont(pdf, FONT_DIR / name, key, style)
    pdf.set_fallback_fonts(["bengali"])
    # Without shaping Bengali prints in logical order with detached vowel signs: never for
    # real output; the shaping test renders it that way once to prove it would notice.
    pdf.set_text_shaping(shaping)


class SearchableOutput(OutputProducer):
    """fpdf2's writer, with every glyph of the text layer mapped (see the module docstring)."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> Any:
        objs = super()._add_fonts(*args, **kwargs)
        for font in self.fpdf.fonts.values():
            stream = getattr(objs.get(font.i), "to_unicode", None)
            if not isinstance(font, TTFFont) or not isinstance(stream, PDFContentStream):
                continue
            empty = [
                code
                for glyph, code in font.subset.items()
                if glyph is not None and glyph.unicode == ()
            ]
            if not empty:
                continue
            # A bfchar block holds at most 100 entries (PDF 32000-1, 9.10.3).
            extra = "".join(
                f"{len(chunk)} beginbfchar\n"
                + "".join(f"<{c:04X}> <>\n" for c in chunk)
                + "endbfchar\n"
                for chunk in (empty[i : i + 100] for i in range(0, len(empty), 100))
            )
            body = bytes(stream.content_stream()).replace(
                b"endcmap", extra.encode("ascii") + b"endcmap", 1
            )
            stream._contents = body  # the stream is not compressed: fpdf2 writes it plain
            stream.length = len(body)
        return objs
