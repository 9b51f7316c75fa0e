"""The documents reopened and read back: tables with the right numbers, pages "n of m", Bangla."""

from __future__ import annotations

import io
import re
import warnings
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from schemas.periods import Period
from service.reports.build import Report, build_report, make_scope
from service.reports.lang import digits
from service.reports.render import render
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory

YEAR_2021 = Period(date(2021, 1, 1), date(2021, 12, 31))
PREPARED = date(2022, 1, 15)


def _build(db: ReportDb, lang: str = "en", public: bool = False) -> Report:
    with session_factory(db.settings)() as session:
        return build_report(
            session,
            db.settings,
            make_scope(YEAR_2021, None, None),
            public=public,
            breakdowns=True,
            lang=lang,
            today=PREPARED,
        )


def _render(report: Report, fmt: str) -> bytes:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render(report, fmt)
    # fpdf2 warns about every character its fonts lack: that would print as a box.
    assert not [w for w in caught if "missing" in str(w.message).lower()], caught
    return data


def _pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Each table by its first header cell."""
    doc = Document(io.BytesIO(data))
    return {
        t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows] for t in doc.tables
    }


def test_pdf_has_cover_tables_chart_and_page_n_of_m(report_db: ReportDb) -> None:  # noqa: F811
    report = _build(report_db)
    pages = _pdf_pages(_render(report, "pdf"))
    n = len(pages)
    assert n >= 4
    for i, text in enumerate(pages, start=1):
        assert text.endswith(f"Page {i} of {n}"), text[-40:]
    text = " ".join(pages)
    for label, value in report.cover:
        assert f"{label} {value}" in text
    assert "Date prepared 15 January 2022" in text and "Prepared by M&E officer" in text
    assert "Survivors identified and enrolled 298" in text
    assert "Survivors with individual counselling 339" in text
    assert "School sessions: participants 845" in text
    sch = report.indicators["events"]["SCH"]
    m, f, o = (sch["gender"][s] for s in "MFO")
    assert f"School sessions {m} {f} {o} {845 - m - f - o} 845" in text
    # The by-upazila and by-month tables each end with the seed's totals.
    assert text.count("Total 298 339 317 16") == 2
    assert "Participants by month and event type" in text


def test_the_pdf_chart_is_vector_graphics_not_an_image(report_db: ReportDb) -> None:  # noqa: F811
    reader = PdfReader(io.BytesIO(_render(_build(report_db), "pdf")))
    last = reader.pages[-1]
    assert not last.images  # drawn with rectangles and lines
    content = last.get_contents().get_data()
    assert content.count(b" re") >= 20  # the bars and legend squares


def test_docx_tables_footer_and_chart_read_back(report_db: ReportDb) -> None:  # noqa: F811
    report = _build(report_db)
    data = _render(report, "docx")
    tables = _docx_tables(data)
    assert list(tables) == ["Project", "Indicator", "Activity", "Upazila", "Month"]
    assert dict((r[0], r[1]) for r in tables["Project"])["Date prepared"] == "15 January 2022"
    rows = {r[0]: r[1:] for r in tables["Indicator"]}
    assert rows["Indicator"] == ["Number"]  # no targets.toml: no target columns
    assert rows["Survivors identified and enrolled"] == ["298"]
    assert rows["Families counselled"] == ["360"]
    assert rows["Trainings: events"] == ["1"]
    assert tables["Upazila"][-1][:5] == ["Total", "298", "339", "317", "16"]
    assert [r[0] for r in tables["Month"][1:4]] == ["Jan 2021", "Feb 2021", "Mar 2021"]
    doc = Document(io.BytesIO(data))
    footer = doc.sections[0].footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
    assert "Page " in footer and " of " in footer
    assert doc.element.body.xml.count('w:type="page"') >= 1  # the tables start a new page
    (chart,) = doc.inline_shapes
    blob = chart._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert doc.part.related_parts[blob].blob.startswith(b"\x89PNG")


def test_xlsx_sheets_are_labelled_frozen_and_numeric(report_db: ReportDb) -> None:  # noqa: F811
    wb = load_workbook(io.BytesIO(_render(_build(report_db), "xlsx")))
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
    readme = [r for r in wb["README"].iter_rows(values_only=True)]
    assert (
        "Children",
        "Distinct survivors under 18 at enrolment who had any record in the period.",
    ) in readme
    ind = {r[-1]: r[1] for r in wb["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert ind["survivors.enrolled"] == 298 and isinstance(ind["survivors.enrolled"], int)
    gender = {r[0]: r[1:] for r in wb["Men and women"].iter_rows(min_row=2, values_only=True)}
    assert gender["Trainings"][-1] == 16
    # The long sheet pivots: per-upazila rows add up to the district's number.
    data = list(wb["Data"].iter_rows(min_row=2, values_only=True))
    assert data[0][:5] == (
        "January-December 2021",
        "Satkhira",
        "Survivors identified and enrolled",
        "Total",
        298,
    )
    per_upazila = [
        r[4]
        for r in data
        if r[5] == "survivors.enrolled" and r[0] == "January-December 2021" and r[1] != "Satkhira"
    ]
    assert len(per_upazila) == 7 and sum(per_upazila) == 298
    per_month = [r[4] for r in data if r[5] == "events.COM.participants" and r[0] != data[0][0]]
    assert len(per_month) == 12 and sum(per_month) == 3606
    assert {r[3] for r in data if r[5].startswith("events.SCH.")} == {
        "Total",
        "Men",
        "Women",
        "Other",
        "Students",
        "Teachers",
        "Parents",
    }


def test_bangla_pdf_text_layer_holds_the_bangla_sentences_exactly(report_db: ReportDb) -> None:  # noqa: F811
    report = _build(report_db, "bn")
    pages = _pdf_pages(_render(report, "pdf"))
    text = " ".join(pages)
    # Every character of every sentence, in logical order, as Unicode (not glyph ids or
    # visual order). Extractors guess word gaps from glyph positions and read one inside a
    # syllable whose mark HarfBuzz placed with an offset (তাঁদের as "তা ঁদের"), so spaces
    # are compared apart from the characters.
    squeezed = "".join(text.split())
    bullets = [b for s in report.narrative.sections for b in s.bullets]
    assert len(bullets) == 21
    for bullet in bullets:
        assert "".join(bullet.split()) in squeezed, bullet
    assert "২৯৮ জন পাচারের শিকার মানুষকে শনাক্ত ও নিবন্ধন করা হয়েছে।" in text
    assert "একক মনোসামাজিক কাউন্সেলিং" in text and "প্রশিক্ষণ" in text
    assert "শনাক্ত ও নিবন্ধিত ২৯৮" in text  # the indicators table, in Bengali digits
    n = len(pages)
    for i, page in enumerate(pages, start=1):
        assert page.endswith(f"পৃষ্ঠা {digits(i, 'bn')}, মোট {digits(n, 'bn')}"), page[-30:]
    assert "?" not in text and "\ufffd" not in text


def test_bangla_docx_and_xlsx_speak_bangla(report_db: ReportDb) -> None:  # noqa: F811
    report = _build(report_db, "bn")
    tables = _docx_tables(_render(report, "docx"))
    assert list(tables) == ["প্রকল্প", "সূচক", "কাজ", "উপজেলা", "মাস"]
    assert {r[0]: r[1] for r in tables["সূচক"]}["শনাক্ত ও নিবন্ধিত"] == "২৯৮"
    assert tables["উপজেলা"][-1][:2] == ["মোট", "২৯৮"]
    wb = load_workbook(io.BytesIO(_render(report, "xlsx")))
    assert wb.sheetnames == [
        "পরিচিতি",
        "প্রতিবেদন",
        "সূচক",
        "পুরুষ ও নারী",
        "উপজেলা অনুযায়ী",
        "মাস অনুযায়ী",
        "তথ্য",
    ]
    ind = {r[-1]: r[1] for r in wb["সূচক"].iter_rows(min_row=2, values_only=True)}
    assert ind["survivors.enrolled"] == 298  # a number, for the analyst's formulas


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_public_documents_keep_k11_in_every_table(report_db: ReportDb, fmt: str) -> None:  # noqa: F811
    report = _build(report_db, public=True)
    data = _render(report, fmt)
    if fmt == "docx":
        tables = _docx_tables(data)
        survivor_cells = [
            c
            for r in tables["Indicator"][1:]
            if r[0].startswith(("Survivors", "Famil", "Referrals", "Children"))
            for c in r[1:]
        ]
        survivor_cells += [
            c for name in ("Upazila", "Month") for r in tables[name][1:] for c in r[1:5]
        ]
        text = " ".join(
            [c for t in tables.values() for r in t for c in r]
            + [p.text for p in Document(io.BytesIO(data)).paragraphs]
        )
    else:
        text = " ".join(_pdf_pages(data))
        survivor_cells = re.findall(r"Survivors referred: Legal (\S+)", text)
    assert "<11" in survivor_cells
    assert not [c for c in survivor_cells if c.isdigit() and 1 <= int(c) <= 10]
    assert "Survivors referred: Legal 5" not in text
    assert "<11" in text and "Public version" in text
