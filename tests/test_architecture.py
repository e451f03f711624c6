"""The shape of the code: one direction of dependencies and no import cycles.

* ``scrapers/`` fetches and parses: it imports neither ``tracker`` nor Flask nor
  SQLAlchemy.
* No import cycle among the modules of ``tracker/`` and ``scrapers/``, counting
  the imports a module runs when it is loaded (module level; an import inside a
  function runs later and is left out).  A blueprint package importing its
  route modules at the end of its ``__init__`` (the one import point, each of
  which imports ``bp`` from the package) is the one allowed loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.nodb  # no database: the sqlite part of make test runs these

PACKAGES = ("tracker", "scrapers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def module_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in tree.body:  # module level only
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if not target or target == name:
                continue
            if is_package and target.startswith(name + "."):
                continue  # the package's one import point of its own modules
            out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: module_level_imports(path, name, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_scrapers_import_no_app_database_or_web_code() -> None:
    bad = {}
    for name, path in modules().items():
        if not name.startswith("scrapers"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for imported in names:
                if imported.split(".")[0] in ("tracker", "flask", "sqlalchemy", "flask_sqlalchemy"):
                    bad.setdefault(name, []).append(imported)
    assert bad == {}


def test_today_is_asked_in_one_place() -> None:
    """The record's dates are Minnesota's: every "today" in the app is
    ``tracker.localtime.today()``, never the server's clock (``date.today()``, a
    naive ``datetime.now()``), which on a UTC server runs six hours ahead of
    Minnesota every evening."""
    server_clock = {"today": ("date", "datetime"), "now": ("datetime",)}
    bad = []
    for name, path in modules().items():
        if name == "tracker.localtime":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value  # dt.date (Attribute) or date (Name)
            called_on = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            arguments = node.args or node.keywords  # now(dt.UTC) is an instant, not a day
            if called_on in server_clock.get(node.func.attr, ()) and not arguments:
                bad.append(f"{name}:{node.lineno}")
    assert bad == []
