"""The report as a document: ONE description of its blocks, laid out by the DOCX and PDF writers.

Cover block, narrative, tables, chart: each writer walks the same list, so the two files
cannot drift apart. Numbers here are already text in the report's digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.reports.build import Report
from service.reports.chart import ChartData, chart_data
from service.reports.doc_tables import Table, Value, document_tables
from service.reports.labels import labels
from service.reports.lang import digits


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Cover:
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 section, 2 subsection


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False  # small, grey-free italic notes (public floor, table notes)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TextTable:
    title: str
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: list[bool]  # right-aligned columns
    total_row: bool
    note: str


@dataclass(frozen=True)
class Chart:
    title: str
    data: ChartData


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Title | Cover | Heading | Para | Bullets | TextTable | Chart | PageBreak


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    page_words: str  # "Page {n} of {m}"
    blocks: list[Block]


def cell_text(value: Value, lang: str) -> str:
    if value is None:
        return "\u2014"
    if isinstance(value, float):
        text = f"{value:.1f}".removesuffix(".0") + "%"
        return digits(text, lang)
    return digits(value, lang)


def text_table(table: Table, lang: str) -> TextTable:
    rows = [[cell_text(v, lang) if i else str(v) for i, v in enumerate(row)] for row in table.rows]
    numeric = [i > 0 for i in range(len(table.columns))]
    return TextTable(
        table.title, table.columns, rows, table.widths, numeric, table.total_row, table.note
    )


def document(report: Report) -> Document:
    """What the donor receives, block by block."""
    words = labels(report.lang)
    n = report.narrative
    blocks: list[Block] = [
        Title(n.title),
        Cover(report.cover),
        Heading(words.t("narrative"), 1),
        Para(n.intro),
    ]
    for section in n.sections:
        blocks.append(Heading(section.title, 2))
        blocks.append(Bullets(section.bullets) if section.bullets else Para(n.nothing))
    if report.public:
        blocks.append(Para(words.t("public_note"), note=True))
    blocks += [PageBreak(), Heading(words.t("tables"), 1)]
    for table in document_tables(report):
        if not table.rows:
            blocks += [Heading(table.title, 2), Para(words.t("no_rows"))]
            continue
        blocks.append(text_table(table, report.lang))
    if report.breakdowns:
        data = chart_data(report)
        if data.series:
            blocks.append(Chart(words.t("t_chart"), data))
    return Document(n.title, report.lang, words.t("page"), blocks)
