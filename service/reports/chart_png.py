"""The chart's primitives painted into a PNG with Pillow, for the DOCX (Word takes images)."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from service.reports.chart import ChartData, Label, Line, Rect, layout_chart
from service.reports.pdf_fonts import FONT_DIR

PX_PER_MM = 6.0  # about 150 dpi: sharp in print, small enough for a report file
_PT_MM = 25.4 / 72


@cache
def _font(bengali: bool, px: int) -> ImageFont.FreeTypeFont:
    name = "NotoSansBengali-Regular.ttf" if bengali else "NotoSans-Regular.ttf"
    # RAQM: Pillow's HarfBuzz layout, so Bengali conjuncts and vowel signs are shaped.
    return ImageFont.truetype(str(FONT_DIR / name), px, layout_engine=ImageFont.Layout.RAQM)


def _is_bengali(text: str) -> bool:
    return any("\u0980" <= ch <= "\u09ff" for ch in text)


def chart_png(data: ChartData, width_mm: float, height_mm: float, lang: str) -> bytes:
    s = PX_PER_MM
    image = Image.new("RGB", (round(width_mm * s), round(height_mm * s)), "white")
    draw = ImageDraw.Draw(image)
    for shape in layout_chart(data, width_mm, height_mm, lang):
        if isinstance(shape, Rect):
            draw.rectangle(
                [shape.x * s, shape.y * s, (shape.x + shape.w) * s, (shape.y + shape.h) * s],
                fill=shape.colour,
            )
        elif isinstance(shape, Line):
            grey = (shape.grey,) * 3
            draw.line(
                [shape.x1 * s, shape.y1 * s, shape.x2 * s, shape.y2 * s],
                fill=grey,
                width=max(1, round(0.2 * s)),
            )
        elif isinstance(shape, Label):
            font = _font(_is_bengali(shape.text), round(shape.size * _PT_MM * s))
            anchor = {"L": "la", "C": "ma", "R": "ra"}[shape.align]
            draw.text(
                (shape.x * s, shape.y * s), shape.text, fill="black", font=font, anchor=anchor
            )
    out = io.BytesIO()
    # Fast deflate: the default level took most of the DOCX's time for a few KB saved.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
