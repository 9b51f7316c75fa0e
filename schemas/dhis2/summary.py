"""DHIS2's import summary read into counts and conflicts, each by data element and org unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Conflict:
    data_element: str
    org_unit: str
    period: str
    message: str
    code: str

    def line(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"data element {self.data_element}" if self.data_element else "",
                f"org unit {self.org_unit}" if self.org_unit else "",
                f"period {self.period}" if self.period else "",
            )
            if p
        )
        code = f" [{self.code}]" if self.code else ""
        return f"{where or 'conflict'}: {self.message}{code}"

    def as_dict(self) -> dict[str, str]:
        return {
            "data_element": self.data_element,
            "org_unit": self.org_unit,
            "period": self.period,
            "message": self.message,
            "code": self.code,
        }


@dataclass
class ImportSummary:
    status: str  # SUCCESS | WARNING | ERROR (DHIS2's ImportStatus)
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    description: str = ""
    conflicts: list[Conflict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "ignored": self.ignored,
            "deleted": self.deleted,
        }

    def line(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, ignored {self.ignored},"
            f" deleted {self.deleted}, conflicts {len(self.conflicts)}"
        )


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def read_summary(body: Any, sent: list[dict[str, str]]) -> ImportSummary | None:
    """The summary inside a DHIS2 answer (2.36+ wraps it in a web message's `response`),
    or None when the answer holds none. `sent` are the data values POSTed, in order, so
    that a conflict naming only their index still says which data element and org unit."""
    if not isinstance(body, dict):
        return None
    summary = body.get("response") if isinstance(body.get("response"), dict) else body
    if (
        not isinstance(summary, dict)
        or summary.get("responseType", "ImportSummary") != ("ImportSummary")
        or "importCount" not in summary
    ):
        return None
    counts = summary.get("importCount") or {}
    if not isinstance(counts, dict):
        counts = {}
    out = ImportSummary(
        status=str(summary.get("status") or "SUCCESS"),
        imported=_int(counts.get("imported")),
        updated=_int(counts.get("updated")),
        ignored=_int(counts.get("ignored")),
        deleted=_int(counts.get("deleted")),
        description=str(summary.get("description") or ""),
    )
    for raw in summary.get("conflicts") or []:
        if isinstance(raw, dict):
            out.conflicts.extend(_conflicts(raw, sent))
    return out


def _conflicts(raw: dict[str, Any], sent: list[dict[str, str]]) -> list[Conflict]:
    found = raw.get("objects")
    objects: dict[str, Any] = found if isinstance(found, dict) else {}
    prop = str(raw.get("property") or "")
    obj = str(raw.get("object") or "")
    message = str(raw.get("value") or "")
    code = str(raw.get("errorCode") or "")
    named = {
        "data_element": str(objects.get("dataElement") or (obj if prop == "dataElement" else "")),
        "org_unit": str(
            objects.get("organisationUnit")
            or objects.get("orgUnit")
            or (obj if prop == "orgUnit" else "")
        ),
        "period": str(objects.get("period") or (obj if prop == "period" else "")),
    }
    indexes = [i for i in raw.get("indexes") or [] if isinstance(i, int) and 0 <= i < len(sent)]
    if not indexes:
        return [Conflict(named["data_element"], named["org_unit"], named["period"], message, code)]
    # One conflict per rejected value: the index says which row it was.
    return [
        Conflict(
            named["data_element"] or sent[i].get("dataElement", ""),
            named["org_unit"] or sent[i].get("orgUnit", ""),
            named["period"] or sent[i].get("period", ""),
            message,
            code,
        )
        for i in indexes
    ]
