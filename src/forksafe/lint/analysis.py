"""Join where connections are made (taint.py) with where other processes start (entries.py).

From each entry the module's own functions it refers to are followed (``helper()``, ``self.m()``,
nested defs), and every name they read is resolved with Python's scoping rules: the worker's own
locals are safe; a module global or an enclosing (parent) function's local bound to a connection is a
finding at the line that reads it.
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from . import codes
from .entries import KIND_LABEL, Entries, Entry, EntryFinder
from .findings import Finding
from .scopes import FuncInfo, ModuleIndex, iter_scope
from .taint import Origin, Taint

_KIND_CODE = {
    "process": codes.MODULE_CONN_IN_CHILD,
    "pool": codes.MODULE_CONN_IN_CHILD,
    "executor": codes.MODULE_CONN_IN_CHILD,
    "init": codes.MODULE_CONN_IN_CHILD,
    "run": codes.MODULE_CONN_IN_CHILD,
    "celery": codes.CONN_IN_TASK,
    "rq": codes.CONN_IN_TASK,
    "fork": codes.CONN_AFTER_FORK,
}


def passed_names(expr: ast.AST) -> Iterator[ast.Name]:
    """Names whose *object itself* is handed over (``(conn,)``, ``[conn] * 3``, ``{"c": conn}``),
    not names only used to compute a value (``conn.dsn``, ``f(conn)``)."""
    if isinstance(expr, ast.Name):
        yield expr
    elif isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        for elt in expr.elts:
            yield from passed_names(elt)
    elif isinstance(expr, ast.Dict):
        for value in expr.values:
            yield from passed_names(value)
    elif isinstance(expr, ast.Starred):
        yield from passed_names(expr.value)
    elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        yield from passed_names(expr.elt)
    elif isinstance(expr, ast.BinOp):
        yield from passed_names(expr.left)
        yield from passed_names(expr.right)


def _is_pid(node: ast.AST, pid: Optional[str], call: ast.Call) -> bool:
    return node is call or (pid is not None and isinstance(node, ast.Name) and node.id == pid)


def _child_branch(test: ast.AST, pid: Optional[str], call: ast.Call,
                  stmt: ast.If) -> Optional[list[ast.stmt]]:
    """The branch of ``if <test>`` that the child runs, if the test is a recognisable pid check."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and _is_pid(test.operand, pid, call):
        return stmt.body
    if _is_pid(test, pid, call):
        return stmt.orelse
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right, op = test.left, test.comparators[0], test.ops[0]
        zero = [n for n in (left, right) if isinstance(n, ast.Constant) and n.value == 0]
        if zero and (_is_pid(left, pid, call) or _is_pid(right, pid, call)):
            if isinstance(op, (ast.Eq, ast.LtE)):
                return stmt.body
            if isinstance(op, (ast.NotEq, ast.Gt)):
                return stmt.orelse
    return None


