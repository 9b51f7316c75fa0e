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


def add_fonts(pdf: FPDF, shaping: bool = True) -> None:
    for (family, style), name in FONTS.items():
        pdf.add_font(family, style, str(FONT_DIR / name))
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
