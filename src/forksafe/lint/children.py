"""What a forked child runs and what it is handed: the statements after ``os.fork()`` that the child
executes (pid tests recognised), and the parts of an argument whose object itself crosses to the child.
Pure functions over ``ast``, used by the analysis."""

from __future__ import annotations

import ast
from typing import Callable, Iterator, Optional, Sequence

from .scopes import comprehension_names


def passed_items(expr: ast.AST) -> Iterator[ast.AST]:
    """Expressions whose *object itself* is handed over (``(conn,)``, ``[conn] * 3``, ``{"c": conn}``,
    ``make_conn()``), not ones only used to compute a value (``conn.dsn``, ``f(conn)``)."""
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        for elt in expr.elts:
            yield from passed_items(elt)
    elif isinstance(expr, ast.Dict):
        for value in expr.values:
            yield from passed_items(value)
    elif isinstance(expr, ast.Starred):
        yield from passed_items(expr.value)
    elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        bound = comprehension_names(expr)  # ``[market for market in rows]``: not the global ``market``
        yield from (item for item in passed_items(expr.elt)
                    if not (isinstance(item, ast.Name) and item.id in bound))
    elif isinstance(expr, ast.BinOp):
        yield from passed_items(expr.left)
        yield from passed_items(expr.right)
    elif isinstance(expr, (ast.Name, ast.Call, ast.Subscript)):  # ``connections[i]``: an element
        yield expr


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


def fork_regions(body: list[ast.stmt], call: ast.Call,
                 after: Sequence[ast.stmt] = ()) -> list[list[ast.stmt]]:
    """The statements that run in the child after ``call`` (an ``os.fork()`` inside ``body``);
    ``after`` is what follows ``body``'s enclosing statement (``pid = os.fork()`` inside ``try:``, then
    ``if pid == 0:`` after it)."""
    for i, stmt in enumerate(body):
        header: list[ast.AST] = []
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) and stmt.value is not None:
            header = [stmt.value]
        elif isinstance(stmt, ast.If):
            header = [stmt.test]
        if isinstance(stmt, (ast.With, ast.AsyncWith)) \
                and any(node is call for item in stmt.items for node in ast.walk(item.context_expr)):
            return [list(stmt.body) + list(body[i + 1:]) + list(after)]  # ``with DaemonContext():``
        if any(node is call for h in header for node in ast.walk(h)):
            rest = list(body[i + 1:]) + list(after)
            if isinstance(stmt, ast.If):
                branch = _child_branch(stmt.test, None, call, stmt)
                if branch is None:
                    return [stmt.body, stmt.orelse]
                return [_child_goes_on(stmt, branch, rest)]
            targets = stmt.targets if isinstance(stmt, ast.Assign) else \
                [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            pid = targets[0].id if targets and isinstance(targets[0], ast.Name) else None
            for j, later in enumerate(rest):
                if isinstance(later, ast.If) and pid is not None:
                    branch = _child_branch(later.test, pid, call, later)
                    if branch is not None:
                        return [_child_goes_on(later, branch, rest[j + 1:])]
            return [rest]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for block in _blocks(stmt):
            found = fork_regions(block, call, list(body[i + 1:]) + list(after))
            if found:
                return found
    return []


_EXITS = frozenset({"sys.exit", "os._exit", "exit", "quit"})


def _child_goes_on(test: ast.If, branch: list[ast.stmt], rest: list[ast.stmt]) -> list[ast.stmt]:
    """The child's branch of a pid check, and what follows the ``if`` when the parent's branch ends
    the parent (``if os.fork(): os._exit(0)``, a daemon's fork): the child goes on from there."""
    parent = test.orelse if branch is test.body else test.body
    ends = parent and any(_exits(node, _plain_name) for node in ast.walk(parent[-1]))
    return list(branch) + list(rest) if ends else list(branch)


def _plain_name(node: ast.AST) -> Optional[str]:
    """``os._exit`` / ``sys.exit`` / ``exit`` as written (no import table at hand here)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else None


def daemonizes(body: list[ast.stmt], forks: list[ast.Call], qualname: Callable[[ast.AST], Optional[str]]) \
        -> bool:
    """Does this function body fork and end the parent (``if os.fork(): sys.exit(0)``, the classic
    double fork of a daemon)? Then whatever its caller does after calling it runs in the child."""
    for call in forks:
        pid: Optional[str] = None
        for stmt in _walk_statements(body):
            if isinstance(stmt, ast.Assign) and stmt.value is call and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name):
                pid = stmt.targets[0].id
            if not isinstance(stmt, ast.If):
                continue
            branch = _child_branch(stmt.test, pid, call, stmt)
            if branch is None:
                continue
            parent = stmt.body if branch is stmt.orelse else stmt.orelse
            if any(_exits(node, qualname) for s in parent for node in ast.walk(s)):
                return True
    return False


def _exits(node: ast.AST, qualname: Callable[[ast.AST], Optional[str]]) -> bool:
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exc, ast.Name) and exc.id == "SystemExit"
    if isinstance(node, ast.Call):
        name = qualname(node.func) or (node.func.id if isinstance(node.func, ast.Name) else None)
        return name in _EXITS
    return False


def _walk_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for block in _blocks(stmt):
            yield from _walk_statements(block)


def _blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(stmt, "handlers", []) or []:
        yield handler.body
    for case in getattr(stmt, "cases", []) or []:
        yield case.body