def fork_regions(body: list[ast.stmt], call: ast.Call) -> list[list[ast.stmt]]:
    """The statements that run in the child after ``call`` (an ``os.fork()`` inside ``body``)."""
    for i, stmt in enumerate(body):
        header: list[ast.AST] = []
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) and stmt.value is not None:
            header = [stmt.value]
        elif isinstance(stmt, ast.If):
            header = [stmt.test]
        if any(node is call for h in header for node in ast.walk(h)):
            if isinstance(stmt, ast.If):
                branch = _child_branch(stmt.test, None, call, stmt)
                return [branch] if branch is not None else [stmt.body, stmt.orelse]
            rest = body[i + 1:]
            targets = stmt.targets if isinstance(stmt, ast.Assign) else \
                [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            pid = targets[0].id if targets and isinstance(targets[0], ast.Name) else None
            for later in rest:
                if isinstance(later, ast.If) and pid is not None:
                    branch = _child_branch(later.test, pid, call, later)
                    if branch is not None:
                        return [branch]
            return [rest]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for block in _blocks(stmt):
            found = fork_regions(block, call)
            if found:
                return found
    return []


def _blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(stmt, "handlers", []) or []:
        yield handler.body
    for case in getattr(stmt, "cases", []) or []:
        yield case.body


class Analyzer:
    def __init__(self, tree: ast.Module, path: str) -> None:
        self.path = path
        self.index = ModuleIndex(tree)
        self.found: Entries = EntryFinder(self.index).run()
        self.results: dict[tuple[int, int, str], Finding] = {}
        self.empty = not (self.found.entries or self.found.process_classes or self.found.fork_calls)
        # Most files start no process: skip the taint pass entirely for them.
        self.taint = Taint(self.index, lazy=self.empty)
        for cls, method in self.found.process_classes:
            run = self.index.methods.get(id(cls), {}).get("run")
            if run is not None:
                self.found.entries.append(Entry(run, "run", f"{cls.name}.run", method))
        self.child_side: set[int] = set()
        for entry in self.found.entries:
            self.child_side.update(id(f) for f in self.reach([entry.func]))
        self.globals = self._global_origins()
        self.reset = self._reset_names()

    # -- facts --------------------------------------------------------------------------------------
    def reach(self, start: list[FuncInfo]) -> list[FuncInfo]:
        """``start`` and every function of this module they refer to, transitively."""
        seen: dict[int, FuncInfo] = {id(f): f for f in start}
        todo = list(start)
        while todo:
            func = todo.pop()
            for node in iter_scope(func.body):
                target: Optional[FuncInfo] = None
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    target = self.index.function_named(node.id, func)
                elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id in ("self", "cls"):
                    target = self.index.method_of(func, node.attr)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    target = self.index.funcs.get(id(node))
                if target is not None and id(target) not in seen:
                    seen[id(target)] = target
                    todo.append(target)
        return list(seen.values())

    def _global_origins(self) -> dict[str, Origin]:
        """Module globals bound to a connection in the parent: at module level, or inside a function
        that the parent runs (called from module level or from a function no child runs)."""
        origins = dict(self.taint.module)
        callers: dict[int, list[Optional[FuncInfo]]] = {}
        for site in self.index.calls:
            if isinstance(site.call.func, ast.Name):
                callee = self.index.function_named(site.call.func.id, site.func)
                if callee is not None:
                    callers.setdefault(id(callee), []).append(site.func)
        for func, origin in self.taint.global_in_func:
            if any(c is None or id(c) not in self.child_side for c in callers.get(id(func), [])):
                origins.setdefault(origin.name, origin)
        return origins

    def _reset_names(self) -> set[str]:
        """Globals the child side re-initialises: SQLAlchemy's ``engine.dispose(close=False)``."""
        reset: set[str] = set()
        for site in self.index.calls:
            func = site.call.func
            if site.func is not None and id(site.func) in self.child_side \
                    and isinstance(func, ast.Attribute) and func.attr == "dispose" \
                    and isinstance(func.value, ast.Name) \
                    and any(k.arg == "close" and isinstance(k.value, ast.Constant) and k.value.value is False
                            for k in site.call.keywords):
                reset.add(func.value.id)
        return reset

    # -- reporting ------------------------------------------------------------------------------------
    def _report(self, node: ast.AST, code: codes.Code, text: str) -> None:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        key = (line, col, code.code)
        if key not in self.results:
            self.results[key] = Finding(self.path, line, col, code.code, f"{text}; fix: {code.fix}")

    def findings(self) -> list[Finding]:
        if self.empty:
            return []
        for entry in self.found.entries:
            self._scan_entry(entry)
        for passed in self.found.passed:
            self._scan_passed(passed.expr, passed.scope, passed.via)
        for call, func in self.found.fork_calls:
            self._scan_fork(call, func)
        return sorted(self.results.values())

    def _origin(self, name: str, owner: Optional[FuncInfo]) -> Optional[Origin]:
        if owner is None:
            origin = self.globals.get(name)
            if origin is None or name in self.reset or origin.root in self.reset:
                return None
            return origin
        return self.taint.local.get(id(owner), {}).get(name)

    def _scan_entry(self, entry: Entry) -> None:
        code = _KIND_CODE[entry.kind]
        label = KIND_LABEL[entry.kind]
        where = f"{label} '{entry.func.name}' ({entry.via})"
        import_only = entry.method == "forkserver"
        if import_only:
            where += ", forked from the forkserver that imported this module"
        reachable = self.reach([entry.func])
        inside = {id(f) for f in reachable}
        init_attrs: dict[str, Origin] = {}
        cls = entry.func.cls
        if entry.kind == "run" and cls is not None:
            init_attrs = self.taint.init_attrs.get(id(cls), {})
        for func in reachable:
            for node in iter_scope(func.body):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    owner = self.index.resolve(node.id, func)
                    if owner is func or (owner is not None and
                                         (id(owner) in inside or id(owner) in self.child_side)):
                        continue
                    origin = self._origin(node.id, owner)
                    if origin is None or (import_only and (owner is not None or origin.main_guard
                                                          or self.taint.module.get(node.id) is not origin)):
                        continue
                    made = "at module level" if owner is None else f"in parent function '{owner.name}'"
                    self._report(node, code, f"connection '{node.id}' ({origin.what}, made {made} at line "
                                 f"{origin.line}) is used in {where}")
                elif init_attrs and isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) \
                        and isinstance(node.value, ast.Name) and node.value.id == "self" \
                        and node.attr in init_attrs and cls is not None and func.cls is cls:
                    origin = init_attrs[node.attr]
                    self._report(node, codes.INIT_CONN_IN_RUN,
                                 f"connection self.{node.attr} ({origin.what}, made in "
                                 f"{cls.name}.__init__ at line {origin.line}, in the parent) "
                                 f"is used in {entry.via}")

    def _scan_passed(self, expr: ast.AST, scope: Optional[FuncInfo], via: str) -> None:
        for name in passed_names(expr):
            owner = self.index.resolve(name.id, scope)
            origin = self._origin(name.id, owner)
            if origin is not None:
                self._report(name, codes.CONN_PASSED_TO_CHILD,
                             f"connection '{name.id}' ({origin.what}, line {origin.line}) is passed to a "
                             f"child via {via}")

    def _scan_fork(self, call: ast.Call, func: Optional[FuncInfo]) -> None:
        body: list[ast.stmt] = list(func.node.body) if func is not None and \
            not isinstance(func.node, ast.Lambda) else self.index.tree.body if func is None else []
        for region in fork_regions(body, call):
            rebound = {n.id for s in region for n in iter_scope([s])
                       if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            called: list[FuncInfo] = []
            for node in iter_scope(list(region)):
                if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                    continue
                target = self.index.function_named(node.id, func)
                if target is not None:
                    called.append(target)
                if node.id in rebound:
                    continue
                owner = self.index.resolve(node.id, func)
                origin = self._origin(node.id, owner)
                if origin is None or (owner is func and origin.line >= call.lineno):
                    continue
                self._report(node, codes.CONN_AFTER_FORK,
                             f"connection '{node.id}' ({origin.what}, line {origin.line}) is made before "
                             f"os.fork() at line {call.lineno} and used in the child")
            if called:
                where = f"os.fork() child (line {call.lineno})"
                for helper in self.reach(called):
                    self._scan_helper(helper, where)

    def _scan_helper(self, func: FuncInfo, where: str) -> None:
        for node in iter_scope(func.body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and self.index.resolve(node.id, func) is None:
                origin = self._origin(node.id, None)
                if origin is not None:
                    self._report(node, codes.CONN_AFTER_FORK,
                                 f"connection '{node.id}' ({origin.what}, line {origin.line}) is made "
                                 f"before fork and used in '{func.name}', called in the {where}")


def analyze(tree: ast.Module, path: str) -> list[Finding]:
    return Analyzer(tree, path).findings()
