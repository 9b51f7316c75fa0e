"""The Bangla edition from each entry point: `ashshash report --lang bn`, the Bangla dashboard."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from service.cli import _register, cli
from service.reports.labels import _table
from tests.service.test_dashboard import as_role, seed
from workers.settings import Settings


def _keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    out = set()
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
        else:
            out.add(prefix + key)
    return out


def test_every_document_word_exists_in_both_languages() -> None:
    en, bn = _table()["en"], _table()["bn"]
    readme = {"readme"}  # definitions are written per language, not key by key
    assert {k for k in _keys(en) if k.split(".")[0] not in readme} == {
        k for k in _keys(bn) if k.split(".")[0] not in readme
    }
    assert len(en["readme"]) == len(bn["readme"])


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    monkeypatch.delenv("REDIS_URL", raising=False)
    _register()
    return CliRunner().invoke(cli, ["report", *args])


@pytest.mark.slow
def test_cli_lang_bn_writes_bangla_in_every_format(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = _cli(settings, monkeypatch, "--period", "2021", "--format", "md", "--lang", "bn")
    assert md.exit_code == 0, md.output
    assert "# আশ্বাস অগ্রগতি প্রতিবেদন: জানুয়ারি-ডিসেম্বর ২০২১" in md.stdout
    assert "এই সময়ে এ ধরনের কোনো কাজের তথ্য আসেনি।" in md.stdout
    for fmt in ("pdf", "docx", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        result = _cli(
            settings,
            monkeypatch,
            "--period",
            "2021",
            "--format",
            fmt,
            "--lang",
            "bn",
            "--out",
            str(out),
        )
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        if fmt == "pdf":
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        elif fmt == "docx":
            text = " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        else:
            text = " ".join(load_workbook(io.BytesIO(data)).sheetnames)
        assert "প্রতিবেদন" in text, fmt
    bad = _cli(settings, monkeypatch, "--period", "2021", "--lang", "fr")
    assert bad.exit_code == 2 and "fr" in bad.output


@pytest.mark.slow
def test_the_bangla_dashboard_downloads_the_bangla_edition(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    client.get("/lang/bn")
    year = datetime.now(UTC).year
    page = client.get(f"/report?period={year}").get_data(as_text=True)
    assert 'class="card narrative" lang="bn"' in page
    assert "স্কুল/মাদ্রাসা/কলেজে" in page
    pdf = client.get(f"/report/download.pdf?period={year}")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "অগ্রগতি প্রতিবেদন" in text and "পৃষ্ঠা ১, মোট" in text
    docx = client.get(f"/report/download.docx?period={year}")
    assert "সূচক" in [t.rows[0].cells[0].text for t in Document(io.BytesIO(docx.data)).tables]
    xlsx = client.get(f"/report/download.xlsx?period={year}")
    assert load_workbook(io.BytesIO(xlsx.data)).sheetnames[0] == "পরিচিতি"
    client.get("/lang/en")
    english = client.get(f"/report/download.md?period={year}").get_data(as_text=True)
    assert "Well-being of survivors of trafficking" in english
