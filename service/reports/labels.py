"""The document's words per language (labels.toml) and the human name of every indicator key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from service.reports.lang import check_lang


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(Path(__file__).with_name("labels.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Labels:
    lang: str

    @property
    def _d(self) -> dict[str, Any]:
        return _table()[self.lang]  # type: ignore[no-any-return]

    def t(self, key: str) -> str:
        return str(self._d[key])

    def word(self, code: str) -> str:
        return str(self._d["words"].get(code, code))

    def readme(self) -> list[tuple[str, str]]:
        return list(self._d["readme"].items())

    def split(self, key: str) -> tuple[str, str]:
        """`events.SCH.gender.F` -> ("School sessions: participants", "Women"); the second
        part is empty for an undivided number."""
        names = self._d["indicators"]
        parts = key.split(".")
        if parts[0] == "events":
            event = self.word(parts[1])
            if parts[2] == "count":
                return names["count"].format(event=event), ""
            sub = self.word(parts[3]) if len(parts) > 3 else self.word("total")
            return names["participants"].format(event=event), sub
        if parts[0] == "international_days":
            day = self.word(parts[1])
            which = "day_count" if parts[2] == "count" else "day_participants"
            return names[which].format(day=day), ""
        head = ".".join(parts[:2])
        label = str(names.get(head, head))
        return label, (self.word(parts[2]) if len(parts) > 2 else "")

    def indicator(self, key: str) -> str:
        label, sub = self.split(key)
        return f"{label}: {sub}" if sub and sub != self.word("total") else label


def labels(lang: str) -> Labels:
    return Labels(check_lang(lang))
