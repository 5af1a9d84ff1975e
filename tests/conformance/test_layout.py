"""Layout: layers import downwards only, no import cycles, driver adapters are pure data, one
errors module, and the public API is ``forksafe.__all__`` plus the documented modules.

The import graph is read from the source with ``ast`` (``import_graph``), so a lazy import
inside a function counts as much as one at the top: a cycle that only closes at call time is
still a cycle between layers. Each module is also imported alone, in a fresh interpreter.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from typing import Any

import import_graph as graph
import pytest
from conf_kit import program_env

# The layers, bottom to top: a module may import its own layer and those below, never above.
# Layer 0 holds the fork machinery and the leaves every layer shares (errors, the policy value,
# where-in-user-code, events, redaction), none of which imports anything of forksafe's.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("fork", ("_fork", "errors", "_policy", "_origin", "_events", "_redact", "_log", "_types", "_extras")),
    ("quarantine", ("_quarantine", "_fds")),
    ("drivers", ("_drivers", "_async_drivers")),
    ("ownership/proxy", ("_ownership", "_recipe", "_session", "_tracking", "_proxy", "_native", "_connect",
                         "_async", "_async_later", "_async_leases", "_async_loops",
                         "")),  # "": the package itself, forksafe/__init__.py (eager imports only)
    ("pool", ("_pool", "_pool_slots", "_pool_observer")),
    ("zero-code/integrations", ("_patch", "integrations", "_bootstrap", "_async_zero_code", "_audit")),
    ("CLI", ("cli", "__main__", "run", "demo", "lint")),
]
# Scripts, not modules: running them is their whole job (``python -m forksafe``; the
# sitecustomize ``forksafe run`` puts on PYTHONPATH).
SCRIPTS = {"forksafe.__main__", "forksafe._bootstrap.sitecustomize"}
DB_DRIVERS = {"MySQLdb", "pymysql", "mysql", "psycopg2", "psycopg", "sqlite3", "_sqlite3"}
DOCUMENTED_MODULES = {"forksafe.errors", "forksafe.integrations", "forksafe.lint"}
# Public-looking modules that still hold internals (issue 13 item 6 wants them private): none are
# left; listed here so no new one slips in.
NOT_YET_PRIVATE: dict[str, str] = {}


def _layer_of(module: str) -> int:
    rest = module[len(graph.PACKAGE) + 1:] if module != graph.PACKAGE else ""
    top = rest.split(".", 1)[0]
    for index, (_, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def test_every_module_has_a_layer() -> None:
    for module in graph.modules():
        _layer_of(module)


def test_layers_import_only_downwards() -> None:
    upward = [f"{e.source} (layer {LAYERS[_layer_of(e.source)][0]}) imports {e.target} (layer "
              f"{LAYERS[_layer_of(e.target)][0]}) at line {e.line} ({e.kind})"
              for e in graph.edges() if e.kind != "typing" and _layer_of(e.target) > _layer_of(e.source)]
    assert upward == []


def test_no_import_cycles() -> None:
    """No cycle of import-time imports at all (the import order would then matter); lazy imports
    may close a cycle only inside one layer (``_proxy.__reduce__`` importing ``_connect``)."""
    eager = [e for e in graph.edges() if e.kind == "eager"]
    assert _cycles(eager) == []
    for cycle in _cycles([e for e in graph.edges() if e.kind != "typing"]):
        assert len({_layer_of(m) for m in cycle}) == 1, f"a cycle across layers: {cycle}"


def _cycles(edges: list[graph.Edge]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    adjacent: dict[str, set[str]] = {}
    for e in edges:
        adjacent.setdefault(e.source, set()).add(e.target)
        adjacent.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(adjacent[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(adjacent):
        if node not in index:
            visit(node)
    return found


def test_driver_adapters_import_nothing_of_forksafe_nor_any_driver() -> None:
    known = graph.modules()
    outside = [e for e in graph.edges() if e.source.startswith("forksafe._drivers")
               and not e.target.startswith("forksafe._drivers")]
    assert outside == []
    for module, path in known.items():
        if not module.startswith("forksafe._drivers"):
            continue
        with open(path) as f:
            tree = ast.parse(f.read())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
        assert not imported & DB_DRIVERS, f"{module} imports a driver: {imported & DB_DRIVERS}"


def test_one_errors_module() -> None:
    """Every exception class of the library layers is defined in forksafe.errors (the CLI's own
    usage errors stay with the CLI)."""
    cli = len(LAYERS) - 1
    elsewhere = []
    for module, path in graph.modules().items():
        if module == "forksafe.errors" or _layer_of(module) == cli:
            continue
        with open(path) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            is_error = [isinstance(b, ast.Name) and b.id.endswith(("Error", "Exception", "Warning"))
                        for b in getattr(node, "bases", [])]
            if isinstance(node, ast.ClassDef) and any(is_error):
                elsewhere.append(f"{module}.{node.name}")
    assert elsewhere == []


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=program_env(), capture_output=True, text=True,
                          timeout=60)


def test_each_module_imports_alone_in_a_fresh_interpreter() -> None:
    names = sorted(m for m in graph.modules() if m not in SCRIPTS)
    running: list[tuple[str, subprocess.Popen[str]]] = []
    failed = []
    for name in names + [""]:
        while running and (len(running) >= 4 or not name):
            module, proc = running.pop(0)
            _, err = proc.communicate(timeout=60)
            if proc.returncode != 0:
                failed.append(f"{module}: {err.strip().splitlines()[-1:]}")
        if name:
            argv = [sys.executable, "-W", "ignore", "-c", f"import {name}"]
            proc = subprocess.Popen(argv, env=program_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE,
                                    text=True)
            running.append((name, proc))
    assert failed == []


def test_import_forksafe_loads_no_driver_and_neither_pool_nor_zero_code() -> None:
    ran = _fresh("import sys, forksafe; print(sorted(m for m in sys.modules if m.split('.')[0] in "
                 f"{sorted(DB_DRIVERS)!r} or m in ('forksafe._pool', 'forksafe._patch')))")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def _public_surface() -> dict[str, Any]:
    code = ("import forksafe, json, types\n"
            "out = {}\n"
            "for n in dir(forksafe):\n"
            "    if n.startswith('_'): continue\n"
            "    v = getattr(forksafe, n)\n"
            "    out[n] = 'module' if isinstance(v, types.ModuleType) else getattr(v, '__module__', None)\n"
            "print(json.dumps({'names': out, 'all': forksafe.__all__,\n"
            "                  'resolves': [n for n in forksafe.__all__ if hasattr(forksafe, n)]}))\n")
    ran = _fresh(code)
    assert ran.returncode == 0, ran.stderr
    import json

    return dict(json.loads(ran.stdout))


def test_public_api_is_exactly_all() -> None:
    surface = _public_surface()
    assert surface["resolves"] == surface["all"], "a name in __all__ does not resolve"
    ours = {n for n, where in surface["names"].items()
            if where != "module" and isinstance(where, str) and where.startswith("forksafe")}
    assert ours <= set(surface["all"]), f"public names not in __all__: {sorted(ours - set(surface['all']))}"


def _entry_point_modules() -> set[str]:
    """Modules the ``forksafe`` command and the plugins name (pyproject, cli.SUBCOMMANDS)."""
    import tomllib  # Python 3.11+; this test runs on the main interpreter

    root = os.path.dirname(os.path.dirname(graph.ROOT))
    found = {"forksafe.__main__"}
    with open(os.path.join(root, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    targets = list(project.get("scripts", {}).values())
    for group in project.get("entry-points", {}).values():
        targets += list(group.values())
    found |= {t.split(":")[0] for t in targets}
    from forksafe.cli import SUBCOMMANDS

    found |= {module for module, _ in SUBCOMMANDS.values()}
    return found


def test_public_looking_modules_are_documented_or_entry_points() -> None:
    entry = _entry_point_modules()
    public_looking = set()
    for module in graph.modules():
        parts = module.split(".")
        if any(p.startswith("_") and not p.startswith("__") for p in parts[1:]) or module == graph.PACKAGE:
            continue
        if module in entry or any(module == d or module.startswith(d + ".") for d in DOCUMENTED_MODULES):
            continue
        if any(module.startswith(e + ".") for e in entry if not e.endswith("__main__")):
            continue  # a subcommand's own package (forksafe.demo.*)
        public_looking.add(".".join(parts[:2]))
    assert public_looking == set(NOT_YET_PRIVATE), (
        "public-looking modules that are neither documented nor an entry point: "
        f"{sorted(public_looking - set(NOT_YET_PRIVATE))}; no longer public: "
        f"{sorted(set(NOT_YET_PRIVATE) - public_looking)} (update NOT_YET_PRIVATE)")


@pytest.mark.parametrize("module", sorted(DOCUMENTED_MODULES | {"forksafe.integrations.sqlalchemy",
                                                                "forksafe.integrations.django",
                                                                "forksafe.integrations.uwsgi"}))
def test_documented_modules_export_what_they_say(module: str) -> None:
    import importlib

    loaded = importlib.import_module(module)
    exported = getattr(loaded, "__all__", None)
    assert exported, f"{module} has no __all__"
    assert [n for n in exported if not hasattr(loaded, n)] == []
