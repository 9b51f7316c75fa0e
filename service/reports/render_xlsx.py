"""Excel (.xlsx) for analysts: README, the narrative, one sheet per table, and a long data sheet.

Labels are in the report's language; numbers stay numbers (a hidden public count is the
text `<11`); every sheet's header row is frozen; the data sheet has one row per period,
place, indicator and disaggregation, so that it pivots cleanly.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from service.reports.build import Report
from service.reports.doc_tables import Table, document_tables
from service.reports.labels import Labels, labels
from service.reports.lang import period_label

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E6ECF2")


def _header(ws: Worksheet, columns: list[str]) -> None:
    ws.append(columns)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    ws.freeze_panes = f"A{ws.max_row + 1}"
    # Printed, each sheet is one page wide and repeats its header row on every page.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"1:{ws.max_row}"


def _readme(ws: Worksheet, report: Report, words: Labels) -> None:
    ws.title = words.t("sheet_readme")
    _header(ws, [words.t("readme_term"), words.t("readme_definition")])
    for label, value in report.cover:
        ws.append([label, value])
    ws.append([])
    ws.append([words.t("readme_title")])
    ws.cell(row=ws.max_row, column=1).font = _BOLD
    for term, definition in words.readme():
        ws.append([term, definition])
    if report.public:
        ws.append([])
        ws.append([words.t("public_note")])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _narrative(ws: Worksheet, report: Report, words: Labels) -> None:
    n = report.narrative
    _header(ws, [n.title])
    ws.append([n.intro])
    for section in n.sections:
        ws.append([])
        ws.append([section.title])
        ws.cell(row=ws.max_row, column=1).font = _BOLD
        for bullet in section.bullets or (n.nothing,):
            ws.append([bullet])
    if report.public:
        ws.append([])
        ws.append([n.public_note])
    ws.column_dimensions["A"].width = 130


def _table(ws: Worksheet, table: Table, report: Report, words: Labels) -> None:
    # Analysts also get each row's indicator key (its path in the JSON and the Data sheet).
    _header(ws, table.columns + ([words.t("c_key")] if table.keys else []))
    percent_col = len(table.columns) - 1 if report.targets and table.name == "indicators" else None
    for i, row in enumerate(table.rows):
        values = list(row) + ([table.keys[i]] if table.keys else [])
        if percent_col is not None and isinstance(values[percent_col], float):
            values[percent_col] = values[percent_col] / 100  # a real percentage cell
        ws.append(values)
        if percent_col is not None:
            ws.cell(row=ws.max_row, column=percent_col + 1).number_format = "0.0%"
        if table.total_row and i == len(table.rows) - 1:
            for cell in ws[ws.max_row]:
                cell.font = _BOLD
    if table.note:
        ws.append([])
        ws.append([table.note])
    ws.column_dimensions["A"].width = 58 if table.name == "indicators" else 40
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16
    if table.keys:
        ws.column_dimensions["ABCDEFG"[len(table.columns)]].width = 40


def _data(ws: Worksheet, report: Report, words: Labels) -> None:
    """Long format: the period's numbers for the whole area, per upazila and per month."""
    _header(
        ws,
        [
            words.t("c_period"),
            words.t("c_place"),
            words.t("c_indicator"),
            words.t("c_disaggregation"),
            words.t("c_value"),
            words.t("c_key"),
        ],
    )
    assert report.period is not None
    whole = period_label(report.period, report.lang)
    split = {key: words.split(key) for key in report.flat}
    scopes = [(whole, report.place, report.flat)]
    if report.breakdowns:
        scopes += [(whole, label, row) for label, row in report.breakdowns[0].rows]
        scopes += [(label, report.place, row) for label, row in report.breakdowns[1].rows]
    for period, place, flat in scopes:
        for key in report.flat:
            indicator, sub = split[key]
            ws.append([period, place, indicator, sub or words.word("total"), flat.get(key, 0), key])
    for col, width in zip("ABCDEF", (24, 18, 48, 18, 10, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.auto_filter.ref = ws.dimensions


def to_xlsx(report: Report) -> bytes:
    words = labels(report.lang)
    wb = Workbook()
    _readme(wb.active, report, words)
    _narrative(wb.create_sheet(words.t("sheet_report")), report, words)
    for table in document_tables(report):
        _table(wb.create_sheet(words.t(f"sheet_{table.name}")), table, report, words)
    _data(wb.create_sheet(words.t("sheet_data")), report, words)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
