"""The 2021 report built from pipeline traffic equals the real seed report, numbers and words."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from schemas.periods import Period
from service.reports.build import build_report, make_scope
from service.reports.narrative import DAY_SECTION, EVENT_SECTION, SURVIVOR_SECTION
from service.reports.render import DOCUMENTS, render
from tests.reports_fixture_seed import SEED_SECTIONS_TEXT
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory

# shared/ sits beside the repository (on developers' machines and in CI).
SEED_FILE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "ashshash-2021-progress.txt"
YEAR_2021 = Period(date(2021, 1, 1), date(2021, 12, 31))
SECTIONS = (SURVIVOR_SECTION, EVENT_SECTION, DAY_SECTION)


def seed_bullets() -> dict[str, list[str]]:
    """The seed's bullets per section, as printed in the real report."""
    out: dict[str, list[str]] = {}
    current = None
    for line in SEED_SECTIONS_TEXT.splitlines():
        stripped = line.strip()
        if stripped in SECTIONS:
            current = stripped
            out[current] = []
        elif stripped.startswith("\u2022") and current:
            out[current].append(stripped.lstrip("\u2022").strip())
    return out


def test_embedded_seed_text_is_the_shared_seed_file() -> None:
    # The shared file is the source of truth where it exists (the project machine).
    if SEED_FILE.exists():
        assert SEED_SECTIONS_TEXT.strip() in SEED_FILE.read_text(encoding="utf-8")
    assert len([b for bs in seed_bullets().values() for b in bs]) == 21


def _report(db: ReportDb, fmt: str, public: bool = False) -> bytes:
    with session_factory(db.settings)() as session:
        built = build_report(
            session,
            db.settings,
            make_scope(YEAR_2021, None, None),
            public=public,
            breakdowns=fmt in DOCUMENTS,
        )
    return render(built, fmt)


def test_the_fixture_feeds_a_few_thousand_messages(report_db: ReportDb) -> None:  # noqa: F811
    # Speed is a benchmark's job (bench/), never a timed unit test: a loaded machine fails it.
    assert len(report_db.plan.msgs) > 2500


def test_2021_indicators_equal_the_seed_numbers(report_db: ReportDb) -> None:  # noqa: F811
    import json

    ind = json.loads(_report(report_db, "json"))
    s = ind["survivors"]
    assert ind["period"] == {"from": "2021-01-01", "to": "2021-12-31"}
    assert (s["enrolled"], s["needs_assessed"], s["individual_counselling"]) == (298, 298, 339)
    assert (s["family_members_counselled"], s["families_counselled"]) == (678, 360)
    assert s["certified"] == 317
    assert ind["community_counselling"] == {"participants": 339, "sessions": 12}
    assert s["referred"]["HEALTH"] == 97 and s["referred"]["LEGAL"] == 5
    assert s["emergency_support"] == 16 and s["partner_support"] == {"PRAN": 65}
    events = {k: (v["count"], v["participants"]) for k, v in ind["events"].items()}
    assert events == {
        "MEET": (4, 67),
        "UPD": (5, 135),
        "LED": (2, 45),
        "SCH": (3, 845),
        "COM": (10, 3606),
        "AWR": (4, 806),
        "YTH": (7, 280),
        "TRN": (1, 16),
    }
    days = [(d["code"], d["date"], d["participants"]) for d in ind["international_days"]]
    assert days == [
        ("IWD", "2021-03-08", 1350),
        ("TIP", "2021-07-30", 26),
        ("IMD", "2021-12-18", 119),
    ]
    # The IWD celebration came in as two reports (a third was undone): summed per date.
    assert ind["international_days"][0]["reports"] == 2


def test_md_bullets_are_the_seed_sentences_in_order(report_db: ReportDb) -> None:  # noqa: F811
    md = _report(report_db, "md").decode("utf-8")
    got: dict[str, list[str]] = {}
    current = None
    for line in md.splitlines():
        if line.startswith("## "):
            current = line[3:]
            got[current] = []
        elif line.startswith("- ") and current:
            got[current].append(line[2:])
    assert list(got) == list(SECTIONS)
    assert got == seed_bullets()
    assert "Winrock International" in md and "Satkhira" in md and "January-December 2021" in md


