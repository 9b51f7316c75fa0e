"""Every test asserts something that could fail: a check outside any loop, read from the AST."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# Calls that check by themselves: pytest.raises/warns/fail, and helpers named for checking.
CHECK_CALLS = {"raises", "warns", "fail", "deprecated_call"}
CHECK_PREFIXES = ("assert_", "check_")


def _test_functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Module-level `test_*` functions and `test_*` methods of `Test*` classes."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test"):
                yield node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    if item.name.startswith("test"):
                        yield item


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_hypothesis(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    # A property test checks "never raises" over generated input: calling is the check.
    return any(
        _name(d.func if isinstance(d, ast.Call) else d) == "given" for d in fn.decorator_list
    )


def _is_check(node: ast.AST) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Call):
        name = _name(node.func)
        return name in CHECK_CALLS or name.startswith(CHECK_PREFIXES)
    return False


def _non_empty_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(not isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys)
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes) and bool(node.value)
    )


def _literal_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to a non-empty literal (`FORBIDDEN = ("a", "b")`)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and _non_empty_literal(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
            and _non_empty_literal(node.value)
        ):
            names.add(node.target.id)
    return names


def _runs_for_sure(loop: ast.For | ast.AsyncFor | ast.While, literals: set[str]) -> bool:
    """A loop over a non-empty literal (or a module-level name bound to one, or its
    `.items()`/`.keys()`/`.values()`), or `while True`, runs its body at least once."""
    if isinstance(loop, ast.While):
        return isinstance(loop.test, ast.Constant) and bool(loop.test.value)
    it = loop.iter
    if (
        isinstance(it, ast.Call)
        and isinstance(it.func, ast.Attribute)
        and it.func.attr in {"items", "keys", "values"}
        and not it.args
    ):
        it = it.func.value
    if isinstance(it, ast.Name):
        return it.id in literals
    if _non_empty_literal(it):
        return True
    if isinstance(it, ast.Call) and _name(it.func) == "range" and it.args:
        bounds = it.args if len(it.args) > 1 else [ast.Constant(0), it.args[0]]
        lo, hi = bounds[0], bounds[1]
        if isinstance(lo, ast.Constant) and isinstance(hi, ast.Constant):
            return isinstance(lo.value, int) and isinstance(hi.value, int) and hi.value > lo.value
    return False


def _checks_outside_loops(node: ast.AST, literals: set[str]) -> bool:
    """True when a check is reached without passing through a loop that might not run.

    Nested functions and classes are not entered: their bodies may never be called."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        loop = isinstance(child, ast.For | ast.AsyncFor | ast.While)
        if loop and not _runs_for_sure(child, literals):  # type: ignore[arg-type]
            # The loop's else branch runs whenever the loop ends without break: it counts.
            orelse: list[ast.stmt] = child.orelse  # type: ignore[attr-defined]
            if any(_is_check(st) or _checks_outside_loops(st, literals) for st in orelse):
                return True
            continue
        if _is_check(child) or _checks_outside_loops(child, literals):
            return True
    return False


def _vacuous(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    literals = _literal_names(tree)
    return [
        fn
        for fn in _test_functions(tree)
        if not _is_hypothesis(fn) and not _checks_outside_loops(fn, literals)
    ]


def vacuous_tests(paths: list[Path]) -> list[str]:
    """`path:line name` of every test whose checks can all be skipped by an empty loop."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}" for fn in _vacuous(tree)]
    return found


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if ".venv" not in p.parts)


def test_every_test_checks_something_outside_a_loop() -> None:
    files = _test_files()
    assert len(files) > 50  # the walk found the suite
    vacuous = vacuous_tests(files)
    assert not vacuous, (
        "these tests assert only inside loops that may not run, or not at all; "
        "assert the loop ran (e.g. `assert rows` first) or check outside it:\n" + "\n".join(vacuous)
    )


def _vacuous_source(source: str) -> list[str]:
    return [fn.name for fn in _vacuous(ast.parse(source))]


def test_the_rule_tells_real_checks_from_empty_loops() -> None:
    source = """
WORDS = ("a", "b")
NONE = ()

def test_nothing():
    f()

def test_loop_only(rows):
    for row in rows:
        assert row

def test_loop_shown_to_run(rows):
    assert rows
    for row in rows:
        assert row

def test_literal_loop():
    for x in (1, 2):
        assert x

def test_empty_literal_loop():
    for x in ():
        assert x

def test_loop_over_a_named_literal():
    for word in WORDS:
        assert word

def test_loop_over_an_empty_named_literal():
    for word in NONE:
        assert word

def test_loop_over_a_starred_only_list(rows):
    for row in [*rows]:
        assert row

@given(st.text())
def test_property(text):
    parse(text)

def test_raises():
    with pytest.raises(ValueError):
        f()

def test_helper():
    check_totals(1)

def test_nested_def_does_not_count():
    def inner():
        assert False

def test_assert_in_if():
    if x:
        assert y

class TestThings:
    def test_method_loop_only(self, rows):
        for row in rows:
            assert row
"""
    assert _vacuous_source(source) == [
        "test_nothing",
        "test_loop_only",
        "test_empty_literal_loop",
        "test_loop_over_an_empty_named_literal",
        "test_loop_over_a_starred_only_list",
        "test_nested_def_does_not_count",
        "test_method_loop_only",
    ]


def test_a_test_fed_by_the_report_fixture_is_marked_slow() -> None:
    import pytest

    from tests.conftest import pytest_collection_modifyitems

    class Item:
        def __init__(self, *fixtures: str) -> None:
            self.fixturenames = list(fixtures)
            self.marks: list[str] = []

        def add_marker(self, mark: pytest.MarkDecorator) -> None:
            self.marks.append(mark.name)

    fed, indirect, plain = Item("report_db"), Item("api", "report_db"), Item("settings")
    pytest_collection_modifyitems([fed, indirect, plain])  # type: ignore[list-item]
    assert (fed.marks, indirect.marks, plain.marks) == (["slow"], ["slow"], [])
