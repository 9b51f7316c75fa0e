"""Where a command's file goes: standard output (bytes as they are) or a file named by --out."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def write_output(data: bytes, out: Path | None) -> bool:
    """Write `data` to `out`, or to standard output when `out` is None; True when a file was
    written (the caller then says so on standard error). A file that cannot be written is a
    one-line error, not a traceback."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return False
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from exc
    return True
