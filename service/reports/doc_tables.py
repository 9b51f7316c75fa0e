"""The document's tables (indicators with targets, men/women/other, by upazila, by month) as data.

The PDF, the DOCX and the XLSX all show these; only the XLSX keeps the numbers as numbers,
the others write them in the report's digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.reports.build import Breakdown, Report
from service.reports.indicators import EVENT_TYPES
from service.reports.labels import Labels, labels
from service.reports.privacy import Cell
from service.reports.targets import achieved

Value = int | float | str | None


@dataclass(frozen=True)
class Table:
    name: str  # short, for a sheet tab
    title: str
    columns: list[str]
    rows: list[list[Value]]
    widths: list[float]  # relative column widths
    total_row: bool = False  # the last row is a total (shown bold)
    note: str = ""
    keys: list[str] = field(default_factory=list)  # indicator key per row, where one applies


# Every indicator the donor table lists, in the report's order (disaggregations are in the
# other tables and the data sheet).
def indicator_keys(flat: dict[str, Cell]) -> list[str]:
    head = [k for k in flat if k.startswith("survivors.")]
    cc = ["community_counselling.sessions", "community_counselling.participants"]
    events = [f"events.{kw}.{what}" for kw in EVENT_TYPES for what in ("count", "participants")]
    days = [k for k in flat if k.startswith("international_days.")]
    return head + cc + events + days


def indicators_table(report: Report, words: Labels) -> Table:
    keys = indicator_keys(report.flat)
    columns = [words.t("c_indicator"), words.t("c_number")]
    widths = [5.0, 1.2]
    with_targets = bool(report.targets)
    if with_targets:
        columns += [words.t("c_target"), words.t("c_achieved")]
        widths += [1.2, 1.3]
    rows: list[list[Value]] = []
    for key in keys:
        value = report.flat[key]
        row: list[Value] = [words.indicator(key), value]
        if with_targets:
            target = report.targets.get(key)
            row += [target, achieved(value, target) if target else None]
        rows.append(row)
    return Table("indicators", words.t("t_indicators"), columns, rows, widths, keys=keys)


def _gender_rows(report: Report, words: Labels) -> list[list[Value]]:
    rows: list[list[Value]] = []
    events = report.indicators["events"]
    groups: list[tuple[str, dict[str, Any], int]] = [
        (words.word(kw), events[kw]["gender"], events[kw]["participants"]) for kw in EVENT_TYPES
    ]
    by_code: dict[str, tuple[dict[str, int], int]] = {}
    for day in report.indicators["international_days"]:
        gender, total = by_code.get(day["code"], ({"M": 0, "F": 0, "O": 0}, 0))
        by_code[day["code"]] = (
            {s: gender[s] + day["gender"].get(s, 0) for s in "MFO"},
            total + day["participants"],
        )
    groups += [(words.word(code), g, t) for code, (g, t) in by_code.items()]
    for name, gender, total in groups:
        if not total:
            continue  # "where reported"
        m, f, o = (int(gender.get(s, 0)) for s in "MFO")
        rows.append([name, m, f, o, total - m - f - o, total])
    return rows


def gender_table(report: Report, words: Labels) -> Table:
    columns = [
        words.t("c_activity"),
        words.t("c_men"),
        words.t("c_women"),
        words.t("c_other"),
        words.t("c_unsplit"),
        words.t("c_total"),
    ]
    return Table(
        "gender",
        words.t("t_gender"),
        columns,
        _gender_rows(report, words),
        [3.2, 1, 1, 1, 1.2, 1],
        note=words.t("gender_note"),
    )


SUMMARY_KEYS = (
    "survivors.enrolled",
    "survivors.individual_counselling",
    "survivors.certified",
    "survivors.emergency_support",
)
SUMMARY_HEADS = ("h_enrolled", "h_counselled", "h_certified", "h_emergency")


def _sum(row: dict[str, Cell], keys: list[str]) -> int:
    return sum(v for k in keys if isinstance(v := row.get(k, 0), int))


def activity_keys() -> tuple[list[str], list[str]]:
    """(count keys, participant keys) of every kind of activity: events, CC, days."""
    counts = [f"events.{kw}.count" for kw in EVENT_TYPES] + ["community_counselling.sessions"]
    people = [f"events.{kw}.participants" for kw in EVENT_TYPES]
    people.append("community_counselling.participants")
    return counts, people


def breakdown_table(name: str, bd: Breakdown, first: str, words: Labels) -> Table:
    counts, people = activity_keys()
    day_counts = [
        k for k in bd.totals if k.startswith("international_days.") and k.endswith(".count")
    ]
    day_people = [
        k for k in bd.totals if k.startswith("international_days.") and k.endswith(".participants")
    ]
    columns = [first] + [words.t(h) for h in SUMMARY_HEADS]
    columns += [words.t("c_events"), words.t("c_participants")]

    def line(label: str, row: dict[str, Cell]) -> list[Value]:
        return [
            label,
            *(row.get(k, 0) for k in SUMMARY_KEYS),
            _sum(row, counts + day_counts),
            _sum(row, people + day_people),
        ]

    rows = [line(label, row) for label, row in bd.rows]
    rows.append(line(words.t("c_total"), bd.totals))
    return Table(name, bd.title, columns, rows, [2.2, 1.2, 1.3, 1.2, 1.3, 1, 1.3], total_row=True)


def document_tables(report: Report) -> list[Table]:
    words = labels(report.lang)
    out = [indicators_table(report, words), gender_table(report, words)]
    if report.breakdowns:
        up, month = report.breakdowns[0], report.breakdowns[1]
        out.append(breakdown_table("upazila", up, words.t("c_upazila"), words))
        out.append(breakdown_table("month", month, words.t("c_month"), words))
    return out
