"""What a fork does to state no child touches: connections other threads hold, and gRPC's core.

Two ways the parent breaks although no child uses its connection:

* **A thread holds a connection when the process forks.** The child keeps only the forking thread;
  CPython clears the other threads' states in the child, which frees their frames, and the
  connection a frame held is collected there: psycopg2, mysqlclient and SQLAlchemy's pool close
  it in their destructors and send the protocol's goodbye over the socket the parent's thread is
  still using (psycopg2 issue 829: "server closed the connection unexpectedly" in the parent).
* **gRPC is active in the parent when it forks.** gRPC's core keeps threads and polling state per
  process; without ``GRPC_ENABLE_FORK_SUPPORT`` a child's calls hang once the parent has used a
  channel, even on a channel the child made itself (grpc/grpc#13873).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from . import codes, knowledge
from .entries import Entry, kwarg
from .scopes import FuncInfo, iter_scope
from .taint import Origin

if TYPE_CHECKING:
    from .analysis import Analyzer

_THREADS = frozenset({"threading.Thread", "threading.Timer"})
_GRPC = "gRPC channel"


def _fork_sites(analyzer: Analyzer) -> list[tuple[ast.Call, Optional[FuncInfo], str]]:
    """(the call that forks, the function holding it, how it is named) for this module's forks."""
    sites: list[tuple[ast.Call, Optional[FuncInfo], str]] = []
    for entry in analyzer.found.entries:
        call = _call_at(analyzer, entry)
        if call is not None:
            sites.append((call, entry.site_func, entry.via))
    for call, func in analyzer.found.fork_calls:
        sites.append((call, func, f"{ast.unparse(call.func)}() at line {call.lineno}"))
    return sites


def _call_at(analyzer: Analyzer, entry: Entry) -> Optional[ast.Call]:
    if not entry.site_line:
        return None  # the engine forks (Celery, a preloaded server): not a line of this module
    return next((s.call for s in analyzer.index.calls if s.func is entry.site_func
                 and s.call.lineno == entry.site_line), None)


def _target(analyzer: Analyzer, call: ast.Call, scope: Optional[FuncInfo]) -> Optional[FuncInfo]:
    target = kwarg(call, "target", 1)
    return analyzer.index.function_named(target.id, scope) if isinstance(target, ast.Name) else None


def _joined(analyzer: Analyzer, thread: ast.Call, scope: Optional[FuncInfo], before: int) -> bool:
    """``t.join()`` between the thread's start and the fork, in the same function."""
    return any(line < before for line in analyzer.index.later_method_calls(thread, scope, "join"))


def scan_threads(analyzer: Analyzer) -> None:
    """A thread started before a fork in the same function, still running there, whose function
    (or what it calls) keeps a connection that closes when collected."""
    forks = _fork_sites(analyzer)
    if not forks:
        return
    for site in analyzer.index.calls:
        if analyzer.index.qualname(site.call.func) not in _THREADS:
            continue
        target = _target(analyzer, site.call, site.func)
        if target is None:
            continue
        held = _held(analyzer, target)
        if held is None:
            continue
        name, origin = held
        for call, scope, via in forks:
            if scope is site.func and call.lineno > site.call.lineno \
                    and not _joined(analyzer, site.call, scope, call.lineno):
                text = (f"{origin.kind or 'connection'} '{name}' ({origin.describe()}) is held by thread "
                        f"'{target.name}' (Thread(target=...) at line {site.call.lineno}), still running "
                        f"when {via} forks: the child frees the other threads' frames, and the connection's "
                        "destructor closes it over the socket the parent's thread is using")
                analyzer._report(call, codes.THREAD_CONN_AT_FORK, text, origin)


def _held(analyzer: Analyzer, func: FuncInfo) -> Optional[tuple[str, Origin]]:
    """A local of ``func`` (or of a function it reaches) bound to a connection that closes when
    collected."""
    for reached, _, _ in analyzer.reach([func]).values():
        for name, origin in analyzer.taint.local.get(id(reached), {}).items():
            if origin.kind in knowledge.CLOSED_WHEN_COLLECTED:
                return name, origin
    return None


def scan_grpc(analyzer: Analyzer) -> None:
    """A child that makes a gRPC channel of its own after the parent used one before forking."""
    uses = _parent_grpc(analyzer)
    if not uses:
        return
    for entry in analyzer.found.entries:
        parent = next((origin for origin, scope, line in uses if scope is not entry.site_func
                       or not entry.site_line or line < entry.site_line), None)
        if parent is None:
            continue
        for func, _, _ in analyzer.reach([entry.func]).values():
            for node in iter_scope(func.body):
                if isinstance(node, ast.Call) \
                        and analyzer.taint.clients.get(analyzer.index.qualname(node.func) or "") == _GRPC:
                    text = (f"gRPC channel made in the child ({ast.unparse(node.func)}() in {func.name}()) "
                            f"after the parent used its own ({parent.describe()}) before "
                            f"{entry.via} forked: gRPC's core cannot follow a fork once a channel is "
                            "active, and the child's calls hang")
                    analyzer._report(node, codes.GRPC_ACTIVE_AT_FORK, text, parent)


def _parent_grpc(analyzer: Analyzer) -> list[tuple[Origin, Optional[FuncInfo], int]]:
    """Calls the parent makes through a gRPC client: (the client, the function, the line). One in
    the function that forks counts only before the fork; one elsewhere, wherever it is."""
    return [(found, func, call.lineno) for func, call, _, found in analyzer.parent_method_calls()
            if found is not None and found.kind == _GRPC]
