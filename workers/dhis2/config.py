"""Reads `dhis2.toml` from the instance folder into a Mapping (DHIS2_URL overrides its url)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from schemas.dhis2.mapping import Mapping, Problem, parse_mapping
from workers.settings import Settings

FILENAME = "dhis2.toml"


class MappingFileError(ValueError):
    """The mapping file is missing or not TOML; the message is one line, safe to show."""


def mapping_path(settings: Settings) -> Path:
    """DHIS2_MAPPING when set (a second data set's mapping), else instance/dhis2.toml."""
    if settings.dhis2_mapping:
        return Path(settings.dhis2_mapping)
    return Path(settings.instance_path) / FILENAME


def load_mapping(settings: Settings, path: Path | None = None) -> tuple[Mapping, list[Problem]]:
    """The instance's mapping and the problems of its shape."""
    path = path or mapping_path(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MappingFileError(
            f"no DHIS2 mapping at {path}: copy docs/dhis2.example.toml there and fill it in"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingFileError(f"cannot read {path}: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingFileError(f"{path} is not valid TOML: {exc}") from exc
    mapping, problems = parse_mapping(data)
    if settings.dhis2_url:
        mapping = replace(mapping, url=settings.dhis2_url.strip())
    return mapping, problems
