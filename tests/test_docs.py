"""The docs a clone has: the language reference names every word of commands.toml, and no
README or docs link points outside the repository or at a file that is not there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = ROOT / "docs" / "language.md"
COMMANDS = ROOT / "schemas" / "commands.toml"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _catalog_words() -> dict[str, list[str]]:
    """Every word a sender may type that commands.toml defines, by where it comes from."""
    data = tomllib.loads(COMMANDS.read_text(encoding="utf-8"))
    words: dict[str, list[str]] = {}
    for keyword, spec in data["commands"].items():
        if spec.get("card", True):
            words[f"commands.{keyword}"] = [keyword, *spec.get("aliases", [])]
    for name, group in data["tag_groups"].items():
        words[f"tag_groups.{name}"] = [*group["tags"], *group.get("aliases", {})]
    for table in (
        "day_codes",
        "services",
        "emergency_kinds",
        "partners",
        "referral_outcomes",
        "languages",
    ):
        for value, spec in data[table].items():
            words[f"{table}.{value}"] = [value, *spec.get("aliases", [])]
    for key in (
        "courtesy",
        "counting",
        "age_units",
        "date_markers",
        "vague_dates",
        "union_words",
        "upazila_words",
    ):
        words[f"words.{key}"] = list(data["words"][key])
    for key in ("phrases_first", "phrases"):
        words[f"words.{key}"] = list(data["words"][key])
    for month, names in data["months"].items():
        words[f"months.{month}"] = list(names)
    return words


def _backticked(text: str) -> set[str]:
    """Every `code` span of the page, and each word-like piece inside it, case-folded."""
    text = re.sub(r"^```.*$", "", text, flags=re.M)  # fences would pair backticks wrongly
    spans = re.findall(r"`([^`]+)`", text)
    pieces = {s.casefold() for s in spans}
    for span in spans:
        pieces.update(p.casefold() for p in re.split(r"[\s,()<>\[\]|\\]+", span) if p)
    return pieces


def test_the_language_reference_names_every_word_of_the_catalog() -> None:
    words = _catalog_words()
    assert len(words) > 40 and "commands.MEET" in words  # the catalog was read
    shown = _backticked(LANGUAGE.read_text(encoding="utf-8"))
    missing = [
        f"{where}: {word}"
        for where, spelled in words.items()
        for word in spelled
        if word.casefold() not in shown
    ]
    assert not missing, "docs/language.md does not name:\n" + "\n".join(missing)


def test_the_readme_and_docs_link_only_to_files_in_the_repository() -> None:
    assert len(DOCS) > 10
    broken = []
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        if "shared/spec" in text:
            broken.append(f"{page.relative_to(ROOT)}: mentions shared/spec (a clone has none)")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, "\n".join(broken)
