"""An export as DHIS2 reads it: a dataValueSets JSON document, DHIS2's CSV, or ADX XML."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.etree import ElementTree as ET

from schemas.dhis2.periods import parse_dhis_period
from schemas.dhis2.values import Export

FORMATS = ("json", "csv", "adx")
MEDIA_TYPES = {"json": "application/json", "csv": "application/csv", "adx": "application/adx+xml"}
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
)
ADX_NS = "urn:ihe:qrph:adx:2015"


def data_value_set(export: Export) -> dict[str, Any]:
    """The JSON document POSTed to /api/dataValueSets (values as text, as DHIS2 stores them)."""
    doc: dict[str, Any] = {"dataSet": export.data_set}
    if export.attribute_option_combo:
        doc["attributeOptionCombo"] = export.attribute_option_combo
    rows = []
    for v in export.values:
        row = {"dataElement": v.data_element, "period": v.period, "orgUnit": v.org_unit}
        if v.category_option_combo:
            # Absent means the data element's default combo (no disaggregation).
            row["categoryOptionCombo"] = v.category_option_combo
        row["value"] = str(v.value)
        rows.append(row)
    doc["dataValues"] = rows
    return doc


def to_json(export: Export) -> bytes:
    return (json.dumps(data_value_set(export), indent=2) + "\n").encode("utf-8")


def to_csv(export: Export) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in export.values:
        writer.writerow(
            [
                v.data_element,
                v.period,
                v.org_unit,
                v.category_option_combo or "",
                export.attribute_option_combo,
                v.value,
            ]
        )
    return buf.getvalue().encode("utf-8")


def to_adx(export: Export, exported: str) -> bytes:
    """ADX: one group per org unit and period; the combo as DHIS2's categoryOptionCombo
    attribute, which its ADX import prefers to exploded category attributes.

    `exported` is the ISO 8601 time of the export (passed in: this module reads no clock).
    """
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": exported})
    groups: dict[tuple[str, str], ET.Element] = {}
    for v in export.values:
        group = groups.get((v.org_unit, v.period))
        if group is None:
            attrs = {
                "orgUnit": v.org_unit,
                "period": parse_dhis_period(v.period).adx,
                "dataSet": export.data_set,
            }
            if export.attribute_option_combo:
                attrs["attributeOptionCombo"] = export.attribute_option_combo
            group = groups[(v.org_unit, v.period)] = ET.SubElement(
                root, f"{{{ADX_NS}}}group", attrs
            )
        attrs = {"dataElement": v.data_element}
        if v.category_option_combo:
            attrs["categoryOptionCombo"] = v.category_option_combo
        attrs["value"] = str(v.value)
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(export: Export, fmt: str, exported: str) -> bytes:
    if fmt == "json":
        return to_json(export)
    if fmt == "csv":
        return to_csv(export)
    if fmt == "adx":
        return to_adx(export, exported)
    raise ValueError(f"unknown format {fmt!r}")
