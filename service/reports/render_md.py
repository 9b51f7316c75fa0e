"""Markdown rendering of the narrative report (also what the CLI prints for `--format md`)."""

from __future__ import annotations

from service.reports.narrative import Narrative


def to_markdown(narrative: Narrative) -> str:
    lines = [f"# {narrative.title}", ""]
    # Two trailing spaces: a markdown line break, so the header stays one block.
    lines += [f"{line}  " for line in narrative.header]
    lines += ["", narrative.intro, ""]
    for section in narrative.sections:
        lines += [f"## {section.title}", ""]
        lines += [f"- {bullet}" for bullet in section.bullets] or [f"_{narrative.nothing}_"]
        lines.append("")
    if narrative.public:
        lines += [f"_{narrative.public_note}_", ""]
    return "\n".join(lines)
