"""The chart of participants by month and event type, as drawing primitives in millimetres.

One geometry for both documents: the PDF draws the primitives as vector graphics (fpdf2),
the DOCX gets them painted into a PNG (Pillow). No plotting library: matplotlib would add a
large dependency and cannot shape Bengali text; Pillow (already there for fpdf2) shapes it
with its bundled HarfBuzz (raqm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from service.reports.build import Report
from service.reports.indicators import EVENT_TYPES
from service.reports.labels import labels
from service.reports.lang import digits, month_name

# Okabe-Ito and Tol colours: told apart with the common colour-vision deficiencies.
COLOURS = (
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
    (0, 0, 0),
    (136, 34, 85),
    (153, 153, 153),
)
SERIES = (*EVENT_TYPES, "CC", "DAY")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    grey: int = 0


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the top of the text
    text: str
    size: float  # points
    align: str = "L"  # L, C or R around x


Shape = Rect | Line | Label


@dataclass(frozen=True)
class ChartData:
    months: list[str]
    series: list[tuple[str, list[int]]]  # (event type name, participants per month)


def chart_data(report: Report) -> ChartData:
    """Participants per month for each kind of activity that had any in the period."""
    words = labels(report.lang)
    month_bd = report.breakdowns[1]
    spans = report.period.months() if report.period else []
    one_year = len({y for y, _ in spans}) == 1
    lang = report.lang
    # Short labels so that twelve fit under A4's text width; the year only when it changes.
    months = [
        (month_name(m, lang) if lang == "bn" else month_name(m, lang)[:3])
        + ("" if one_year else digits(f" {y % 100:02d}", lang))
        for y, m in spans
    ]
    months += [label for label, _ in month_bd.rows[len(spans) :]]  # a row without a month

    def people(code: str, row: dict[str, object]) -> int:
        if code == "CC":
            keys = ["community_counselling.participants"]
        elif code == "DAY":
            keys = [
                k
                for k in row
                if k.startswith("international_days.") and k.endswith(".participants")
            ]
        else:
            keys = [f"events.{code}.participants"]
        return sum(v for k in keys if isinstance(v := row.get(k, 0), int))

    series = []
    for code in SERIES:
        values = [people(code, row) for _, row in month_bd.rows]
        if any(values):
            series.append((words.word(code), values))
    return ChartData(months, series)


def _nice_step(top: int) -> int:
    """A round tick step giving 4-6 gridlines up to `top`."""
    if top <= 0:
        return 1
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return max(1, int(mult * power))
    return int(10 * power)


def layout_chart(data: ChartData, width: float, height: float, lang: str) -> list[Shape]:
    """Stacked bars per month, a y axis with gridlines, month labels and a legend."""
    shapes: list[Shape] = []
    legend_rows = math.ceil(len(data.series) / 3) if data.series else 0
    legend_h = legend_rows * 5.0 + 2
    left, top, bottom = 14.0, 3.0, 10.0
    plot_w, plot_h = width - left - 2, height - top - bottom - legend_h
    totals = [sum(v[i] for _, v in data.series) for i in range(len(data.months))]
    step = _nice_step(max(totals, default=0))
    y_max = step * max(1, math.ceil(max(totals, default=0) / step))
    base = top + plot_h
    for tick in range(0, y_max + 1, step):
        y = base - plot_h * tick / y_max
        shapes.append(Line(left, y, left + plot_w, y, grey=210 if tick else 0))
        shapes.append(Label(left - 1.5, y - 1.6, digits(tick, lang), 6.5, "R"))
    n = max(1, len(data.months))
    slot = plot_w / n
    bar = slot * 0.7
    for i, month in enumerate(data.months):
        x = left + slot * i + (slot - bar) / 2
        y = base
        for j, (_, values) in enumerate(data.series):
            h = plot_h * values[i] / y_max
            if h > 0:
                y -= h
                shapes.append(Rect(x, y, bar, h, COLOURS[j % len(COLOURS)]))
        # Month names shortened so that twelve fit under A4's text width.
        shapes.append(Label(x + bar / 2, base + 1.2, month, 6 if n > 6 else 7, "C"))
    ly = base + bottom
    col_w = width / 3
    for j, (name, _) in enumerate(data.series):
        lx, row_y = (j % 3) * col_w + left / 2, ly + (j // 3) * 5.0
        shapes.append(Rect(lx, row_y + 0.6, 3.2, 3.2, COLOURS[j % len(COLOURS)]))
        shapes.append(Label(lx + 4.5, row_y, name, 7.5))
    return shapes
