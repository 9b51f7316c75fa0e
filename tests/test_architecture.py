"""The house direction service -> workers -> schemas, checked on every run so it cannot rot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "schemas": {
        "flask",
        "redis",
        "rq",
        "requests",
        "africastalking",
        "workers",
        "service",
        "sqlalchemy.orm.session",
        "dotenv",
        "os",
    },
    "workers": {"flask", "service"},
}
# schemas may not read the clock: these names would mean it does.
CLOCK_CALLS = {"now", "utcnow", "today", "time"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package: str) -> None:
    offences = []
    for path in _modules(package):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in FORBIDDEN[package] or name in FORBIDDEN[package]:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offences, "\n".join(offences)


def test_schemas_never_read_the_clock() -> None:
    offences = []
    for path in _modules("schemas"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCK_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"datetime", "date", "time"}
            ):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offences, "schemas read the clock at " + ", ".join(offences)


def test_every_module_opens_with_a_docstring() -> None:
    missing = []
    for pkg in ("schemas", "workers", "service"):
        for path in _modules(pkg):
            source = path.read_text(encoding="utf-8")
            if source.strip() and ast.get_docstring(ast.parse(source)) is None:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, "modules without a docstring: " + ", ".join(missing)


def test_every_package_says_what_it_holds_and_may_import() -> None:
    """A folder's rule lives where it is: its package docstring (or a README.md beside it)
    says what it holds and what it may import, as Flask's sansio/README does."""
    packages = sorted(
        init.parent
        for pkg in ("schemas", "workers", "service")
        for init in _modules(pkg)
        if init.name == "__init__.py"
    )
    assert len(packages) > 15
    silent = []
    for folder in packages:
        name = str(folder.relative_to(ROOT))
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8"))) or ""
        readme = folder / "README.md"
        rule = doc + (readme.read_text(encoding="utf-8") if readme.exists() else "")
        if "import" not in rule.casefold():
            silent.append(name)
    assert not silent, "packages that do not state what they may import: " + ", ".join(silent)
