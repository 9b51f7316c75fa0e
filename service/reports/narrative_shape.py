"""A narrative report's shape: a title, header lines, an intro and sections of bullets."""

from __future__ import annotations

from dataclasses import dataclass

NOTHING = "No activities of this kind were reported in this period."
PUBLIC_NOTE = "Survivor counts from 1 to 10 are shown as <11 to protect the people concerned."


@dataclass(frozen=True)
class Section:
    title: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Narrative:
    title: str
    header: tuple[str, ...]  # project, donor, district, period lines
    intro: str
    sections: tuple[Section, ...]
    public: bool = False
    lang: str = "en"
    nothing: str = NOTHING
    public_note: str = PUBLIC_NOTE
