"""workers/apply keeps its room's rule (its package docstring): schemas, settings and db only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOM = Path(__file__).resolve().parents[2] / "workers" / "apply"
# Beyond the standard library: the database toolkit, the dictionary, and two workers modules.
ALLOWED = ("sqlalchemy", "schemas", "workers.apply", "workers.settings", "workers.db")


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _allowed(name: str) -> bool:
    if name.split(".")[0] in sys.stdlib_module_names:
        return True
    return any(name == room or name.startswith(room + ".") for room in ALLOWED)


def test_apply_imports_only_schemas_settings_db_and_itself() -> None:
    modules = sorted(ROOM.glob("*.py"))
    assert len(modules) >= 8  # the room was found
    offences = [
        f"{path.name} imports {name}"
        for path in modules
        for name in sorted(_imported(path))
        if not _allowed(name)
    ]
    assert not offences, "\n".join(offences)


def test_the_rule_is_written_where_it_lives() -> None:
    import workers.apply

    doc = workers.apply.__doc__ or ""
    for word in ("schemas", "workers.settings", "workers.db", "never `service`", "Flask"):
        assert word in doc, word
