"""Join where connections are made (taint.py) with where other processes start (entries.py).

From each entry the module's own functions it refers to are followed (``helper()``, ``self.m()``,
``Cls.m()``, nested defs), remembering who called whom so a finding can print the path; every name
they read is resolved with Python's scoping rules: the worker's own locals are safe; a module global
or an enclosing (parent) function's local bound to a connection is a finding at the line that reads
it. Calls into other modules of the project use what those modules export (``Exports``).
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from typing import Mapping, Optional, Protocol, Sequence

from . import codes, knowledge
from .children import fork_regions, passed_items
from .config import Settings
from .entries import KIND_LABEL, Entries, Entry, EntryFinder, ForkingParameter, Passed, runs_rq_worker
from .findings import Finding
from .forkstate import scan_grpc, scan_threads
from .orm import opens_django, scan_orm, scan_ready_in_master, scan_rq_worker_parent
from .scopes import FuncInfo, ModuleIndex, is_singleton, iter_scope, parent_signal_handlers, pid_guards
from .taint import Origin, Taint, parameter_for, root_name

_KIND_CODE = {
    "process": codes.MODULE_CONN_IN_CHILD,
    "pool": codes.MODULE_CONN_IN_CHILD,
    "executor": codes.MODULE_CONN_IN_CHILD,
    "init": codes.MODULE_CONN_IN_CHILD,
    "run": codes.MODULE_CONN_IN_CHILD,
    "server": codes.MODULE_CONN_IN_CHILD,
    "loader": codes.MODULE_CONN_IN_CHILD,
    "celery": codes.CONN_IN_TASK,
    "rq": codes.CONN_IN_TASK,
    "fork": codes.CONN_AFTER_FORK,
    "thread": codes.THREAD_CONN_AT_FORK,
}


class Externals(Protocol):
    """What other modules of the project export, looked up by qualified name."""

    def value(self, qual: str) -> Optional[Origin]:
        """``pkg.db.conn`` -> its origin; ``pkg.db.make()`` -> what calling it gives (fresh or global)."""

    def inherited(self, qual: str) -> list[Origin]:
        """Connections made at import time that calling ``qual`` touches (a getter's, a helper's)."""

    def setters(self, qual: str) -> set[str]:
        """``module.global`` names that calling ``qual`` may set lazily."""

    def lazy_uses(self, qual: str) -> list[tuple[str, Origin]]:
        """Lazily set globals (``module.global``, origin) that calling ``qual`` reads."""

    def singleton(self, qual: str) -> Optional[Origin]:
        """The client held by the one instance of singleton class ``qual``, if it is one."""

    def star_names(self, module: str) -> list[str]:
        """The names ``from module import *`` binds that matter here (what the module exports)."""

    def resets(self, qual: str) -> list[Origin]:
        """Connections of other modules that calling ``qual`` in a child renews for that child."""

    def self_uses(self, qual: str) -> list[Origin]:
        """Clients method ``qual`` (``pkg.mod.Cls.method``) reads from its instance."""

    def orm_helper(self, qual: str) -> bool:
        """Does ``qual`` (another module's function) query an ORM that connects implicitly?"""

    def loaded_in_parent(self, qual: str) -> bool:
        """Does some module of the project import the module ``qual`` is in at its top level (so the
        parent has loaded it before forking)? True when unknown."""

    def documents_connected(self) -> Optional[Origin]:
        """Where some module's import connects mongoengine's default client, if one does."""

    def used_at_import(self) -> frozenset[tuple[str, int]]:
        """(path, line) of clients some module's import calls through (the parent used them)."""

    def bound_at_import(self) -> frozenset[tuple[str, int]]:
        """(path, line) of holders some module's import binds to an app (``db.init_app(app)``)."""

    def bound_somewhere(self) -> frozenset[tuple[str, int]]:
        """(path, line) of holders some code of the project binds to an app, wherever it runs."""

    def binds(self, qual: str) -> list[tuple[str, int]]:
        """(path, line) of the holders calling another module's function ``qual`` binds to an app."""

    def set_at_import_globals(self) -> frozenset[str]:
        """Lazily set globals of the project that some module's import sets (``initialize()``)."""

    def guard_position(self, qual: str) -> Optional[int]:
        """The engine parameter's position if ``qual`` guards the engine it is given (pid listener)."""

    def disposed_in_workers(self) -> frozenset[tuple[str, int]]:
        """(path, line) of clients some module's ``worker_process_init`` handler disposes."""

    def daemonizers(self) -> frozenset[str]:
        """Qualified names of the project's functions that fork and end the parent."""

    def forking(self) -> Mapping[str, Sequence[ForkingParameter]]:
        """The project's functions that start one of their parameters in a child, by qualified name."""

    def calls_forking(self, imports: frozenset[str]) -> bool:
        """Does a module importing ``imports`` import one of them?"""

    def guarded(self) -> frozenset[tuple[str, int]]:
        """(path, line) of other modules' clients guarded by SQLAlchemy's pid-checking listener."""

    def orm_connector(self, qual: str) -> bool:
        """Does ``qual`` (another module's function) connect an ORM's default client (mongoengine)?"""

    def app_config_helper(self, label: str, method: str) -> bool:
        """Does method ``method`` of the app ``label``'s ``AppConfig`` query the ORM?"""

    def orm_project(self) -> bool:
        """Does the project use Django's ORM (connections opened implicitly, per process)?"""

    def app_attribute(self, attr: str) -> Optional[Origin]:
        """What some module's web app holds as ``attr`` (``current_app.db``)."""

    def passed_in(self, qual: str) -> list[tuple[object, Origin]]:
        """(position or keyword, client) that other modules pass to function ``qual`` when they call it."""

    def served_after_fork(self, module: str) -> Optional[tuple[str, frozenset[str]]]:
        """(how we know, the paths of the modules its master loaded) if gunicorn's workers import
        ``module`` after forking from a master that loaded other project modules first."""


# A path from an entry to a function it reaches: (function, caller, line of the call in the caller).
Path = dict[int, tuple[FuncInfo, Optional[FuncInfo], int]]


_PID_GUARD = "pid guard"  # a _Reset method: SQLAlchemy's "checkout" listener comparing os.getpid()


class _Reset:
    """A call that drops a holder's inherited sockets (``engine.dispose(close=False)``,
    ``connections.close_all()``): where it is and whether it is the child-side recipe."""

    __slots__ = ("call", "close_false", "func", "line", "method")

    def __init__(self, func: Optional[FuncInfo], line: int, close_false: bool, method: str,
                 call: Optional[ast.Call] = None) -> None:
        self.func, self.line, self.close_false, self.method = func, line, close_false, method
        self.call = call  # the call itself, where it is one (``engine.dispose()``)


def _close_false(call: ast.Call) -> bool:
    """``dispose(close=False)``: SQLAlchemy's way to drop inherited sockets without closing them."""
    return any(k.arg == "close" and isinstance(k.value, ast.Constant) and k.value.value is False
               for k in call.keywords)


def _opens(origin: Optional[Origin], call: ast.Call) -> bool:
    """Does this method call go through the client (open a lazy one)? A holder whose methods connect
    (``db.initialize()``, ``Session.init_app(app)``) only by one of those; any other object by any
    method but setup (``db.init_app(app)``) and the names of its classes (``db.Column(...)``)."""
    attr = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if _configures(call):
        return False
    if origin is not None and origin.opened_by:
        return attr in origin.opened_by
    return knowledge.opens_by_method(attr)


def _configures(call: ast.Call) -> bool:
    """``session.headers.update(...)``: a call on a client's settings (``knowledge.SETTINGS_ATTRIBUTES``)."""
    holder = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(holder, ast.Attribute) and holder.attr in knowledge.SETTINGS_ATTRIBUTES


def _renews_in_child(method: str, kind: str) -> bool:
    """Does calling ``method`` in a child give it a connection of its own (``dispose``; peewee's
    ``connect()``)? One rule for calls in this module and for other modules' helpers."""
    return method == "dispose" or method in knowledge.RESET_IN_CHILD_BY_KIND.get(kind, ())


def _lazily_set(func: FuncInfo) -> set[int]:
    """Stores under ``if X is None:`` / ``if not X:`` of the same name: a lazy initialiser, which
    a child that inherited the object does not run again."""
    found: set[int] = set()
    for node in iter_scope(func.body):
        if not isinstance(node, ast.If):
            continue
        test = node.test
        names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)}
        is_none = isinstance(test, ast.Compare) and any(isinstance(op, (ast.Is, ast.Eq)) for op in test.ops) \
            and any(isinstance(c, ast.Constant) and c.value is None for c in test.comparators)
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        guard = is_none or negated or isinstance(test, ast.BoolOp)
        if guard:
            found.update(id(n) for stmt in node.body for n in ast.walk(stmt)
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in names)
    return found


# a method call the parent makes: (its function, the call, the module global it starts from, the
# tracked object it is made on)
ParentCall = tuple[Optional[FuncInfo], ast.Call, Optional[str], Optional[Origin]]


