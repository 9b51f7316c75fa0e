"""Reporter CSV import (idempotent by phone, bad rows by line), listing and deactivation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.tables import AuditEntry, Reporter
from workers.reporters import CsvError, deactivate, import_csv, list_reporters

DATA = Path(__file__).resolve().parent.parent / "data"
SYSTEM = Actor.system()  # the command line's actor


def by_phone(session: Session, phone: str) -> Reporter:
    reporter = session.scalar(select(Reporter).where(Reporter.phone == phone))
    assert reporter is not None, phone
    return reporter


def test_import_normalises_phones_and_reads_english_or_bangla_unions(session: Session) -> None:
    report = import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    assert (report.imported, report.updated, report.skipped) == (4, 0, 0)
    rina = by_phone(session, "+8801712345678")
    assert (rina.name, rina.role, rina.union, rina.upazila, rina.language, rina.active) == (
        "Rina Begum",
        "activist",
        "Nalta",
        "Kaliganj",
        "en",
        True,
    )
    shirin = by_phone(session, "+8801812345678")
    assert (shirin.role, shirin.union, shirin.upazila, shirin.language) == (
        "counsellor",
        "Gabura",
        "Shyamnagar",
        "bn",
    )
    karim = by_phone(session, "+8801912345678")
    assert (karim.role, karim.union, karim.language) == ("coordinator", None, "en")
    jamal = by_phone(session, "+8801612345678")
    assert (jamal.role, jamal.union, jamal.upazila) == ("activist", "Kulia", "Debhata")


def test_importing_the_same_file_twice_changes_nothing(session: Session) -> None:
    import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    again = import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    assert (again.imported, again.updated, again.skipped, again.unchanged) == (0, 0, 0, 4)
    assert len(list_reporters(session)) == 4


def test_a_changed_row_updates_the_reporter_with_that_phone(session: Session) -> None:
    import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    report = import_csv(
        session,
        "phone,name,role,union,language\n+8801712345678,Rina Begum,counsellor,Gabura,bn\n",
        actor=SYSTEM,
    )
    assert (report.imported, report.updated) == (0, 1)
    rina = by_phone(session, "+8801712345678")
    assert (rina.role, rina.union, rina.upazila, rina.language) == (
        "counsellor",
        "Gabura",
        "Shyamnagar",
        "bn",
    )


def test_bad_rows_are_reported_by_line_and_good_rows_imported(session: Session) -> None:
    report = import_csv(session, DATA / "reporters_bad.csv", actor=SYSTEM)
    lines = dict(report.problems)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "phone" in lines[3]
    assert "name" in lines[4]
    assert "role" in lines[5] and "boss" in lines[5]
    assert "Atlantis" in lines[6]
    assert "language" in lines[7]
    assert "union" in lines[8]
    assert "line 2" in lines[9]
    assert "upazila" in lines[10]
    assert (report.imported, report.skipped) == (2, 8)
    assert report.summary() == "imported 2, updated 0, skipped 8"
    assert {r.phone for r in list_reporters(session)} == {"+8801712345678", "+8801912345679"}
    assert by_phone(session, "+8801912345679").upazila == "Assasuni"


def test_a_near_miss_union_is_refused_with_a_suggestion(session: Session) -> None:
    report = import_csv(
        session, "phone,name,role,union\n01712345678,Rina,activist,Naltaa\n", actor=SYSTEM
    )
    assert report.imported == 0
    assert "did you mean Nalta?" in report.problems[0][1]


def test_a_file_without_the_needed_columns_is_refused_whole(session: Session) -> None:
    with pytest.raises(CsvError, match="union"):
        import_csv(session, "phone,name,role\n01712345678,Rina,activist\n", actor=SYSTEM)
    with pytest.raises(CsvError, match="header"):
        import_csv(session, "\n\n", actor=SYSTEM)
    assert list_reporters(session) == []


def test_a_missing_file_is_a_one_line_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="cannot read"):
        import_csv(session, tmp_path / "nope.csv", actor=SYSTEM)


def test_a_row_with_too_many_cells_is_skipped(session: Session) -> None:
    report = import_csv(
        session,
        "phone,name,role,union,language\n01712345678,Rina,activist,Nalta,en,extra\n",
        actor=SYSTEM,
    )
    assert report.problems[0][0] == 2 and report.imported == 0


def test_the_import_is_audited(session: Session) -> None:
    import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry is not None and entry.detail == {"imported": 4, "updated": 0, "skipped": 0}
    assert entry.actor == "system"


def test_a_deactivation_is_audited_as_the_actor_given(session: Session) -> None:
    import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    reporter = deactivate(session, "01712345678", actor=Actor.user(42))
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "deactivate"))
    assert entry is not None and entry.entity_id == reporter.id
    assert entry.actor == "user:42"


def test_deactivate_by_any_spelling_of_the_number_and_reimport_reactivates(
    session: Session,
) -> None:
    import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    reporter = deactivate(session, "01712-345678", actor=SYSTEM)
    assert reporter.phone == "+8801712345678" and reporter.active is False
    assert "+8801712345678" not in {
        r.phone for r in list_reporters(session, include_inactive=False)
    }
    report = import_csv(session, DATA / "reporters.csv", actor=SYSTEM)
    assert report.updated == 1 and by_phone(session, "+8801712345678").active is True


def test_deactivating_an_unknown_number_raises_lookup_error(session: Session) -> None:
    with pytest.raises(LookupError):
        deactivate(session, "01700000000", actor=SYSTEM)
    with pytest.raises(LookupError):
        deactivate(session, "not a number", actor=SYSTEM)


def test_a_spreadsheet_export_with_bom_and_crlf_lines_imports(session: Session) -> None:
    text = "\ufeffPhone,Name,Role,Union,Language\r\n01712345678,Rina,activist,nalta,EN\r\n"
    report = import_csv(session, text, actor=SYSTEM)
    assert (report.imported, report.skipped) == (1, 0)
    rina = by_phone(session, "+8801712345678")
    assert (rina.union, rina.language) == ("Nalta", "en")
