"""Where connection-like objects are made: module globals, function locals, globals set from inside a
function, and ``self.X`` set in ``__init__``.

A name is tainted when it is bound to a known connect call (see knowledge.py), to a call of one of the
module's own functions that returns such a call (a factory), or to something derived from a tainted
name that shares its socket (``conn.cursor()``, ``engine.connect()``, ``client.db``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Optional

from . import knowledge
from .scopes import FuncInfo, ModuleIndex, iter_scope, iter_statements


@dataclass(frozen=True)
class Origin:
    """Where a connection-like object bound to ``name`` was made."""

    name: str
    line: int
    what: str
    chainable: bool = False  # attribute/item access gives another connection-like object (pymongo)
    root: Optional[str] = None  # the name this object was derived from (``Session`` -> ``engine``)
    main_guard: bool = False  # made under ``if __name__ == "__main__":`` (not when imported)


Env = Callable[[str], Optional[Origin]]
Made = tuple[str, bool, Optional[str]]  # (what, chainable, root name)


def _main_guard_lines(tree: ast.Module) -> list[tuple[int, int]]:
    """Line spans of top-level ``if __name__ == "__main__":`` bodies."""
    spans: list[tuple[int, int]] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Compare) \
                and isinstance(stmt.test.left, ast.Name) and stmt.test.left.id == "__name__" \
                and len(stmt.test.comparators) == 1 and isinstance(stmt.test.comparators[0], ast.Constant) \
                and stmt.test.comparators[0].value == "__main__":
            spans.append((stmt.body[0].lineno, stmt.body[-1].end_lineno or stmt.body[-1].lineno))
    return spans


def _root_of(origin: Origin) -> str:
    return origin.root or origin.name


def _root(node: ast.AST) -> Optional[ast.Name]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def _bindings(stmt: ast.stmt) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(target, value) pairs a statement binds."""
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            yield target, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        yield stmt.target, stmt.value
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            if item.optional_vars is not None:
                yield item.optional_vars, item.context_expr


class Taint:
    def __init__(self, index: ModuleIndex, lazy: bool = False) -> None:
        self.index = index
        self.factories: dict[str, str] = {}
        self.module: dict[str, Origin] = {}
        self.local: dict[int, dict[str, Origin]] = {}
        self.global_in_func: list[tuple[FuncInfo, Origin]] = []
        self.init_attrs: dict[int, dict[str, Origin]] = {}  # id(ClassDef) -> attr -> origin
        if lazy:
            return
        self._find_factories()
        self._scan(index.tree.body, self._module_env, into=self.module)
        guarded = _main_guard_lines(index.tree)
        for name, origin in list(self.module.items()):
            if any(start <= origin.line <= end for start, end in guarded):
                self.module[name] = replace(origin, main_guard=True)
        for info in index.funcs.values():
            self._function(info)
        for cls_id, methods in index.methods.items():
            init = methods.get("__init__")
            if init is not None:
                self.init_attrs[cls_id] = self._self_attrs(init)

    # -- environments -----------------------------------------------------------------------------
    def _module_env(self, name: str) -> Optional[Origin]:
        return self.module.get(name)

    def env_for(self, func: Optional[FuncInfo]) -> Env:
        def env(name: str) -> Optional[Origin]:
            owner = self.index.resolve(name, func)
            if owner is None:
                return self.module.get(name)
            return self.local.get(id(owner), {}).get(name)

        return env

    # -- classification ---------------------------------------------------------------------------
    def conn_expr(self, expr: ast.AST, env: Env) -> Optional[Made]:
        """(what, chainable, root) if ``expr`` makes or derives a connection-like object."""
        if isinstance(expr, ast.Await):
            return self.conn_expr(expr.value, env)
        if isinstance(expr, ast.IfExp):
            return self.conn_expr(expr.body, env) or self.conn_expr(expr.orelse, env)
        if isinstance(expr, ast.BoolOp):
            for value in expr.values:
                found = self.conn_expr(value, env)
                if found:
                    return found
            return None
        if isinstance(expr, ast.Call):
            qual = self.index.qualname(expr.func)
            if qual in knowledge.SAFE_CALLS:
                return None
            if qual in knowledge.CONNECT_CALLS:
                return f"{qual}()", qual is not None and "MongoClient" in qual, None
            if isinstance(expr.func, ast.Name) and expr.func.id in self.factories \
                    and qual is None:
                return f"{expr.func.id}() -> {self.factories[expr.func.id]}", False, None
            if qual in knowledge.WRAPPING_CALLS:
                for arg in list(expr.args) + [k.value for k in expr.keywords]:
                    wrapped = env(arg.id) if isinstance(arg, ast.Name) else None
                    if wrapped is not None:
                        return f"{qual}({wrapped.name})", False, _root_of(wrapped)
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in knowledge.DERIVED_METHODS:
                root = _root(expr.func.value)
                origin = env(root.id) if root is not None else None
                if origin is not None:
                    return f"{ast.unparse(expr.func)}()", origin.chainable, _root_of(origin)
            return None
        if isinstance(expr, (ast.Attribute, ast.Subscript)):
            root = _root(expr)
            origin = env(root.id) if root is not None else None
            if origin is not None and origin.chainable:
                return ast.unparse(expr), True, _root_of(origin)
        return None

    # -- scans ------------------------------------------------------------------------------------
    def _scan(self, body: list[ast.stmt], env: Env, into: Optional[dict[str, Origin]] = None,
              only: Optional[set[str]] = None) -> dict[str, Origin]:
        found: dict[str, Origin] = {} if into is None else into
        for stmt in iter_statements(body):
            for target, value in _bindings(stmt):
                if not isinstance(target, ast.Name) or (only is not None and target.id not in only):
                    continue
                made = self.conn_expr(value, env)
                if made is not None:
                    found[target.id] = Origin(target.id, stmt.lineno, *made)
        return found

    def _function(self, info: FuncInfo) -> None:
        if isinstance(info.node, ast.Lambda):
            return
        local: dict[str, Origin] = {}
        self.local[id(info)] = local
        self._scan(list(info.node.body), self.env_for(info), into=local, only=info.locals)
        if info.globals:
            made = self._scan(list(info.node.body), self.env_for(info), only=info.globals)
            self.global_in_func.extend((info, origin) for origin in made.values())

    def _self_attrs(self, init: FuncInfo) -> dict[str, Origin]:
        attrs: dict[str, Origin] = {}
        env = self.env_for(init)
        for stmt in iter_statements(list(init.body)):  # type: ignore[arg-type]
            for target, value in _bindings(stmt):
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "self":
                    made = self.conn_expr(value, env)
                    if made is not None:
                        attrs[target.attr] = Origin(f"self.{target.attr}", stmt.lineno, made[0])
        return attrs

    def _find_factories(self) -> None:
        """Module functions that return a fresh connection; two rounds catch a factory of a factory."""
        for _ in range(2):
            for name, info in self.index.module_funcs.items():
                if name in self.factories:
                    continue
                if isinstance(info.node, ast.Lambda):
                    continue
                local: dict[str, Origin] = {}
                body = list(info.node.body)
                self._scan(body, local.get, into=local)
                for node in iter_scope(body):
                    if isinstance(node, ast.Return) and node.value is not None:
                        made = self.conn_expr(node.value, local.get)
                        if made is not None:
                            self.factories[name] = made[0]
                            break
