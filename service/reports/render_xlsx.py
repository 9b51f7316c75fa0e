"""Excel (.xlsx) rendering: the narrative, every indicator (zeros included) and breakdowns."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from service.reports.build import Report
from service.reports.indicators import DAY_NAMES
from service.reports.narrative import NOTHING, PUBLIC_NOTE
from service.reports.privacy import SUPPRESSED

_BOLD = Font(bold=True)
_WORDS = {
    "survivors": "Survivors",
    "enrolled": "identified and enrolled",
    "needs_assessed": "needs assessed",
    "individual_counselling": "with individual counselling",
    "families_counselled": "families counselled",
    "family_members_counselled": "family members counselled",
    "certified": "with ready-to-go certificate",
    "referred": "referred",
    "referrals_completed": "referrals completed (DONE)",
    "emergency_support": "with emergency support",
    "partner_support": "supported by partner",
    "children": "children (under 18 at enrolment)",
    "community_counselling": "Community counselling",
    "events": "Events",
    "international_days": "International days",
    "count": "count",
    "participants": "participants",
    "sessions": "sessions",
    "gender": "gender",
    "audience": "audience",
}


def label(key: str) -> str:
    """`survivors.referred.HEALTH` -> `Survivors referred HEALTH`: readable, still exact."""
    parts = key.split(".")
    words = [_WORDS.get(p, DAY_NAMES.get(p, p)) for p in parts]
    return " ".join(words)


def _narrative_sheet(ws: Worksheet, report: Report) -> None:
    n = report.narrative
    ws.title = "Report"
    ws.append([n.title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in n.header:
        ws.append([line])
    ws.append([])
    ws.append([n.intro])
    for section in n.sections:
        ws.append([])
        ws.append([section.title])
        ws.cell(row=ws.max_row, column=1).font = _BOLD
        for bullet in section.bullets or (NOTHING,):
            ws.append([bullet])
    if report.public:
        ws.append([])
        ws.append([PUBLIC_NOTE])
    ws.column_dimensions["A"].width = 120


def _data_sheet(ws: Worksheet, report: Report) -> None:
    ws.append(["indicator", "label", "value"])
    for cell in ws[1]:
        cell.font = _BOLD
    for key, value in report.flat.items():
        ws.append([key, label(key), value])
    ws.append([])
    ws.append(["international day", "date", "participants", "M", "F", "O", "reports"])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for day in report.indicators["international_days"]:
        g = day["gender"]
        ws.append([day["code"], day["date"], day["participants"], g["M"], g["F"], g["O"],
                   day["reports"]])
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 52


def _breakdown_sheet(ws: Worksheet, report: Report, index: int) -> None:
    bd = report.breakdowns[index]
    keys = list(bd.totals)
    ws.append([bd.title.removeprefix("By ")] + keys)
    for cell in ws[1]:
        cell.font = _BOLD
    ws.append([""] + [label(k) for k in keys])
    for name, row in bd.rows:
        ws.append([name] + [row.get(k, 0) for k in keys])
    ws.append(["Total"] + [bd.totals[k] for k in keys])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    if report.public:
        ws.append([])
        ws.append([f"{PUBLIC_NOTE} {SUPPRESSED}: hidden so that a total cannot reveal a small"
                   " count."])
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = 18


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    _narrative_sheet(wb.active, report)
    _data_sheet(wb.create_sheet("Data"), report)
    for i, bd in enumerate(report.breakdowns):
        _breakdown_sheet(wb.create_sheet(bd.title), report, i)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