class Analyzer:
    def __init__(self, tree: ast.Module, path: str, settings: Optional[Settings] = None,
                 module: str = "", package: bool = False, externals: Optional[Externals] = None,
                 extra: Sequence[tuple[str, str, str]] = (), want_exports: bool = False,
                 preload: Optional[str] = None, at_import: frozenset[str] = frozenset(),
                 rq_loaded: bool = False,
                 imported_pools: Optional[Mapping[str, tuple[str, int]]] = None) -> None:
        self.path = path
        self.settings = settings or Settings()
        self.externals = externals
        self.index = ModuleIndex(tree, module, package)
        # an RQ worker process loaded this module before forking horses (it runs one, or a module
        # that does imports it): only then are its import-time clients inherited by RQ jobs
        self.rq_loaded = rq_loaded or (any(q.split(".")[0] == "rq" for q in self.index.imports.values())
                                       and runs_rq_worker(tree, self.index.imports))
        preload = preload or self.settings.preloaded(path, module)
        # gunicorn's workers import it after the fork: only what the master loaded before is inherited
        after_fork = externals.served_after_fork(module) if externals is not None else None
        self.inherited_from: Optional[frozenset[str]] = after_fork[1] \
            if after_fork is not None and preload == after_fork[0] else None
        self.preloaded_by = preload  # how we know a server's master imports it, then forks its workers
        self.preloaded = preload is not None
        self.at_import = at_import  # qualified names of the project's functions run at import
        self.found: Entries = EntryFinder(self.index, preload, extra, at_import, imported_pools or {},
                                          externals.daemonizers() if externals is not None
                                          else frozenset(),
                                          externals.forking() if externals is not None else {}).run()
        self.results: dict[tuple[int, int, str], Finding] = {}
        self.empty = not (self.found.entries or self.found.process_classes or self.found.fork_calls
                          or self.found.passed or self.found.bound or self.found.master_threads)
        # Most files start no process: skip the taint pass entirely for them.
        self.taint = Taint(self.index, self.settings.clients, self.settings.safe,
                           externals.value if externals is not None else None,
                           lazy=self.empty and not want_exports,
                           passed_in=externals.passed_in if externals is not None else None,
                           lazy_clients=self.settings.lazy_clients)
        for cls, method in self.found.process_classes:
            run = self.index.methods.get(id(cls), {}).get("run")
            if run is not None:
                line, scope = self._started_at(cls)
                self.found.entries.append(Entry(run, "run", f"{cls.name}.run", method, line, scope,
                                                self_parent=True))
        self.child_side: set[int] = set()
        self.parent_setters: set[int] = set()  # functions that set a connection global for the parent
        for entry in self.found.entries:
            self.child_side.update(self.reach([entry.func]))
        self._parent_called: dict[tuple[str, Optional[str]], bool] = {}  # memo of _parent_calls
        self._parent_called_funcs: Optional[set[int]] = None  # memo of _called_by_parent
        self._parent_through: dict[frozenset[str], bool] = {}  # memo of _parent_calls_through
        self._helper_uses: Optional[set[tuple[str, int]]] = None  # memo of _parent_helper_uses
        self._django_opened_memo: dict[bool, bool] = {}
        self._parent_calls_on_memo: dict[tuple[str, int, str, bool], bool] = {}
        self._parent_method_calls: dict[bool, list[ParentCall]] = {}
        self.globals = self._global_origins()
        self.pid_guards = pid_guards(tree)
        self.resets = self._resets()
        self._returns_in: dict[int, set[int]] = {}
        self._parent_sets: Optional[set[str]] = None
        self._ext_uses: dict[int, list[Origin]] = {}
        self._child_renews: Optional[set[tuple[str, int]]] = None
        self._direct_binds: Optional[dict[Optional[int], list[tuple[str, int]]]] = None  # see _binds_here

    # -- facts --------------------------------------------------------------------------------------
    def reach(self, start: list[FuncInfo]) -> Path:
        """``start`` and every function of this module they refer to, transitively, each with the
        function that first referred to it and the line."""
        seen: Path = {id(f): (f, None, 0) for f in start}
        todo = list(start)
        while todo:
            func = todo.pop(0)
            nodes = list(iter_scope(func.body))
            # a class runs its ``__init__`` when called, not when named (``UDF.QUEUE_CLOSED``)
            called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
            for node in nodes:
                target: Optional[FuncInfo] = None
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    target = self.index.function_named(node.id, func)
                    if target is None and node.id in self.index.classes and id(node) in called \
                            and self.index.resolve(node.id, func) is None:
                        target = self.index.methods.get(id(self.index.classes[node.id]), {}).get("__init__")
                elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    if node.value.id in ("self", "cls"):
                        target = self.index.method_of(func, node.attr)
                    elif node.value.id in self.index.classes \
                            and self.index.resolve(node.value.id, func) is None:
                        methods = self.index.methods.get(id(self.index.classes[node.value.id]), {})
                        target = methods.get(node.attr)
                    elif (given := self.index.param_classes(func).get(node.value.id)) is not None:
                        target = self.index.methods.get(id(given), {}).get(node.attr)  # ``run.start()``
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    target = self.index.funcs.get(id(node))
                if target is not None and id(target) not in seen:
                    seen[id(target)] = (target, func, getattr(node, "lineno", 0))
                    todo.append(target)
        return seen

    def _started_at(self, cls: ast.ClassDef) -> tuple[int, Optional[FuncInfo]]:
        """Where this module starts instances of the process class ``cls``: a ``.start()`` in the
        function that makes them or in another method of its class (``workers_start()``), else where
        they are made; (0, None) when this module does not make any."""
        made = next((s for s in self.index.calls
                     if isinstance(s.call.func, ast.Name) and s.call.func.id == cls.name), None)
        if made is None:
            return 0, None
        starts = [s for s in self.index.calls if isinstance(s.call.func, ast.Attribute)
                  and s.call.func.attr == "start" and not s.call.args and s.func is not None]
        for site in starts:
            if site.func is made.func or (made.func is not None and made.func.cls is not None
                                          and site.func is not None and site.func.cls is made.func.cls):
                return site.call.lineno, site.func
        return made.call.lineno, made.func

    def _global_origins(self) -> dict[str, Origin]:
        """Module globals bound to a connection in the parent: at module level, or inside a function
        that the parent runs (called from module level or from a function no child runs)."""
        origins = dict(self.taint.module)
        callers: dict[int, list[Optional[FuncInfo]]] = {}
        for site in self.index.calls:
            for callee in self.index.callees(site):  # also ``DB.instance()``, ``args.func(args)``
                callers.setdefault(id(callee), []).append(site.func)
        handlers = parent_signal_handlers(self.index)  # Celery's worker_init: the main worker process
        for func, _ in handlers.values():
            callers.setdefault(id(func), []).append(None)
        for cls in self.index.all_classes:  # an RQ worker's methods run in the worker: the parent
            if any(self.index.qualname(b) in knowledge.RQ_WORKERS for b in cls.bases):
                for method in self.index.methods.get(id(cls), {}).values():
                    callers.setdefault(id(method), []).append(None)
        called = self._called_by_parent()  # a child's function the parent runs too (``work()``)

        def parent_runs(caller: Optional[FuncInfo]) -> bool:
            return caller is None or id(caller) not in self.child_side or id(caller) in called

        for func, origin in self.taint.global_in_func:
            if any(parent_runs(c) for c in callers.get(id(func), [])):
                if id(func) in handlers and id(func) not in self.child_side:
                    origin = replace(origin, steps=origin.steps + (
                        f"set by {func.name}(), a {handlers[id(func)][1]} handler, which the main worker "
                        "process runs before forking its pool",))
                origins.setdefault(origin.name, origin)
                self.parent_setters.add(id(func))
        for (owner, attr), origin in self.taint.class_stores.items():  # ``cls._instance = connect()``
            scope = self.taint.class_store_scopes.get((owner, attr))
            if owner not in origins and scope is not None and any(
                    parent_runs(c) for c in callers.get(id(scope), [])):
                origins[owner] = replace(origin, name=owner, chainable=True, steps=origin.steps + (
                    f"kept as {owner}.{attr} by {scope.name}(), which the parent calls",))
        for name, info in self.index.module_funcs.items():  # ``@lru_cache def get_db()``: one object
            cache = _cache_decorator(self.index, info)
            if cache is not None and name not in origins and self._parent_calls(name):
                made = self.taint.returns(info)
                if made is not None:
                    origins[name] = replace(made, name=name, chainable=True, steps=made.steps + (
                        f"cached by @{cache}: the parent called {name}() first, and a child's call "
                        "returns the parent's object",))
        for cls in self.index.classes.values():
            if cls.name not in origins and self.taint.class_attrs.get(id(cls)) and is_singleton(cls) \
                    and self._parent_calls(cls.name):
                call = next(s.call for s in self.index.calls if isinstance(s.call.func, ast.Name)
                            and s.call.func.id == cls.name)
                held = self.taint.instance(cls, call)
                if held is not None:
                    origins[cls.name] = replace(held, name=cls.name, steps=held.steps + (
                        f"{cls.name} is a singleton: the child's {cls.name}() is the parent's instance",))
        for local, qual in self.index.imports.items():  # ``from py2neo import Graph``
            made = next((o for o in self.taint.module.values() if o.what == f"{qual}()"), None) \
                if qual in knowledge.SHARED_INSTANCES and local not in origins else None
            if made is not None:
                origins[local] = replace(made, name=local, steps=made.steps + (
                    f"{qual} hands back the instance the process already has: the child's {local}() "
                    "is the parent's",))
        for cls in self.index.classes.values():
            if self.taint.body_attrs.get(id(cls)) and cls.name not in origins:
                held = self.taint.value(ast.Name(id=cls.name, ctx=ast.Load()), self.taint.env_for(None))
                if held is not None:
                    origins[cls.name] = replace(held, name=cls.name)
        return origins

    def _renews(self, func: FuncInfo, globals_: dict[str, Origin]) -> list[Origin]:
        """Module globals ``func`` gives a connection of its own when a child calls it."""
        found: list[Origin] = []
        for node in iter_scope(func.body):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in globals_ \
                    and self.index.resolve(node.func.value.id, func) is None:
                origin = globals_[node.func.value.id]
                if _renews_in_child(node.func.attr, origin.kind):
                    found.append(origin)
            elif isinstance(node, ast.Call) and self.externals is not None:  # ``store.connect()`` of an
                for qual in self._external_targets(node, func):               # imported instance
                    found.extend(o for o in self.externals.resets(qual) if o not in found)
        return found

    def _parent_calls(self, name: str, qual: Optional[str] = None) -> bool:
        """Does the parent side call ``name`` (a module class) or ``qual`` (another module's)?"""
        key = (name, qual)
        if key not in self._parent_called:
            self._parent_called[key] = self._calls_in_parent(name, qual)
        return self._parent_called[key]

    def _parent_calls_through(self, names: frozenset[str]) -> bool:
        """Does the parent side (import-time code, functions no child runs) call a method through one
        of these globals or a handle on it (``session.query(...)``, ``books.find()``; not
        ``Session()``, which makes a new object)? Then it has used the connection before forking."""
        if names not in self._parent_through:
            self._parent_through[names] = any(
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and (root := root_name(node.func.value)) is not None and root.id in names
                and self.index.resolve(root.id, func) is None
                for func, body in self._parent_bodies() for node in iter_scope(body))
        return self._parent_through[names]

    def _parent_used(self, origin: Origin, import_only: bool = False) -> bool:
        """Has the parent used a lazy client, directly or through a handle derived from it (``books =
        client.db.books``), so that it connected? Here, or (another module's client) at the import of
        a module of the project (``db.create_all()`` in the ``create_app()`` a module calls). When
        the engine forks (a Celery worker, a preloaded server) the parent is only the import: a
        view function that sends a request runs in the workers, not before the fork."""
        if origin.kind.startswith("Django") and self._django_opened(import_only):
            return True  # a query or ``transaction.atomic()`` opened Django's connection in the parent
        if not import_only and origin.path and self._parent_helper_uses(origin):
            return True  # the parent called another module's helper that goes through it
        used = self.externals.used_at_import() if self.externals is not None else frozenset()
        if (origin.path or self.path, origin.line) in used:  # some module's import (or master hook)
            return True
        return self._parent_calls_on(origin, import_only)

    def _bound_only_in_children(self, origin: Origin, import_only: bool) -> bool:
        """Is this holder bound to an app (``knowledge.BOUND_BY``) somewhere in the project, but by no
        code the parent runs? Flask-SQLAlchemy's ``db = SQLAlchemy()`` has no engine until
        ``db.init_app(app)``; when only the children build the app (``create_app()`` in a
        ``worker_process_init`` handler or a task's base class), each makes an engine of its own.
        Where the engine forks (a Celery worker, a preloaded server: every entry here is forked by
        it), the parent is only the import."""
        key = (origin.path or self.path, origin.line)
        externals = self.externals
        if key not in self._binds_here() and (externals is None or key not in externals.bound_somewhere()):
            return False  # bound nowhere we can see (``SQLAlchemy(app)``, or the app module not given)
        if externals is not None and key in externals.bound_at_import():
            return False
        import_only = import_only or (bool(self.found.entries) and not self.found.fork_calls
                                      and all(e.site_line == 0 for e in self.found.entries))
        parent = self._parent_code(import_only)
        return not any(key in self._binds_through(func, body) for func, body in parent)

    def _binds_here(self) -> set[tuple[str, int]]:
        """(path, line) of the holders some code of this module binds to an app, wherever it runs."""
        return {b for found in self._direct_bindings().values() for b in found}

    def _direct_bindings(self) -> dict[Optional[int], list[tuple[str, int]]]:
        """id of each function (None: the module's top level) -> the holders it binds itself."""
        if self._direct_binds is None:
            found: dict[Optional[int], list[tuple[str, int]]] = {}
            if any(o.kind in knowledge.BOUND_BY for o in self.taint.module.values()):
                top = self.binds_in(None, list(self.index.tree.body))
                found = {None: top} if top else {}
                found.update((id(f), b) for f in self.index.funcs.values()
                             if not isinstance(f.node, ast.Lambda) and (b := self.binds_in(f, f.body)))
            self._direct_binds = found
        return self._direct_binds

    def _binds_through(self, func: Optional[FuncInfo], body: list[ast.AST]) -> set[tuple[str, int]]:
        """The holders ``body`` binds to an app: itself (``db.init_app(app)``) or through another
        module's function it calls (``create_app()``)."""
        bound = set(self.binds_in(func, body))
        if self.externals is not None:
            bound.update(b for node in iter_scope(body) if isinstance(node, ast.Call)
                         for qual in self._external_targets(node, func) for b in self.externals.binds(qual))
        return bound

    def _parent_helper_uses(self, origin: Origin) -> bool:
        """Does the parent call another module's function that uses the client (``pending()`` of a
        helper module whose body runs ``connection.cursor()``)?"""
        if self.externals is None:
            return False
        if self._helper_uses is None:  # (path, line) of what the parent's calls of helpers use
            self._helper_uses = {(o.path, o.line) for func, body in self._parent_bodies()
                                 for node in iter_scope(body) if isinstance(node, ast.Call)
                                 for qual in self._external_targets(node, func)
                                 for o in self.externals.inherited(qual)}
        return (origin.path, origin.line) in self._helper_uses

    def _django_opened(self, import_only: bool) -> bool:
        """Does the parent open Django's connection itself (``orm.opens_django``)?"""
        if import_only not in self._django_opened_memo:
            self._django_opened_memo[import_only] = any(
                opens_django(self.index, node) for _, body in self._parent_code(import_only)
                for node in iter_scope(body))
        return self._django_opened_memo[import_only]

    def _parent_code(self, import_only: bool) -> list[tuple[Optional[FuncInfo], list[ast.AST]]]:
        """The parent's code: the module's own, the functions it calls (although a child runs them
        too) and, unless ``import_only`` (the engine forks after the import), every function no child
        runs."""
        called = self._called_by_parent()
        module: list[tuple[Optional[FuncInfo], list[ast.AST]]] = [(None, list(self.index.tree.body))]
        return module + [
            (info, info.body) for info in self.index.funcs.values()
            if not isinstance(info.node, ast.Lambda) and (
                id(info) in called or (not import_only and id(info) not in self.child_side))]

    def _parent_calls_on(self, origin: Origin, import_only: bool) -> bool:
        """Does code the parent runs call a method on the object, however it reaches it there: a
        global (``session.get``), a wrapper (``cached.get`` of ``CacheControl(session)``), a class
        attribute (``cls.session.get`` in a classmethod), a parameter the parent passed it in?"""
        key = (origin.path or self.path, origin.line, origin.what, import_only)
        if key not in self._parent_calls_on_memo:
            names = frozenset(n for n, o in self.taint.module.items() if o.line == origin.line
                              and o.what == origin.what and (o.path or self.path) == key[0])
            self._parent_calls_on_memo[key] = any(
                ((root is not None and root in names)
                 or (found is not None and (found.path or self.path, found.line, found.what) == key[:3]))
                and _opens(origin, call)
                for _, call, root, found in self.parent_method_calls(import_only))
        return self._parent_calls_on_memo[key]

    def parent_method_calls(self, import_only: bool = False) -> list[ParentCall]:
        """Every method call the parent makes (``x.m(...)``; not ``db.init_app(app)`` or a column type
        ``db.Column``), with the module global it starts from and the tracked object it is made on.
        The parent's code: the module's own, the functions it calls (although a child runs them too:
        ``get(cached)`` before ``Process(target=get)``) and, unless ``import_only`` (the engine forks
        after the import: a Celery worker, a preloaded server), every function no child runs."""
        if import_only not in self._parent_method_calls:
            calls: list[ParentCall] = []
            for func, body in self._parent_code(import_only):
                env = self.taint.env_for(func)
                for node in iter_scope(body):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                        root = root_name(node.func.value)
                        name = root.id if root is not None and self.index.resolve(root.id, func) is None \
                            else None
                        if _opens(self.taint.module.get(name) if name else None, node):
                            calls.append((func, node, name, self.taint.value(node.func.value, env)))
            self._parent_method_calls[import_only] = calls
        return self._parent_method_calls[import_only]

    def _import_runs(self) -> list[tuple[Optional[FuncInfo], list[ast.AST]]]:
        """The code this module's import runs: its top level and the functions that calls (and the
        gunicorn master hooks it defines), each with its body."""
        start = [f for s in self.index.calls if s.func is None and isinstance(s.call.func, ast.Name)
                 and (f := self.index.module_funcs.get(s.call.func.id)) is not None]
        start += self.index.master_hooks()
        runs: list[tuple[Optional[FuncInfo], list[ast.AST]]] = [(None, list(self.index.tree.body))]
        return runs + [(func, func.body) for func, _, _ in self.reach(start).values()
                       if not isinstance(func.node, ast.Lambda)]

    def used_at_import(self) -> list[tuple[str, int]]:
        """(path, line) of the clients this module's import calls through (at module level or in the
        functions module-level code calls): what other modules' ``_parent_used`` asks."""
        used: list[tuple[str, int]] = []
        for func, body in self._import_runs():
            used += [u for u in self._calls_through_clients(func, body) if u not in used]
        return used

    def bound_at_import(self) -> list[tuple[str, int]]:
        """(path, line) of the holders this module's import binds to an app (``knowledge.BOUND_BY``)."""
        bound: list[tuple[str, int]] = []
        for func, body in self._import_runs():
            bound += [b for b in self.binds_in(func, body) if b not in bound]
        return bound

    def binds_in(self, func: Optional[FuncInfo], body: list[ast.AST]) -> list[tuple[str, int]]:
        """(path, line) of the module's holders ``body`` binds to an app itself (``db.init_app(app)``):
        the process that runs it is the one that makes their engine."""
        bound: list[tuple[str, int]] = []
        for node in iter_scope(body):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)):
                continue
            holder = node.func.value.id
            origin = self.taint.module.get(holder) if self.index.resolve(holder, func) is None else None
            if origin is not None and knowledge.BOUND_BY.get(origin.kind) == node.func.attr \
                    and (key := (origin.path or self.path, origin.line)) not in bound:
                bound.append(key)
        return bound

    def binds_by_function(self) -> dict[str, list[tuple[str, int]]]:
        """Each module function's bindings, its own and those of the functions it calls here
        (``create_app() -> register_extensions() -> db.init_app(app)``)."""
        direct = self._direct_bindings()
        if not direct:
            return {}
        binds: dict[str, list[tuple[str, int]]] = {}
        for name, func in self.index.module_funcs.items():
            found = sorted({b for reached, _, _ in self.reach([func]).values()
                            for b in direct.get(id(reached), ())})
            if found:
                binds[name] = found
        return binds

    def calls_through(self, func: FuncInfo) -> list[tuple[str, int]]:
        """(path, line) of the module's clients ``func`` calls through (``db.create_all()``)."""
        return [] if isinstance(func.node, ast.Lambda) else self._calls_through_clients(func, func.body)

    def _calls_through_clients(self, func: Optional[FuncInfo], body: list[ast.AST]) -> list[tuple[str, int]]:
        used: list[tuple[str, int]] = []
        for node in iter_scope(body):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                root = root_name(node.func.value)
                origin = self.taint.module.get(root.id) if root is not None \
                    and self.index.resolve(root.id, func) is None else None
                if origin is not None and (origin.path or self.path, origin.line) not in used \
                        and (_opens(origin, node) or not (isinstance(node.func.value, ast.Name)
                                                          or _configures(node))):
                    used.append((origin.path or self.path, origin.line))
        return used

    def _parent_bodies(self) -> list[tuple[Optional[FuncInfo], list[ast.AST]]]:
        bodies: list[tuple[Optional[FuncInfo], list[ast.AST]]] = [(None, list(self.index.tree.body))]
        bodies += [(info, info.body) for info in self.index.funcs.values()
                   if id(info) not in self.child_side and not isinstance(info.node, ast.Lambda)]
        return bodies

    def _called_by_parent(self) -> set[int]:
        """Functions the parent calls itself (from module level, transitively, by direct calls: a
        target handed to a child is not a call), although a child may run them too."""
        if self._parent_called_funcs is None:
            self._parent_called_funcs = self.index.called_from([None])
        return self._parent_called_funcs

    def _calls_in_parent(self, name: str, qual: Optional[str]) -> bool:
        for site in self.index.calls:
            if site.func is not None and id(site.func) in self.child_side \
                    and id(site.func) not in self._called_by_parent():
                continue
            func = site.call.func
            if (qual is None and isinstance(func, ast.Name) and func.id == name
                    and self.index.resolve(name, site.func) is None) \
                    or (qual is not None and self.index.qualname(func) == qual):
                return True
        return False

    def _resets(self) -> dict[str, list[_Reset]]:
        """Calls that drop a holder's sockets, by the name of the holder (``"django"`` for Django's)."""
        resets: dict[str, list[_Reset]] = {}
        renewing = knowledge.RESET_BEFORE_FORK.union(*knowledge.RESET_IN_CHILD_BY_KIND.values())
        for site in self.index.calls:
            func = site.call.func
            if not isinstance(func, ast.Attribute) or func.attr not in renewing:
                continue
            close_false = _close_false(site.call)
            qual = self.index.qualname(func.value) or ""
            root = root_name(func.value)
            keys: list[str] = []
            if qual in knowledge.IMPORTED_HOLDERS or qual.startswith("django.db"):
                keys.append("django")
            if root is not None:
                keys.append(root.id)
                origin = self.taint.module.get(root.id)
                if origin is not None and origin.kind.startswith("Django"):
                    keys.append("django")
            if isinstance(func.value, ast.Attribute):
                keys.append(ast.unparse(func.value))
            made = self.taint.external(qual) if "." in qual else None
            if made is not None and made.path:  # ``db.engine.dispose()``: another module's engine, by
                keys.append(_made_at(made))      # where it was made (its sessions say the same)
            for key in keys:
                resets.setdefault(key, []).append(
                    _Reset(site.func, site.call.lineno, close_false, func.attr, site.call))
        self._pid_guarded(resets)
        return resets

    def _pid_guarded(self, resets: dict[str, list[_Reset]]) -> None:
        """Engines guarded by SQLAlchemy's pid-checking "checkout" listener: at module level, or by a
        helper of this module or another that is given the engine (``add_engine_pidguard(engine)``)."""
        guards, guarded = self.pid_guards
        for name in guarded:
            resets.setdefault(name, []).append(_Reset(None, 0, False, _PID_GUARD))
        for site in self.index.calls:
            func = site.call.func
            position = guards.get(func.id) if isinstance(func, ast.Name) else None
            called = self.index.qualname(func) if position is None else None
            if called is not None and "." in called and self.externals is not None:
                position = self.externals.guard_position(called)
            if position is None or position >= len(site.call.args):
                continue
            arg = site.call.args[position]
            root = root_name(arg)
            made = self.taint.value(arg, self.taint.env_for(site.func))
            keys = [root.id] if root is not None else []
            if made is not None and made.path:
                keys.append(_made_at(made))
            for key in keys:
                resets.setdefault(key, []).append(_Reset(None, site.call.lineno, False, _PID_GUARD))

    def _renewed_by_child_calls(self) -> set[tuple[str, int]]:
        """(path, line) of other modules' connections that the child side renews by calling their
        module's helpers (``models.connect()`` running ``_db.connect()``)."""
        if self._child_renews is None:
            found: set[tuple[str, int]] = set()
            if self.externals is not None:
                for site in self.index.calls:
                    if site.func is not None and id(site.func) in self.child_side:
                        for qual in self._external_targets(site.call, site.func):
                            found.update((o.path, o.line) for o in self.externals.resets(qual))
            self._child_renews = found
        return self._child_renews

    def _is_reset(self, name: str, origin: Origin, entry: Optional[Entry]) -> bool:
        if origin.path and (origin.path, origin.line) in self._renewed_by_child_calls():
            return True
        guarded = self.externals.guarded() if self.externals is not None else frozenset()
        if origin.path and (origin.path, origin.line) in guarded:
            return True  # SQLAlchemy's pid guard: a child's checkout discards the parent's connection
        if entry is not None and entry.kind == "celery" and self.externals is not None \
                and (origin.path or self.path, origin.line) in self.externals.disposed_in_workers():
            return True  # the worker module's worker_process_init handler disposes it in every child
        keys = {name, origin.root or name, origin.name}
        if origin.kind.startswith("Django"):
            keys.add("django")
        made_at = _made_at(origin) if origin.path else ""
        if made_at:
            keys.add(made_at)
        for key in keys:
            for reset in self.resets.get(key, ()):
                if entry is not None and entry.site_line and reset.func is entry.site_func \
                        and reset.line < entry.site_line and not reset.close_false \
                        and reset.method in knowledge.RESET_BEFORE_FORK:
                    return True  # closed just before this fork, in the function that forks
                if reset.method == _PID_GUARD:
                    return True
                child = reset.func is not None and id(reset.func) in self.child_side
                if child:
                    # SQLAlchemy's recipes: dispose(close=False) in the child, or dispose() at its start (that
                    # one closes the inherited sockets, so the parent must not use its pool afterwards).
                    # Disposing the engine does not renew a session the parent has queried through: that
                    # session keeps its connection checked out, outside the pool.
                    session_used = key != name and key in (origin.root, made_at) \
                        and self._parent_calls_through(frozenset({name}))
                    if _renews_in_child(reset.method, origin.kind) and not session_used:
                        return True
                    continue  # Django's close()/close_all() in the child: see orm._child_closes_django
                if reset.close_false or reset.method not in knowledge.RESET_BEFORE_FORK:
                    continue  # ``x.connect()`` in the parent opens; it drops nothing before the fork
                if entry is None or entry.site_line == 0:
                    if reset.func is None or (entry is not None and entry.kind == "server"
                                              and self._master_resets_last(reset, keys)):
                        return True
                    continue
                if reset.func is entry.site_func and reset.line < entry.site_line:
                    return True
        return False

    def _master_resets_last(self, reset: _Reset, names: set[str]) -> bool:
        """A preloaded app's factory, run by the master at import, that ends its use of the holder
        with the reset (``db.create_all()`` then ``db.engine.dispose()``): the master forks its
        workers with an empty pool."""
        assert reset.func is not None
        func = reset.func
        if self.index.module_funcs.get(func.name) is not func or any(
                isinstance(node, ast.Name) and node.id in names and node.lineno > reset.line
                for node in iter_scope(func.body)):
            return False
        if f"{self.index.module}.{func.name}" in self.settings.preload_factories:
            return True  # the server calls it (``app:create_app()``) and forks right after
        # called at this module's top level, and nothing after that call touches the holder again
        # (a caller in another module might: then the reset is not known to be the last)
        calls = [site.call.lineno for site in self.index.calls if site.func is None
                 and isinstance(site.call.func, ast.Name) and site.call.func.id == func.name]
        return bool(calls) and not any(
            isinstance(node, ast.Name) and node.id in names and node.lineno > min(calls)
            for stmt in self.index.tree.body if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                       ast.ClassDef))
            for node in ast.walk(stmt))

    # -- reporting ------------------------------------------------------------------------------------
    def _report(self, node: ast.AST, code: codes.Code, text: str, origin: Origin) -> None:
        import_only = code is codes.CONN_IN_TASK or self.preloaded  # the engine forks after the import
        if origin.lazy and not self._parent_used(origin, import_only):
            return  # ``MongoClient(connect=False)`` nobody used before the fork: each child connects
        if origin.kind in knowledge.BOUND_BY and self._bound_only_in_children(origin, import_only):
            return  # ``db.init_app(app)`` only in ``worker_process_init``: each child makes its engine
        inherited = self.inherited_from
        if inherited is not None and os.path.abspath(origin.path or self.path) not in inherited:
            return  # made by the worker's own import of the app, after the fork
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        key = (line, col, code.code)
        if key not in self.results:
            self.results[key] = Finding(self.path, line, col, code.code, f"{text}; fix: {code.fix}",
                                        origin.path or self.path, origin.line)

    def findings(self) -> list[Finding]:
        scan_rq_worker_parent(self)
        scan_ready_in_master(self)
        if self.empty:
            return sorted(self.results.values())
        for entry in self.found.entries + self.found.master_threads:
            self._scan_entry(entry)
        for passed in self.found.passed:
            self._scan_passed(passed)
        for bound in self.found.bound:  # ``Process(target=bot.start)`` of another module's class
            self._scan_bound(bound)
        for call, func in self.found.fork_calls:
            self._scan_fork(call, func)
        scan_threads(self)
        scan_grpc(self)
        return sorted(self.results.values())

    def _origin(self, name: str, owner: Optional[FuncInfo], entry: Optional[Entry]) -> Optional[Origin]:
        if owner is None:
            origin = self.globals.get(name)
            if origin is None or self._is_reset(name, origin, entry):
                return None
            if entry is not None and entry.kind == "celery" and origin.kind in knowledge.CELERY_RESETS:
                return None
            return origin
        return self.taint.local.get(id(owner), {}).get(name)

    def _returned_names(self, func: FuncInfo) -> set[int]:
        key = id(func)
        if key not in self._returns_in:
            ids: set[int] = set()
            for node in iter_scope(func.body):
                if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
                    ids.update(id(n) for n in ast.walk(node.value))
            if isinstance(func.node, ast.Lambda):
                ids.update(id(n) for n in ast.walk(func.node.body))
            self._returns_in[key] = ids
        return self._returns_in[key]

    def _path_steps(self, node: ast.AST, func: FuncInfo, paths: Path) -> list[str]:
        """How a read in ``func`` is reached from the entry: innermost first."""
        steps: list[str] = []
        current: Optional[FuncInfo] = func
        first = True
        while current is not None:
            info = paths.get(id(current))
            if info is None:
                break
            _, caller, line = info
            if caller is None:
                break
            if first:
                verb = "returned by" if id(node) in self._returned_names(current) else "used in"
                steps.append(f"{verb} {current.name}()")
            steps.append(f"called in {caller.name}() at line {line}")
            first = False
            current = caller
        return steps

    def _message(self, label: str, origin: Origin, steps: list[str], where: str) -> str:
        chain = origin.describe()
        if steps:
            chain += " -> " + " -> ".join(steps)
        return f"{origin.kind or 'connection'} '{origin.name}' ({chain}) is used in {where}"

    def _scan_entry(self, entry: Entry) -> None:
        if entry.kind == "rq" and not self.rq_loaded:
            return  # ``rq worker`` imports the job's module inside the horse: its clients are the horse's
        if entry.kind == "celery" and self.settings.celery_pool(self.path):
            return  # ``celery worker --pool=solo``: tasks run in the worker process, nothing forks
        code = _KIND_CODE[entry.kind]
        label = KIND_LABEL[entry.kind]
        where = f"{label} '{entry.func.name}' ({entry.via})"
        import_only = entry.method == "forkserver"
        if import_only:
            where += ", forked from the forkserver that imported this module"
        paths = self.reach([entry.func])
        inside = set(paths)
        rebound = self._rebound_globals(paths)
        bound_here = self._rebound_holders(paths)  # (path, line) of holders the child binds to its own app
        cls = entry.func.cls
        attrs: dict[str, Origin] = {}
        if cls is not None and entry.self_parent:
            attrs = {k: v for k, v in self.taint.class_attrs.get(id(cls), {}).items()
                     if k not in self._self_assigned(paths, cls)}
        spec = entry.func.node.args if not isinstance(entry.func.node, ast.Lambda) else None
        task_names: dict[int, str] = {}  # function -> its name for the bound task's instance
        if entry.task_base is not None and spec is not None and spec.args:  # bound task, base class
            cls = entry.task_base
            task_names = self._task_instance_names(entry.func, spec.args[0].arg, paths)
            attrs = dict(self.taint.class_attrs.get(id(cls), {}))
        scan_orm(self, entry, code, where, paths)
        self._scan_child_closes(entry, code, where, paths)
        self._scan_defaults(code, where, paths)
        rebound = rebound | self._scan_dropped(entry, code, where, paths)  # its later uses are its own
        reported: set[tuple[int, str]] = set()
        for func, _, _ in paths.values():
            checks: set[int] = set()  # ``conn is None``, ``engine.url``: read the name, touch no socket
            for node in iter_scope(func.body):
                if isinstance(node, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot))
                                                         for op in node.ops):
                    checks.update(id(n) for n in [node.left, *node.comparators])
                elif isinstance(node, ast.Attribute) and node.attr in knowledge.DESCRIPTIVE_ATTRIBUTES:
                    checks.add(id(node.value))  # ``engine.url``: describes it, opens nothing
                if id(node) in checks:
                    continue
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    owner = self.index.resolve(node.id, func)
                    imports = self.taint.imported_locals.get(id(owner), {}) if owner is not None else {}
                    imported = node.id in imports
                    if not imported and (owner is func or (owner is not None and
                                         (id(owner) in inside or id(owner) in self.child_side))):
                        continue
                    if imported and owner is not None and id(owner) in inside and self.externals is not None \
                            and not self.externals.loaded_in_parent(imports[node.id]):
                        continue  # imported first in the child (no module loads it at import): its own
                    if (owner is None and node.id in rebound) or (id(func), node.id) in reported:
                        continue
                    origin = self._origin(node.id, owner, entry)
                    if origin is not None and origin.kind in knowledge.BOUND_BY \
                            and (origin.path or self.path, origin.line) in bound_here:
                        continue  # the db, or a model of it, queried under the child's own app
                    if origin is None or (import_only and (owner is not None
                                                          or not self._made_at_import(node.id, origin))):
                        continue
                    if entry.kind == "server" and entry.site_line and owner is None and not origin.path \
                            and entry.site_func is None and origin.line > entry.site_line:
                        continue  # made after tornado forked (``server.start(0)``): each process's own
                    if imported and owner is not None:
                        if self._is_reset(node.id, origin, entry):
                            continue
                        origin = replace(origin, steps=origin.steps + (f"imported in {owner.name}()",))
                    elif owner is not None:
                        origin = replace(origin, steps=origin.steps + (f"local of parent function "
                                                                       f"{owner.name}()",))
                    text = self._message(label, replace(origin, name=node.id),
                                         self._path_steps(node, func, paths), where)
                    self._report(node, code, text, origin)
                    reported.add((id(func), node.id))  # one finding per name and function
                elif attrs and isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) \
                        and isinstance(node.value, ast.Name) and node.attr in attrs and cls is not None \
                        and ((func.cls is cls and node.value.id == "self")
                             or (entry.task_base is cls and node.value.id == task_names.get(id(func)))):
                    origin = attrs[node.attr]
                    given = any(step.startswith(f"passed to {cls.name}()") for step in origin.steps)
                    made = f"held by the {cls.name} made in the parent" if given else \
                        f"made in {cls.name}.__init__, in the parent" if origin.name.startswith("self.") \
                        else f"made in the class body of {cls.name}, at import"
                    use_code = codes.CONN_PASSED_TO_CHILD if given else \
                        codes.INIT_CONN_IN_RUN if entry.kind == "run" else code
                    held = f"{node.value.id}.{node.attr}"
                    text = (f"{origin.kind or 'connection'} {held} ({origin.describe()}; {made}) "
                            f"is used in {entry.via}")
                    steps = self._path_steps(node, func, paths)
                    if steps:
                        text += " (" + " -> ".join(steps) + ")"
                    self._report(node, use_code, text, origin)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) \
                        and isinstance(node.value, ast.Name) \
                        and self.index.resolve(node.value.id, func) is None \
                        and (key := self._global_attribute(node)) is not None:
                    if (id(func), key) in reported or key in rebound:
                        continue
                    origin = self._origin(key, None, entry)
                    if origin is None or (import_only and not self._made_at_import(key, origin)):
                        continue
                    text = self._message(label, replace(origin, name=ast.unparse(node)),
                                         self._path_steps(node, func, paths), where)
                    self._report(node, code, text, origin)
                    reported.add((id(func), key))
                elif self.externals is not None and isinstance(node, ast.Attribute) \
                        and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name) \
                        and self.index.resolve(node.value.id, func) is None:
                    self._scan_module_attribute(node, code, label, where, func, paths, entry, reported)
                elif self.externals is not None and isinstance(node, ast.Call):
                    self._scan_external_call(node, code, label, where, func, paths, entry, reported)

    def _task_instance_names(self, task: FuncInfo, self_name: str, paths: Path) -> dict[int, str]:
        """A bound task's ``self`` and the parameters of the child's helpers it is handed to
        (``_update(self, uid)`` then ``task.userdb`` in ``_update``): the instance Celery made in the
        worker's parent, whose ``__init__`` set its attributes there."""
        names = {id(task): self_name}
        todo = [task]
        while todo:
            func = todo.pop()
            for node in iter_scope(func.body):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                callee = self.index.function_named(node.func.id, func)
                if callee is None or id(callee) not in paths or id(callee) in names \
                        or isinstance(callee.node, ast.Lambda):
                    continue
                params = [a.arg for a in callee.node.args.posonlyargs + callee.node.args.args]
                given = [(params[i], arg) for i, arg in enumerate(node.args) if i < len(params)]
                given += [(k.arg, k.value) for k in node.keywords if k.arg in params]
                mine = names[id(func)]
                name = next((p for p, arg in given if isinstance(arg, ast.Name) and arg.id == mine), None)
                if name is not None:
                    names[id(callee)] = name
                    todo.append(callee)
        return names

    def _global_attribute(self, node: ast.Attribute) -> Optional[str]:
        """The module global ``app.db`` that ``app.db`` (or Flask's ``current_app.db``) reads, when
        the parent set it to a connection."""
        assert isinstance(node.value, ast.Name)
        key = f"{node.value.id}.{node.attr}"
        if key in self.globals:
            return key
        if self.index.qualname(node.value) in knowledge.CURRENT_APP:
            return next((k for app in self.taint.apps if (k := f"{app}.{node.attr}") in self.globals), None)
        return None

    def _scan_module_attribute(self, node: ast.Attribute, code: codes.Code, label: str, where: str,
                               func: FuncInfo, paths: Path, entry: Entry,
                               reported: set[tuple[int, str]]) -> None:
        """``db.engine`` / ``db.Session()`` with ``import pkg.db as db``: another module's import-time
        client, read through the module object."""
        assert self.externals is not None
        qual = self.index.qualname(node)
        if qual is None or (id(func), qual) in reported:
            return
        origin = self.externals.app_attribute(node.attr) \
            if self.index.qualname(node.value) in knowledge.CURRENT_APP else self.externals.value(qual)
        if origin is None:
            origin = self._lazy_global_read(qual, entry)
        if origin is None or origin.main_guard or origin.fresh:
            return
        # renewed as ``db.engine.dispose(close=False)``, also for ``db.Session`` bound to that engine
        module = ast.unparse(node.value)
        names = [ast.unparse(node)] + ([f"{module}.{origin.root}"] if origin.root else [])
        if any(self._is_reset(name, origin, entry) for name in names) or (
                entry.kind == "celery" and origin.kind in knowledge.CELERY_RESETS):
            return
        text = self._message(label, replace(origin, name=ast.unparse(node)),
                             self._path_steps(node, func, paths), where)
        self._report(node, code, text, origin)
        reported.add((id(func), qual))

    def _lazy_global_read(self, qual: str, entry: Entry) -> Optional[Origin]:
        """Another module's lazily set global read directly (``connection._DATABASE``), when the parent
        set it before the fork: by calling its setter, or (for an engine that imports the whole app
        first) by a module's import."""
        assert self.externals is not None
        return next((found for lazy_key, origin in self.externals.lazy_uses(qual) if lazy_key == qual
                     and (found := self._set_before_fork(lazy_key, origin, entry)) is not None), None)

    def _set_before_fork(self, lazy_key: str, origin: Origin, entry: Entry) -> Optional[Origin]:
        """A lazily set global of another module, as the child finds it: set in the parent by a call
        of its setter, or (a Celery worker or a preloading server imports the whole app before it
        forks) by a module's import; None when the child sets it itself."""
        assert self.externals is not None
        if lazy_key in self._parent_lazy_sets():
            return replace(origin, steps=origin.steps + ("set by the parent before the fork",))
        if entry.kind in ("celery", "server") and lazy_key in self.externals.set_at_import_globals():
            return replace(origin, steps=origin.steps + (
                "set by a module's import, which the worker's parent runs before the fork",))
        return None

    def _scan_defaults(self, code: codes.Code, where: str, paths: Path) -> None:
        """``def task(dao=MongoDAO(collection)):``: a default is evaluated once, when the ``def`` runs
        (at import, in the parent), so the child's call gets the parent's object."""
        for func, _, _ in paths.values():
            if func.parent is not None and id(func.parent) in self.child_side:
                continue  # defined in the child: its defaults are the child's
            spec = func.node.args
            positional = spec.posonlyargs + spec.args
            pairs = list(zip(positional[len(positional) - len(spec.defaults):], spec.defaults))
            pairs += [(a, d) for a, d in zip(spec.kwonlyargs, spec.kw_defaults) if d is not None]
            for arg, default in pairs:
                made = self.taint.value(default, self.taint.env_for(func.parent))
                if made is None:
                    continue
                text = (f"{made.kind or 'connection'} '{ast.unparse(default)}' ({made.describe()}) is the "
                        f"default of parameter '{arg.arg}' of {func.name}(), evaluated once when the def "
                        f"runs in the parent, and used in {where}")
                self._report(default, code, text, made)

    def _scan_child_closes(self, entry: Entry, code: codes.Code, where: str, paths: Path) -> None:
        """``engine.dispose()`` (closing) in the child while the parent goes on using the engine
        after the fork: the child closes the pooled connections the parent opened, over the shared
        sockets, and the parent's next query finds its connection gone. Without ``close=False`` the
        child-side dispose is only the fix when the parent is done with the engine (as a server's
        master is)."""
        if entry.site_line == 0:
            return  # the engine forks (a server, a Celery worker): its master does not query again
        body = entry.site_func.body if entry.site_func is not None else list(self.index.tree.body)
        for name, resets in self.resets.items():
            origin = self.taint.module.get(name)
            if origin is None or origin.kind not in knowledge.CLOSED_WHEN_COLLECTED:
                continue
            closing = next((r.call for r in resets if r.method == "dispose" and not r.close_false
                            and r.func is not None and id(r.func) in paths and r.call is not None), None)
            if closing is None:
                continue
            handles = {name} | {n for n, o in self.taint.module.items() if o.root == name}  # ``Session``
            reads = [n for n in iter_scope(body) if isinstance(n, ast.Name) and n.id in handles
                     and isinstance(n.ctx, ast.Load) and self.index.resolve(n.id, entry.site_func) is None]
            before = any(n.lineno < entry.site_line for n in reads) \
                or self._parent_calls_through(frozenset(handles))
            later = next((n for n in reads if n.lineno > entry.site_line), None)
            if not before or later is None:
                continue
            text = (f"{origin.kind} '{name}' ({origin.describe()}, used by the parent before the fork) is "
                    f"disposed in {where} without close=False: the child closes the parent's pooled "
                    f"connections over the shared sockets, and the parent uses '{later.id}' again at line "
                    f"{later.lineno}; call {name}.dispose(close=False) in the child")
            self._report(closing, code, text, origin)

    def _scan_dropped(self, entry: Entry, code: codes.Code, where: str, paths: Path) -> set[str]:
        """A child that rebinds a global holding the parent's connection (``global engine; engine =
        create_engine(...)`` in an ``init()`` both sides call) drops the parent's object there: the
        child's garbage collector then closes it, and its goodbye goes over the shared socket. Gives the
        names reported (what the child uses under them afterwards is its own)."""
        dropped: set[str] = set()
        renewed = {key for key, resets in self.resets.items() for r in resets
                   if r.close_false and r.func is not None and id(r.func) in self.child_side}
        for func, _, _ in paths.values():
            if not func.globals:
                continue
            lazy = _lazily_set(func)
            for node in iter_scope(func.body):
                if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
                        and node.id in func.globals) or id(node) in lazy:
                    continue
                origin = self.globals.get(node.id)
                if origin is None or origin.kind not in knowledge.CLOSED_WHEN_COLLECTED \
                        or {node.id, origin.root or node.id} & renewed:
                    continue
                steps = self._path_steps(node, func, paths)
                text = (f"{origin.kind or 'connection'} '{node.id}' ({origin.describe()}, in the parent) is "
                        f"rebound in {where}" + (" (" + " -> ".join(steps) + ")" if steps else "")
                        + ": the parent's object is dropped in the child, whose garbage collector closes "
                        "it over the shared socket, ending the parent's session; call "
                        f"{node.id}.dispose(close=False) (SQLAlchemy) in the child first, or bind the "
                        "child's own under another name")
                self._report(node, code, text, origin)
                dropped.add(node.id)
                break
        return dropped

    def remote_entries(self) -> list[tuple[str, str, str]]:
        """Entries this module starts in other modules' functions, less those it forks right after
        closing Django's connections (``connection.close(); Process(target=listen).start()``)."""
        closes = [r for r in self.resets.get("django", ()) if r.method in ("close", "close_all")]
        return [entry for entry, (func, line) in zip(self.found.remote, self.found.remote_sites)
                if not any(r.func is func and r.line < line for r in closes)]

    def _external_targets(self, call: ast.Call, scope: Optional[FuncInfo]) -> list[str]:
        """Other modules' functions a call runs: the callee itself, or the decorators of a local callee
        (``@db.with_session def write(session, ...)``: calling ``write`` runs the decorator's wrapper)."""
        quals: list[str] = []
        qual = self.index.qualname(call.func)
        if qual is not None:
            quals.append(qual)
            if qual.rsplit(".", 1)[-1][:1].isupper():  # ``Worker()`` of another module runs its __init__
                quals.append(f"{qual}.__init__")
        elif isinstance(call.func, ast.Attribute):  # ``ranker.crawl()``, ``self.conn.save()`` on an
            cls_qual = self._instance_class(call.func.value, scope)  # instance of another module's class
            if cls_qual is not None:
                quals.append(f"{cls_qual}.{call.func.attr}")
        elif isinstance(call.func, ast.Name):
            local = self.index.function_named(call.func.id, scope)
            if local is not None and not isinstance(local.node, ast.Lambda):
                for deco in local.node.decorator_list:
                    deco_qual = self.index.qualname(deco.func if isinstance(deco, ast.Call) else deco)
                    if deco_qual is not None:
                        quals.append(deco_qual)
        return quals

    def _instance_class(self, expr: ast.AST, scope: Optional[FuncInfo]) -> Optional[str]:
        """The other module's class ``expr`` is an instance of: a name bound to ``Cls(...)``, or
        ``self.attr`` that the class body or a method binds to one."""
        values: list[ast.AST] = []
        if isinstance(expr, ast.Call):  # ``Process(target=AlarmProcessor(...).run)``: made in place
            values = [expr]
        elif isinstance(expr, ast.Name):
            owner = self.index.resolve(expr.id, scope)
            values = [v for v, where in self.index.values_bound(expr.id) if where is owner]
        elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = scope.cls if scope is not None else None
            if cls is None and scope is not None and scope.parent is not None:
                cls = scope.parent.cls
            if cls is not None:
                methods = {id(m) for m in self.index.methods.get(id(cls), {}).values()}
                values = [v for v, where in self.index.values_of_self(expr.attr)
                          if where is not None and id(where) in methods]
                values += [stmt.value for stmt in cls.body if isinstance(stmt, ast.Assign)
                           and any(isinstance(t, ast.Name) and t.id == expr.attr for t in stmt.targets)]
        for value in reversed(values):
            if isinstance(value, ast.Call):
                func = value.func
                manager = func  # ``Export.objects.get(...)`` / ``.filter(...).first()``: a model instance
                while isinstance(manager, (ast.Attribute, ast.Call)):
                    manager = manager.func if isinstance(manager, ast.Call) else manager.value
                    if isinstance(manager, ast.Attribute) and manager.attr == "objects":
                        func = manager.value
                        break
                qual = self.index.qualname(func)
                if qual is not None and qual.rsplit(".", 1)[-1][:1].isupper():
                    return qual
        return None

    def _external_uses(self, func: FuncInfo) -> list[Origin]:
        """Import-time connections of other modules that ``func``'s own calls reach (memoised)."""
        key = id(func)
        if key not in self._ext_uses:
            found: list[Origin] = []
            if self.externals is not None:
                for node in iter_scope(func.body):
                    if isinstance(node, ast.Call):
                        for qual in self._external_targets(node, func):
                            found.extend(self.externals.inherited(qual)[:1])
            self._ext_uses[key] = found
        return self._ext_uses[key]

    def external_lazy_globals(self, funcs: list[FuncInfo]) -> tuple[set[str], list[Origin]]:
        """Other modules' lazily set globals (qualified: ``nav.db._connections``) that these functions'
        calls set, and those they read, for a helper of a helper to export them in turn."""
        sets: set[str] = set()
        reads: list[Origin] = []
        if self.externals is None:
            return sets, reads
        for func in funcs:
            for node in iter_scope(func.body):
                if isinstance(node, ast.Call):
                    for qual in self._external_targets(node, func):
                        sets |= self.externals.setters(qual)
                        reads += [o for key, o in self.externals.lazy_uses(qual)
                                  if all(r.name != key for r in reads)]
        return sets, reads

    def _parent_lazy_sets(self) -> set[str]:
        """Lazily set globals of other modules that the parent side sets (by calling their setters)."""
        if self._parent_sets is None:
            sets: set[str] = set()
            if self.externals is not None:
                for site in self.index.calls:
                    if site.func is not None and id(site.func) in self.child_side:
                        continue
                    for qual in self._external_targets(site.call, site.func):
                        sets |= self.externals.setters(qual)
            # ``emissionsapi.db.__session__ = None`` in an initializer: the child starts from scratch
            for info in self.index.funcs.values():
                if id(info) in self.child_side:
                    for node in iter_scope(info.body):
                        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                            sets.discard(self.index.qualname(node) or "")
            self._parent_sets = sets
        return self._parent_sets

    def _scan_external_call(self, node: ast.Call, code: codes.Code, label: str, where: str,
                            func: FuncInfo, paths: Path, entry: Entry,
                            reported: set[tuple[int, str]]) -> None:
        assert self.externals is not None
        for qual in self._external_targets(node, func):
            found = list(self.externals.inherited(qual))
            shared = self.externals.singleton(qual)
            if shared is not None and self._parent_calls("", qual):
                found.append(shared)
            found += [set_ for lazy_key, origin in self.externals.lazy_uses(qual)
                      if (set_ := self._set_before_fork(lazy_key, origin, entry)) is not None]
            for origin in found:
                if self._is_reset(origin.name, origin, entry) or (
                        entry.kind == "celery" and origin.kind in knowledge.CELERY_RESETS):
                    continue
                if origin.kind in knowledge.BOUND_BY \
                        and (origin.path, origin.line) in self.externals.binds(qual):
                    continue  # ``create_app()`` in the child binds the holder to a new app: its own engine
                seen = (id(func), f"{origin.path}:{origin.line}")
                if seen in reported:
                    continue  # one finding per function and connection
                reported.add(seen)
                steps = [f"{ast.unparse(node.func)}() called at line {node.lineno}"]
                steps += self._path_steps(node, func, paths)[1:] if func is not None else []
                self._report(node, code, self._message(label, origin, steps, where), origin)

    def _rebound_globals(self, paths: Path) -> set[str]:
        """Globals the child side assigns itself (``global conn; conn = connect()`` in the worker or its
        initializer): the child reads its own object, not the parent's."""
        funcs = [f for f, _, _ in paths.values()] + [e.func for e in self.found.entries if e.kind == "init"]
        names: set[str] = set()
        for func in funcs:
            if func.globals and id(func) not in self.parent_setters:
                names.update(n.id for n in iter_scope(func.body) if isinstance(n, ast.Name)
                             and isinstance(n.ctx, ast.Store) and n.id in func.globals)
        return names

    def _made_at_import(self, name: str, origin: Origin) -> bool:
        """Is ``origin`` what the module's import binds to ``name`` (not under ``if __name__ ==
        "__main__":``, nor filled later by a lazy getter)? Under forkserver that is all a child inherits."""
        return not origin.main_guard and self.taint.module.get(name) is origin

    def _rebound_holders(self, paths: Path) -> set[tuple[str, int]]:
        """(path, line) of the holders (``knowledge.BOUND_BY``) the child side binds to an app it
        builds itself (``create_app()`` in the task): Flask-SQLAlchemy keeps an engine per app, so what
        the task then queries (``db.session``, a model's ``query``) goes through an engine made in the
        child, whatever the parent's app holds."""
        if not self._binds_here() and (self.externals is None or not self.externals.bound_somewhere()):
            return set()  # nothing in the project is bound to an app: the common case, no walk
        return {b for func, _, _ in paths.values() if not isinstance(func.node, ast.Lambda)
                for b in self._binds_through(func, func.body)}

    def _self_assigned(self, paths: Path, cls: ast.ClassDef) -> set[str]:
        """``self.X`` the child side rebinds (``def run(self): self.conn = connect()``)."""
        names: set[str] = set()
        for func, _, _ in paths.values():
            if func.cls is not cls:
                continue
            for node in iter_scope(func.body):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                        and isinstance(node.value, ast.Name) and node.value.id == "self":
                    names.add(node.attr)
        return names

    def _scan_bound(self, bound: Passed) -> None:
        """``bot = CryptoBot(...); Process(target=bot.start_trading)``: the method runs in the child
        on the parent's object, so the clients it reads from ``self`` are the parent's."""
        node = bound.expr
        if isinstance(node, ast.Attribute):  # ``Process(target=self.channel.start_consuming)``
            made = self.taint.value(node.value, self.taint.env_for(bound.scope))
            # (not an object holding one, whose method may not use it: below)
            if made is not None and not any(s.startswith("held as") for s in made.steps):
                text = (f"{made.kind or 'connection'} '{ast.unparse(node.value)}' ({made.describe()}) runs "
                        f"its own method {node.attr}() in the child ({bound.via}), over the parent's socket")
                self._report(node, codes.CONN_PASSED_TO_CHILD, text, made)
                return
        if self.externals is None or not isinstance(node, ast.Attribute) \
                or not isinstance(node.value, (ast.Name, ast.Call)):
            return
        qual = self._instance_class(node.value, bound.scope)
        if qual is None:
            return
        holder = f"'{node.value.id}'" if isinstance(node.value, ast.Name) \
            else f"the {qual.rsplit('.', 1)[-1]}() made in the parent at line {node.value.lineno}"
        for origin in self.externals.self_uses(f"{qual}.{node.attr}")[:1]:
            text = (f"{origin.kind or 'connection'} ({origin.describe()}) is held by {holder}, "
                    f"whose method {node.attr}() runs in the child ({bound.via}) and uses it")
            self._report(node, codes.CONN_PASSED_TO_CHILD, text, origin)

    def _scan_passed(self, passed: Passed) -> None:
        expr, scope, via, pickled = passed.expr, passed.scope, passed.via, passed.pickled
        env = self.taint.env_for(scope)
        for item in passed_items(expr):
            if isinstance(item, ast.Name):
                owner = self.index.resolve(item.id, scope)
                origin = self._origin(item.id, owner, None) or self._self_holder(item, scope)
                if origin is None:
                    continue
                origin = replace(origin, name=item.id)
            else:
                made = self.taint.value(item, env)
                if made is None:
                    continue
                origin = replace(made, name=ast.unparse(item))
            if pickled and origin.what in knowledge.PICKLED_FRESH:
                continue  # the child unpickles a session of its own
            if self._renewed_by_receiver(passed, origin):
                continue
            self._report(item, codes.CONN_PASSED_TO_CHILD,
                         f"{origin.kind or 'connection'} '{origin.name}' ({origin.describe()}) is passed to "
                         f"a child via {via}", origin)

    def _self_holder(self, item: ast.Name, scope: Optional[FuncInfo]) -> Optional[Origin]:
        """``self`` handed to a child by a method of a class whose instances hold a client
        (``Process(target=work, args=(self, row))``, ``pool.map(unwrap, [(self, r) ...])``): the
        instance the parent made crosses with its client."""
        if scope is None or scope.cls is None or isinstance(scope.node, ast.Lambda) \
                or self.index.resolve(item.id, scope) is not scope:
            return None
        params = scope.node.args.posonlyargs + scope.node.args.args
        static = any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
                     for d in scope.node.decorator_list)
        if static or not params or params[0].arg != item.id:
            return None
        call = ast.Call(func=ast.Name(id=scope.cls.name, ctx=ast.Load()), args=[], keywords=[])
        call.lineno = scope.cls.lineno
        return self.taint.instance(scope.cls, call,
                                   by=f"{item.id}, the {scope.cls.name} this method runs on in the parent")

    @staticmethod
    def _renewed_by_receiver(passed: Passed, origin: Origin) -> bool:
        """``initializer=init, initargs=(engine,)`` where ``init(engine)`` runs
        ``engine.dispose(close=False)``: the child drops the inherited pool before using it."""
        if passed.receiver is None or isinstance(passed.receiver.node, ast.Lambda):
            return False
        param = parameter_for(passed.receiver, passed.position)
        return param is not None and any(
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == param
            and _renews_in_child(node.func.attr, origin.kind) for node in iter_scope(passed.receiver.body))

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
                origin = self._origin(node.id, owner, None)
                if origin is None or (owner is func and self._made_after(node.id, origin, func, call)):
                    continue
                self._report(node, codes.CONN_AFTER_FORK,
                             f"{origin.kind or 'connection'} '{node.id}' ({origin.describe()}) is made "
                             f"before {_fork_text(self.index, call)} at line {call.lineno} and used in the "
                             "child", origin)
            self._scan_fork_external_calls(region, call, func, body)
            if called:
                where = f"{_fork_text(self.index, call)} child (line {call.lineno})"
                for helper, _, _ in self.reach(called).values():
                    self._scan_helper(helper, where)

    def _scan_fork_external_calls(self, region: list[ast.stmt], call: ast.Call,
                                  func: Optional[FuncInfo], body: list[ast.stmt]) -> None:
        """The child calls another module's caching getter (``nav.db.getConnection()``) that the
        forking function called before the fork: the cache hands the child the parent's connection."""
        if self.externals is None:
            return
        before: dict[str, ast.Call] = {}  # lazily set global -> the parent's call that set it
        for node in iter_scope(list(body)):
            if isinstance(node, ast.Call) and node.lineno < call.lineno:
                for target in self._external_targets(node, func):
                    for key in self.externals.setters(target):
                        before.setdefault(key, node)
        if not before:
            return
        for node in iter_scope(list(region)):
            if not isinstance(node, ast.Call):
                continue
            for qual in self._external_targets(node, func):
                for lazy_key, origin in self.externals.lazy_uses(qual):
                    setter = before.get(lazy_key)
                    if setter is not None:
                        text = (f"{origin.kind or 'connection'} '{origin.name}' ({origin.describe()}) is "
                                f"set in the parent by {ast.unparse(setter.func)}() at line {setter.lineno}, "
                                f"before {_fork_text(self.index, call)} at line {call.lineno}; the child's "
                                f"{ast.unparse(node.func)}() gets the parent's object back from the cache")
                        self._report(node, codes.CONN_AFTER_FORK, text, origin)

    def _made_after(self, name: str, origin: Origin, scope: Optional[FuncInfo], call: ast.Call) -> bool:
        """Was ``name`` bound to its client after the fork (each side's own)? By the line that made it
        here, or, for another module's factory (``koji.ClientSession(...)``), the line that bound it."""
        if not origin.path or origin.path == self.path:
            return origin.line >= call.lineno
        lines = [getattr(value, "lineno", 0) for target, value, where in self.index.bindings
                 if where is scope and isinstance(target, ast.Name) and target.id == name]
        return bool(lines) and min(lines) >= call.lineno

    def _scan_helper(self, func: FuncInfo, where: str) -> None:
        for node in iter_scope(func.body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and self.index.resolve(node.id, func) is None:
                origin = self._origin(node.id, None, None)
                if origin is not None:
                    self._report(node, codes.CONN_AFTER_FORK,
                                 f"{origin.kind or 'connection'} '{node.id}' ({origin.describe()}) is made "
                                 f"before fork and used in '{func.name}', called in the {where}", origin)


def _fork_text(index: ModuleIndex, call: ast.Call) -> str:
    """How a message names the fork: ``os.fork()``, or the daemonizing call that does it."""
    qual = index.qualname(call.func)
    if qual in knowledge.FORK_CALLS:
        return f"{qual}()"
    if qual in knowledge.DAEMON_CONTEXTS:
        return f"{ast.unparse(call.func)}() (it daemonizes: forks, and the parent exits)"
    return f"{ast.unparse(call.func)}() (it forks, and the parent exits)"


def _cache_decorator(index: ModuleIndex, info: FuncInfo) -> Optional[str]:
    """The memoising decorator of ``info`` (``functools.lru_cache``), whose result is one object
    for every call in a process, and in its forked children."""
    for deco in info.node.decorator_list if not isinstance(info.node, ast.Lambda) else ():
        qual = index.qualname(deco.func if isinstance(deco, ast.Call) else deco)
        if qual in knowledge.CACHING_DECORATORS:
            return qual.rsplit(".", 1)[-1]
    return None


def _made_at(origin: Origin) -> str:
    """The key of another module's client by where it was made (``db.py:12``)."""
    return f"{origin.path}:{origin.line}"


def analyze(tree: ast.Module, path: str, settings: Optional[Settings] = None) -> list[Finding]:
    return Analyzer(tree, path, settings).findings()
