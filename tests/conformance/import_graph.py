"""forksafe's import graph, read from the source with ``ast`` (nothing is imported).

Every ``import``/``from ... import`` statement inside the package becomes an edge, resolved to the
module it loads (``from . import _events`` is the submodule, ``from . import connect`` the package).
An edge is ``eager`` when it runs at import time (module level, not under ``if TYPE_CHECKING:``),
``lazy`` when it runs later (inside a function), and ``typing`` when it only serves type checkers.
"""

from __future__ import annotations

import ast
import os
from typing import NamedTuple

import forksafe

PACKAGE = "forksafe"
ROOT = os.path.dirname(os.path.abspath(forksafe.__file__))


class Edge(NamedTuple):
    source: str
    target: str
    kind: str  # "eager", "lazy" or "typing"
    line: int


def modules() -> dict[str, str]:
    """Every module of the package: dotted name -> file."""
    found = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), ROOT)[: -len(".py")].split(os.sep)
            if rel[-1] == "__init__":
                rel = rel[:-1]
            found[".".join([PACKAGE, *rel])] = os.path.join(folder, name)
    return found


def _is_package(module: str, known: dict[str, str]) -> bool:
    return known[module].endswith("__init__.py")


def _resolve(source: str, level: int, name: str, known: dict[str, str]) -> str:
    if level == 0:
        return name
    base = source.split(".")
    if not _is_package(source, known):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, str]]:
    """(import statement, "eager"/"lazy"/"typing") for every import in ``tree``."""
    found: list[tuple[ast.stmt, str]] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, kind))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, "typing" if kind == "typing" else "lazy")
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), "typing")
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), kind)
            else:
                visit(child, kind)

    visit(tree, "eager")
    return found


def edges() -> list[Edge]:
    known = modules()
    found = []
    for source, path in known.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        for stmt, kind in _imports(tree):
            targets: list[str] = []
            if isinstance(stmt, ast.Import):
                targets = [alias.name for alias in stmt.names]
            else:
                base = _resolve(source, stmt.level, stmt.module or "", known)
                for alias in stmt.names:
                    candidate = f"{base}.{alias.name}"
                    targets.append(candidate if candidate in known else base)
            for target in targets:
                # ``import forksafe.x.y`` loads the deepest module the package has
                while target not in known and "." in target and target.split(".")[0] == PACKAGE:
                    target = target.rsplit(".", 1)[0]
                if target in known and target != source:
                    found.append(Edge(source, target, kind, stmt.lineno))
    return found
