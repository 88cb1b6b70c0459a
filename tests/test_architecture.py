"""The import contract, checked statically on the source: a pure domain, no import cycles, small modules.

* `studyapp/domain/` imports neither the web framework nor the database layer (Flask, Werkzeug,
  SQLAlchemy, `studyapp.models`, `studyapp.services`, `studyapp.extensions`): it is plain values in,
  plain values out, testable without an app.
* No import cycle between studyapp's modules: every import statement counts, at module level or inside
  a function (a deferred import hides a cycle, it does not remove it).
* No module over MAX_LINES lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "studyapp"
MAX_LINES = 400
DOMAIN_MAY_NOT_IMPORT = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "flask_limiter",
                         "werkzeug", "sqlalchemy", "studyapp.models", "studyapp.services", "studyapp.extensions",
                         "studyapp.db_setup")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name an import statement in the module names (absolute; `from a import b` gives a and a.b)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def owning_module(name: str) -> str | None:
    """The studyapp module an imported name resolves to (a.b.Thing -> a.b), or None outside studyapp."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {owning_module(n) for n in imported_names(name, path)}
        # Importing one's own parent package is implied by Python anyway: not an edge of interest.
        graph[name] = {t for t in targets if t and t != name and not name.startswith(t + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("studyapp.domain")))
def test_domain_imports_neither_flask_nor_the_database(name):
    names = imported_names(name, MODULES[name])
    bad = sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in DOMAIN_MAY_NOT_IMPORT))
    assert bad == [], f"{name} imports {bad}: studyapp/domain must stay pure"


def test_no_import_cycles():
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_no_module_over_the_line_limit():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert over == {}, f"modules over {MAX_LINES} lines: {over}"
