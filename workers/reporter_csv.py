"""Reading a reporters CSV: the file or upload as text, then its rows by line number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

COLUMNS = ("phone", "name", "role", "union", "language")
REQUIRED = ("phone", "name", "role", "union")


class CsvError(ValueError):
    """The file as a whole cannot be read (missing, not UTF-8, no usable header)."""


def read_csv(path_or_text: str | Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, cells by column) for every data row; CsvError when the file is unusable."""
    return _read_rows(_load_text(path_or_text))


def parse_csv_text(text: str) -> list[tuple[int, dict[str, str]]]:
    """Like read_csv for text that is never taken as a file name (an upload)."""
    return _read_rows(text)


def _load_text(path_or_text: str | Path) -> str:
    """A Path, or a str naming an existing file, is read; any other str is the CSV itself."""
    is_path = isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and "," not in path_or_text
    )
    if not is_path:
        return str(path_or_text)
    path = Path(path_or_text)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return decode_csv(raw, str(path))


def decode_csv(raw: bytes, name: str) -> str:
    """A file's bytes as text; CsvError when it is not UTF-8 (Excel's plain "CSV" is not)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(f"{name} is not UTF-8 text (save it as CSV UTF-8)") from exc


def _read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every non-blank data row; line 1 is the header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip().lower() for c in cells]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise CsvError(
                    f"line {line}: header lacks column(s) {', '.join(missing)}; "
                    f"expected {','.join(COLUMNS)}"
                )
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            rows.append((line, {"__error__": f"{len(cells)} cells, header has {len(header)}"}))
            continue
        rows.append(
            (
                line,
                {
                    name: (cells[i].strip() if i < len(cells) else "")
                    for i, name in enumerate(header)
                },
            )
        )
    if header is None:
        raise CsvError(f"empty file: expected a header {','.join(COLUMNS)}")
    return rows
