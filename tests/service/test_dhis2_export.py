"""`ashshash dhis2 export` for the report fixture's 2021 equals the indicators JSON, value by value,
in json, csv and adx (each parsed back), and monthly values add up to the year."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

import service.cli.dhis2  # noqa: F401 - adds the commands to the group
from schemas.dhis2.mapping import ADDITIVE_SURVIVOR_PATHS, parse_mapping, tag_path
from schemas.periods import Period
from service.cli import AppContext, cli
from service.dhis2.values import flat_indicators
from service.reports.indicators import Scope, indicators
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "dhis2.example.toml"
ADX = "{urn:ihe:qrph:adx:2015}"
Row = tuple[str, str, str, str, int]  # data element, period, org unit, combo, value


def run(settings, *args: str):  # type: ignore[no-untyped-def]
    context = AppContext()
    context._settings = settings
    return CliRunner().invoke(cli, list(args), obj=context)


def with_mapping(db: ReportDb, tmp_path: Path, period_type: str):  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'period_type = "Monthly"', f'period_type = "{period_type}"'
    )
    (tmp_path / "dhis2.toml").write_text(text, encoding="utf-8")
    return db.settings.with_(instance_path=str(tmp_path)), text


def parse_json(data: bytes) -> list[Row]:
    doc = json.loads(data)
    assert doc["dataSet"] == "ASHSHASH_CTIP_MONTHLY" and "attributeOptionCombo" not in doc
    return [
        (
            v["dataElement"],
            v["period"],
            v["orgUnit"],
            v.get("categoryOptionCombo", ""),
            int(v["value"]),
        )
        for v in doc["dataValues"]
    ]


def parse_csv(data: bytes) -> list[Row]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == [
        "dataelement",
        "period",
        "orgunit",
        "categoryoptioncombo",
        "attributeoptioncombo",
        "value",
    ]
    return [
        (r["dataelement"], r["period"], r["orgunit"], r["categoryoptioncombo"], int(r["value"]))
        for r in rows
    ]


def parse_adx(data: bytes) -> list[Row]:
    root = ET.fromstring(data)
    assert root.tag == f"{ADX}adx" and root.get("exported", "").endswith("Z")
    out = []
    ids = {"2021-01-01/P1Y": "2021"} | {
        f"2021-{m:02d}-01/P1M": f"2021{m:02d}" for m in range(1, 13)
    }
    for group in root.findall(f"{ADX}group"):
        assert group.get("dataSet") == "ASHSHASH_CTIP_MONTHLY"
        for dv in group.findall(f"{ADX}dataValue"):
            out.append(
                (
                    dv.get("dataElement", ""),
                    ids[group.get("period", "")],
                    group.get("orgUnit", ""),
                    dv.get("categoryOptionCombo", ""),
                    int(dv.get("value", "")),
                )
            )
    return out


PARSERS = {"json": parse_json, "csv": parse_csv, "adx": parse_adx}


def exported(settings, tmp_path: Path, period: str, fmt: str) -> list[Row]:  # type: ignore[no-untyped-def]
    out = tmp_path / f"export.{fmt}"
    result = run(
        settings, "dhis2", "export", "--period", period, "--format", fmt, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    return PARSERS[fmt](out.read_bytes())


def year_2021(db: ReportDb) -> dict[str, int]:
    with session_factory(db.settings)() as session:
        return flat_indicators(
            indicators(session, Scope(Period(date(2021, 1, 1), date(2021, 12, 31))))
        )


@pytest.mark.parametrize("fmt", ["json", "csv", "adx"])
def test_the_2021_export_equals_the_indicators_json(  # noqa: F811
    report_db: ReportDb, tmp_path: Path, fmt: str
) -> None:  # noqa: F811
    settings, text = with_mapping(report_db, tmp_path, "Yearly")
    mapping, _ = parse_mapping(tomllib.loads(text))
    rows = exported(settings, tmp_path, "2021", fmt)
    flat = year_2021(report_db)
    assert flat["events.SCH.participants"] == 845 and flat["survivors.enrolled"] == 298
    by_de: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for de, period, _unit, combo, value in rows:
        assert period == "2021"
        by_de[de][combo] += value
    checked = 0
    for entry in mapping.values:
        sent = by_de[entry.data_element]
        assert sum(sent.values()) == flat[entry.indicator], entry.indicator
        for tag, combo in entry.combos.items():
            if tag:
                assert sent[combo] == flat[tag_path(entry.indicator, tag) or ""], (entry, tag)
        checked += 1
    assert checked == len(mapping.values) == 40
    # District entries are one value per combo at the district's org unit.
    days = [r for r in rows if r[0] == "CTIP_DAY_IWD_PARTICIPANTS"]
    assert {r[2] for r in days} == {"BD4087"} and len(days) == 4


def test_monthly_values_add_up_to_the_year(report_db: ReportDb, tmp_path: Path) -> None:  # noqa: F811
    settings, text = with_mapping(report_db, tmp_path, "Monthly")
    mapping, _ = parse_mapping(tomllib.loads(text))
    rows = exported(settings, tmp_path, "2021", "json")
    assert {r[1] for r in rows} == {f"2021{m:02d}" for m in range(1, 13)}
    flat = year_2021(report_db)
    totals: dict[str, int] = defaultdict(int)
    for de, _, _, _, value in rows:
        totals[de] += value
    additive = [
        e
        for e in mapping.values
        if not e.indicator.startswith("survivors.") or e.indicator in ADDITIVE_SURVIVOR_PATHS
    ]
    assert len(additive) == 28
    for entry in additive:
        assert totals[entry.data_element] == flat[entry.indicator], entry.indicator


def test_export_to_standard_output_writes_the_document_only(
    report_db: ReportDb, tmp_path: Path
) -> None:  # noqa: F811
    settings, _ = with_mapping(report_db, tmp_path, "Monthly")
    result = CliRunner().invoke(
        cli, ["dhis2", "export", "--period", "2021-03", "--format", "json"], obj=_context(settings)
    )
    assert result.exit_code == 0, result.stderr
    assert {v["period"] for v in json.loads(result.stdout)["dataValues"]} == {"202103"}
    assert "distinct survivors" in result.stderr  # the warning goes to stderr


def _context(settings) -> AppContext:  # type: ignore[no-untyped-def]
    context = AppContext()
    context._settings = settings
    return context