def test_docx_has_the_sections_and_sentences(report_db: ReportDb) -> None:  # noqa: F811
    doc = Document(io.BytesIO(_report(report_db, "docx")))
    texts = [p.text for p in doc.paragraphs]
    for title in SECTIONS:
        assert title in texts
    expected = [b for bullets in seed_bullets().values() for b in bullets]
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == expected


def test_xlsx_has_narrative_every_indicator_and_breakdowns(report_db: ReportDb) -> None:  # noqa: F811
    wb = load_workbook(io.BytesIO(_report(report_db, "xlsx")))
    assert wb.sheetnames == [
        "README",
        "Report",
        "Indicators",
        "Men and women",
        "By upazila",
        "By month",
        "Data",
    ]
    narrative = [r[0] for r in wb["Report"].iter_rows(values_only=True) if r[0]]
    for title in SECTIONS:
        assert title in narrative
    assert (
        "One training was conducted for 16 CTIP activists on facilitation, communication,"
        " survivor\u2019s reintegration and advocacy." in narrative
    )
    data = {
        r[5]: r[4]
        for r in wb["Data"].iter_rows(min_row=2, values_only=True)
        if r[1] == "Satkhira" and r[0] == "January-December 2021"
    }
    assert data["survivors.enrolled"] == 298
    assert data["survivors.referred.SHELTER"] == 3
    assert data["events.TRN.count"] == 1
    # Zeros stay in the data sheet even though the narrative leaves them out.
    assert data["events.MEET.gender.O"] == 0
    by_up = list(wb["By upazila"].iter_rows(values_only=True))
    assert by_up[0][:2] == ("Upazila", "Enrolled")
    rows = {r[0]: r[1] for r in by_up[1:] if r[0]}
    assert rows["Total"] == 298
    assert sum(v for k, v in rows.items() if k != "Total") == 298
    assert {"Kaliganj", "Shyamnagar", "Tala"} <= set(rows)
    by_month = list(wb["By month"].iter_rows(values_only=True))
    months = [r[0] for r in by_month[1:] if r[0] and r[0] != "Total"]
    assert months == [
        f"{m} 2021"
        for m in (
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        )
    ]


def test_pdf_has_the_three_section_titles(report_db: ReportDb) -> None:  # noqa: F811
    pdf = _report(report_db, "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for title in SECTIONS:
        assert title in text
    assert "International Women\u2019s Day was celebrated on 8 March 2021" in text


@pytest.mark.parametrize("fmt", ["json", "md", "xlsx", "docx", "pdf"])
def test_public_exports_never_show_a_small_survivor_count(report_db: ReportDb, fmt: str) -> None:  # noqa: F811
    data = _report(report_db, fmt, public=True)
    assert data
    if fmt == "json":
        import json

        s = json.loads(data)["survivors"]
        assert s["referred"]["LEGAL"] == "<11" and s["referred"]["SHELTER"] == "<11"
        assert s["enrolled"] == 298  # large counts stay exact
    if fmt == "md":
        md = data.decode()
        assert "<11 survivors were referred for legal support." in md
        assert "5 survivors were referred for legal support." not in md
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        shown = [
            r[4]
            for r in wb["Data"].iter_rows(min_row=2, values_only=True)
            if r[5] and str(r[5]).startswith("survivors.")
        ]
        shown += [
            r[1]
            for r in wb["Indicators"].iter_rows(min_row=2, values_only=True)
            if str(r[-1]).startswith("survivors.")
        ]
        for sheet in ("By upazila", "By month"):  # columns 2-5 are survivor counts
            rows = list(wb[sheet].iter_rows(min_row=2, values_only=True))
            shown += [row[i] for row in rows if row[0] for i in range(1, 5)]
        assert "<11" in shown
        assert not [v for v in shown if isinstance(v, int) and 1 <= v <= 10]
