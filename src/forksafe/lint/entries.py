"""Where code starts running in another process: the entry points of forked children and jobs.

An Entry is a function (or lambda) plus how it is reached (``kind``); ``passed`` collects the
expressions handed to a child as arguments, which are checked for connections at the call site.
Spawn contexts are not entries: their children re-import the module and inherit no socket. Forkserver
children are, for import-time connections only: the server imports ``__main__`` (and so its imports)
once and forks every child from itself (``Entry.method``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping, Optional, Sequence

from . import knowledge
from .children import daemonizes
from .config import WORKERS_RESET
from .scopes import (
    CallSite,
    FuncInfo,
    ModuleIndex,
    connected_signal,
    iter_imports,
    iter_scope,
    main_guarded,
)

# kind -> how the message names it
KIND_LABEL = {
    "process": "multiprocessing.Process target",
    "pool": "process pool worker",
    "executor": "ProcessPoolExecutor worker",
    "init": "child initializer",
    "run": "Process.run",
    "celery": "Celery task",
    "rq": "RQ job",
    "server": "request handler",
    "loader": "DataLoader worker",
    "thread": "thread",
}

# what starts a thread in the calling process, and the argument that is its function:
# (qualified name or ``.method``, keyword, position)
_THREAD_STARTS = (("threading.Thread", "target", 1), ("threading.Timer", "function", 1),
                  (".add_job", "func", 0))
_SCHEDULERS = ("apscheduler", "flask_apscheduler")


def _decorated_defs(func: FuncInfo) -> list[FuncInfo]:
    """Functions defined inside ``func`` (at any depth) with a decorator: handlers it registers."""
    found: list[FuncInfo] = []
    todo = list(func.defs.values())
    while todo:
        inner = todo.pop()
        if not isinstance(inner.node, ast.Lambda) and inner.node.decorator_list:
            found.append(inner)
        todo.extend(inner.defs.values())
    return found


@dataclass(eq=False)
class Entry:
    func: FuncInfo
    kind: str
    via: str  # e.g. "Pool.map at line 12"
    # "fork", or "forkserver": the child is forked from a server that imported the main module, so only
    # connections made at import time (outside ``if __name__ == "__main__"``) are inherited.
    method: str = "fork"
    site_line: int = 0  # the line that starts the child (0: the engine forks, not this file)
    site_func: Optional[FuncInfo] = None  # the function holding that line (None: module level)
    self_parent: bool = False  # a method of an instance made in the parent (its self.X are inherited)
    # ``@app.task(bind=True, base=DBTask) def f(self, ...)``: ``self`` is the task instance Celery made
    # in the worker's parent process, so ``self.X`` that ``DBTask.__init__`` set are inherited
    task_base: Optional[ast.ClassDef] = None


@dataclass(frozen=True)
class Passed:
    """An expression given to a child as an argument, evaluated in ``scope`` (the caller)."""

    expr: ast.AST
    scope: Optional[FuncInfo]
    via: str
    pickled: bool = False  # sent to the child as a pickle (pool and executor tasks, queued jobs)
    # the child function's parameter it binds (``initializer=init, initargs=(engine,)``), when known:
    # a child that renews it first (``engine.dispose(close=False)``) is the documented fix
    receiver: Optional[FuncInfo] = None
    position: int = -1


@dataclass
class Entries:
    entries: list[Entry] = field(default_factory=list)
    passed: list[Passed] = field(default_factory=list)
    process_classes: list[tuple[ast.ClassDef, str]] = field(default_factory=list)
    fork_calls: list[tuple[ast.Call, Optional[FuncInfo]]] = field(default_factory=list)
    # entries in other modules of the project: (qualified name, kind, via)
    remote: list[tuple[str, str, str]] = field(default_factory=list)
    # where each remote entry is started: (the function holding the call, its line)
    remote_sites: list[tuple[Optional[FuncInfo], int]] = field(default_factory=list)
    # ``Process(target=bot.run)`` with ``bot`` an object whose class is not this module's: the object
    # itself crosses to the child (its method runs there)
    bound: list[Passed] = field(default_factory=list)
    # threads a preloaded app's import starts in the server's master: they keep running, on the
    # master's connections, while it forks the workers
    master_threads: list[Entry] = field(default_factory=list)


def kwarg(call: ast.Call, name: str, position: Optional[int] = None) -> Optional[ast.AST]:
    """The argument given as ``name=``, or at ``position`` (before any ``*args``)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and len(call.args) > position \
            and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def _str(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def embeds_server(tree: ast.Module, aliases: dict[str, str]) -> bool:
    """Does this module run gunicorn itself (a ``BaseApplication`` subclass)? Then it is loaded in the
    master, with the app it hands over, before the workers fork. A ``post_fork`` / ``pre_fork`` /
    ``post_worker_init`` hook given in its options is taken as the documented fix (dispose or
    close there), as in ``gunicorn.conf.py``."""
    hooks = knowledge.PRELOAD_SERVER_HOOKS | {"pre_fork"}
    for node in ast.walk(tree):  # a fork hook in the options (``"post_fork": reset``) is the fix
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in hooks
                                              for k in node.keys):
            return False
        if isinstance(node, ast.Call) and any(k.arg in hooks for k in node.keywords):
            return False
    names = dict(aliases)  # also ``from gunicorn.app.base import BaseApplication`` inside a function
    for node, _ in iter_imports(tree.body):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return any(isinstance(node, ast.ClassDef) and any(_dotted(b, names) in knowledge.EMBEDDED_SERVERS
                                                      for b in node.bases) for node in ast.walk(tree))


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    """``rq.Worker`` / ``Worker`` -> the qualified name, through the module's import aliases."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value, aliases)}.{node.attr}"
    return ""


def daemonizing_functions(tree: ast.Module, aliases: dict[str, str], module: str) -> frozenset[str]:
    """Qualified names of the module-level functions that fork and end the parent (``def
    daemonize(): if os.fork(): os._exit(0) ...``): another module's call of one, like a local one,
    leaves its caller running in the child. ``aliases`` are the module's imports."""
    def qualname(node: ast.AST) -> Optional[str]:
        return _dotted(node, aliases) or None

    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            forks = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)
                     and qualname(n.func) in knowledge.FORK_CALLS]
            if forks and daemonizes(list(stmt.body), forks, qualname):
                found.add(f"{module}.{stmt.name}" if module else stmt.name)
    return frozenset(found)


# A module-level function that starts one of its parameters in a child: (qualified name of the
# function, the parameter's position, its name, the entry kind: "process", "pool" or "executor").
ForkingParameter = tuple[str, int, str, str]


def forking_parameters(tree: ast.Module, aliases: dict[str, str], module: str) -> frozenset[ForkingParameter]:
    """``def parallel(items, handler): with Pool(initializer=django.setup) as pool:
    pool.starmap(handler, ...)``: another module's ``parallel(ids, worker)`` runs ``worker`` in the
    pool's forked children, as if it had made the pool itself. Not when the function asks for spawn
    or forkserver (any such string in it). ``aliases`` are the module's imports."""
    found: set[ForkingParameter] = set()
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = [a.arg for a in stmt.args.posonlyargs + stmt.args.args]
        calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        not_forked = knowledge.NON_FORK_METHODS | {"forkserver"}
        if not params or any(isinstance(n, ast.Constant) and n.value in not_forked for n in ast.walk(stmt)):
            continue
        made = {_dotted(c.func, aliases) for c in calls}
        pools = bool(made & knowledge.POOL_CLASSES)
        executors = bool(made & knowledge.EXECUTOR_CLASSES)
        for call in calls:
            target: Optional[ast.AST] = None
            kind = ""
            if _dotted(call.func, aliases) in knowledge.PROCESS_CLASSES:
                target, kind = kwarg(call, "target", 1), "process"
            elif isinstance(call.func, ast.Attribute) and call.args:
                if pools and call.func.attr in knowledge.POOL_METHODS:
                    target, kind = call.args[0], "pool"
                elif executors and call.func.attr in knowledge.EXECUTOR_METHODS:
                    target, kind = call.args[0], "executor"
            if isinstance(target, ast.Name) and target.id in params:
                found.add((f"{module}.{stmt.name}" if module else stmt.name, params.index(target.id),
                           target.id, kind))
    return frozenset(found)


def runs_rq_worker(tree: ast.Module, aliases: dict[str, str]) -> bool:
    """Does this module make or define an RQ worker that forks (``Worker([q]).work()``, ``class
    MyWorker(Worker)``)? Then the worker process has loaded it, and what it imports, before forking.
    ``aliases`` are the module's imports (local name -> qualified name)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_dotted(b, aliases) in knowledge.RQ_WORKERS
                                                  for b in node.bases):
            return True
        if isinstance(node, ast.Call) and _dotted(node.func, aliases) in knowledge.RQ_WORKERS:
            return True
    return False


class EntryFinder:
    def __init__(self, index: ModuleIndex, preload: Optional[str] = None,
                 extra: Sequence[tuple[str, str, str]] = (), at_import: frozenset[str] = frozenset(),
                 imported_pools: Mapping[str, tuple[str, int]] = MappingProxyType({}),
                 daemonizers: frozenset[str] = frozenset(),
                 forking: Mapping[str, Sequence[ForkingParameter]] = MappingProxyType({})) -> None:
        self.index = index
        self.daemonizers = daemonizers  # other modules' functions that fork and end the parent
        self.forking = forking  # other modules' functions that start a parameter in a child, by name
        self.imported_pools = imported_pools  # pools other modules made: name -> (constructor, line)
        self.preload = preload  # "gunicorn --preload (Procfile)": this is a preloaded app module
        self.extra = extra  # (function name, kind, via) found by other modules (enqueued here)
        self.at_import = at_import  # qualified names other modules call at import (the master runs them)
        self.contexts: dict[str, str] = {}  # name bound to get_context(...) -> start method
        self.default_method = "fork"
        self.pools: dict[str, tuple[str, str]] = {}  # _key() -> ("pool" | "executor", start method)
        # _key() -> the line that made a multiprocessing pool: its workers fork there, not at map()
        self.pool_lines: dict[str, list[tuple[int, Optional[FuncInfo]]]] = {}
        self.tasks: set[str] = set()
        self._daemonizers: dict[int, bool] = {}  # id(FuncInfo) -> forks and ends the parent
        self._forks: Optional[bool] = None  # does the module call os.fork() anywhere
        self.found = Entries()

    def run(self) -> Entries:
        for site in self.index.calls:  # start method and contexts first: later checks need them
            qual = self.index.qualname(site.call.func)
            if qual in knowledge.SET_START_METHOD:
                method = _str(kwarg(site.call, "method", 0))
                if method in knowledge.START_METHODS:
                    self.default_method = method
        self._bind_names()
        for info in self.index.funcs.values():
            self._decorated(info)
        for cls in self.index.all_classes:
            method = self._process_class_method(cls)
            if method is not None and method not in knowledge.NON_FORK_METHODS:
                self.found.process_classes.append((cls, method))
            if self._celery_class(cls):
                run = self.index.methods.get(id(cls), {}).get("run")
                if run is not None:
                    self.found.entries.append(Entry(run, "celery", f"class-based task {cls.name}(Task)",
                                                    self_parent=True))
        for site in self.index.calls:
            self._call(site)
        for name, kind, via in self.extra:
            func = self.index.module_funcs.get(name)
            if func is None and "." in name:
                cls_name, _, meth = name.partition(".")
                owner = self.index.classes.get(cls_name)
                func = self.index.methods.get(id(owner), {}).get(meth) if owner is not None else None
            if func is not None:
                self._add(func, kind, via)
        if self.preload:
            self._preloaded()
        return self.found

    def _celery_class(self, cls: ast.ClassDef, depth: int = 0) -> bool:
        for base in cls.bases:
            qual = self.index.qualname(base) or ""
            if qual in knowledge.CELERY_TASK_BASES or (isinstance(base, ast.Attribute) and base.attr == "Task"
                                                       and qual.split(".")[0] in ("celery", "")):
                return True
            if isinstance(base, ast.Name) and base.id in self.index.classes and depth < 10:
                parent = self.index.classes[base.id]
                if parent is not cls and self._celery_class(parent, depth + 1):
                    return True
        return False

    def _preloaded(self) -> None:
        """A preloaded app module: what it runs at import runs in the master, every other function of
        it (views, handlers, their helpers) in a forked worker (unless the server's ``post_fork`` hook
        resets the workers' connections). Threads its import starts run in the master."""
        at_import = {s.call.func.id for s in self.index.calls
                     if s.func is None and isinstance(s.call.func, ast.Name)}
        prefix = f"{self.index.module}."
        at_import.update(q[len(prefix):] for q in self.at_import if q.startswith(prefix))
        self._master_threads(at_import)
        if WORKERS_RESET in str(self.preload):
            return
        funcs = list(self.index.module_funcs.values())
        for methods in self.index.methods.values():
            funcs.extend(methods.values())
        for func in funcs:
            if self._cli_command(func):
                continue
            if func.name not in at_import and func.name not in knowledge.PRELOAD_SERVER_HOOKS:
                self._add(func, "server", str(self.preload))
            elif func.name in at_import:  # an app factory the master runs: the views it defines and
                for inner in _decorated_defs(func):  # registers (``@bp.route``) run in the workers
                    if not self._cli_command(inner):
                        self._add(inner, "server", str(self.preload))

    def _cli_command(self, func: FuncInfo) -> bool:
        """A command-line command (``@app.cli.command()``, ``@click.command()``): it runs in the
        process of the command someone types, not in a worker the preloaded server forks."""
        if isinstance(func.node, ast.Lambda):
            return False
        for decorator in func.node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if not isinstance(target, ast.Attribute) or target.attr not in knowledge.CLI_COMMAND_DECORATORS:
                continue
            holder = target.value
            name = holder.attr if isinstance(holder, ast.Attribute) else holder.id \
                if isinstance(holder, ast.Name) else ""
            root = (self.index.qualname(holder) or "").split(".")[0]
            if name in knowledge.CLI_COMMAND_HOLDERS or root in knowledge.CLI_COMMAND_MODULES:
                return True
        return False

    def _master_threads(self, at_import: set[str]) -> None:
        """Threads (``Thread(target=f)``, an APScheduler job) that code run at import starts: the
        module level and the functions it, or another module's import, calls, transitively."""
        starts = [f for name in at_import if (f := self.index.module_funcs.get(name)) is not None]
        run = {id(f) for f in starts} | self.index.called_from(starts)
        scheduler = any(q.split(".")[0] in _SCHEDULERS for q in self.index.imports.values())
        guarded = main_guarded(self.index.tree)  # ``python app.py`` runs these, not the server
        for site in self.index.calls:
            if (site.func is not None and id(site.func) not in run) or guarded(site.call.lineno):
                continue
            qual = self.index.qualname(site.call.func) or ""
            for start, keyword, position in _THREAD_STARTS:
                if qual == start or (start.startswith(".") and scheduler and isinstance(
                        site.call.func, ast.Attribute) and site.call.func.attr == start[1:]):
                    target = self._function_given(kwarg(site.call, keyword, position), site.func)
                    if target is not None:
                        where = f"{site.func.name}()" if site.func is not None else "module level"
                        via = (f"{ast.unparse(site.call.func)}() at line {site.call.lineno} in {where}, run "
                               f"at import by the master of {self.preload}: still running when the master "
                               "forks the workers, which inherit (and close) the connections it uses; run "
                               "it in a process of its own, or start it in each worker")
                        self.found.master_threads.append(Entry(target, "thread", via, site_line=0,
                                                               site_func=site.func))

    def _function_given(self, node: Optional[ast.AST], scope: Optional[FuncInfo]) -> Optional[FuncInfo]:
        """The function an argument names (``target=loop``) or is (a lambda)."""
        if isinstance(node, ast.Name):
            return self.index.function_named(node.id, scope)
        if isinstance(node, ast.Lambda):
            return self.index.funcs.get(id(node))
        return None

    # -- names bound to contexts and pools ----------------------------------------------------------
    def _context_method(self, node: ast.AST) -> Optional[str]:
        """The start method if ``node`` is a multiprocessing context, else None. A method not written
        as a literal is taken to be the default (it may well fork)."""
        if isinstance(node, ast.Name) and node.id in self.contexts:
            return self.contexts[node.id]
        if isinstance(node, ast.Call) and self.index.qualname(node.func) in knowledge.GET_CONTEXT:
            method = self._method_named(kwarg(node, "method", 0))
            return method if method in knowledge.START_METHODS else self.default_method
        return None

    def _method_named(self, node: Optional[ast.AST]) -> Optional[str]:
        """A start method written as a literal, or as a module constant holding one, or the default of
        a setting read from the environment (``MP_CONTEXT = os.environ.get("MP_CONTEXT",
        "forkserver")``: the program's own default, what runs unless someone sets it)."""
        if isinstance(node, ast.Name):
            bound = [stmt.value for stmt in self.index.tree.body if isinstance(stmt, ast.Assign)
                     and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets)]
            node = bound[0] if len(bound) == 1 else None
        if isinstance(node, ast.Call) and self.index.qualname(node.func) in knowledge.ENVIRONMENT_READS \
                and len(node.args) == 2:
            node = node.args[1]
        return _str(node)

    def _constructor(self, call: ast.AST) -> Optional[tuple[str, str]]:
        """(kind, start method) if ``call`` constructs a Process, Pool or ProcessPoolExecutor."""
        if not isinstance(call, ast.Call):
            return None
        func = call.func
        qual = self.index.qualname(func)
        if qual in knowledge.PROCESS_CLASSES:
            return "process", self.default_method
        if qual in knowledge.POOL_CLASSES:
            return "pool", self.default_method
        if qual in knowledge.EXECUTOR_CLASSES:
            ctx = kwarg(call, "mp_context", 1)
            method = self._context_method(ctx) if ctx is not None else None
            return "executor", method or self.default_method
        if isinstance(func, ast.Attribute) and func.attr in ("Process", "Pool"):
            method = self._context_method(func.value)
            if method is not None:
                return ("process" if func.attr == "Process" else "pool"), method
        return None

    def _key(self, node: ast.AST, scope: Optional[FuncInfo]) -> Optional[str]:
        """A pool variable's identity: the scope that owns the name (so a ``pool`` in one function is
        not another function's ``pool``), or ``self.attr`` for instance attributes."""
        if isinstance(node, ast.Name):
            owner = self.index.resolve(node.id, scope)
            return f"{id(owner) if owner is not None else 0}:{node.id}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return f"self.{node.attr}"
        return None

    def _bind_names(self) -> None:
        for name, (qual, line) in self.imported_pools.items():  # made at the import of its module
            kind = "pool" if qual in knowledge.POOL_CLASSES else "executor"
            self.pools[f"0:{name}"] = (kind, self.default_method)
            if kind == "pool":
                self.pool_lines.setdefault(f"0:{name}", []).append((line, None))
        for target, value, scope in self.index.bindings:
            method = self._context_method(value)
            if method is not None and isinstance(target, ast.Name):
                self.contexts[target.id] = method
            key = self._key(target, scope)
            if key is None:
                continue
            made = self._constructor(value)
            if made is not None and made[0] in ("pool", "executor") \
                    and made[1] not in knowledge.NON_FORK_METHODS:
                self.pools[key] = made
                if made[0] == "pool":
                    self.pool_lines.setdefault(key, []).append((getattr(value, "lineno", 0), scope))

    # -- decorators: Celery tasks, RQ jobs, worker_process_init --------------------------------------
    def _decorated(self, info: FuncInfo) -> None:
        if isinstance(info.node, ast.Lambda):
            return
        for deco in info.node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            qual = self.index.qualname(target) or ""
            last = target.attr if isinstance(target, ast.Attribute) else \
                target.id if isinstance(target, ast.Name) else ""
            if isinstance(target, ast.Name) and not qual:  # ``task = app.task`` then ``@task``
                bound = self._bound(target.id, None)
                if isinstance(bound, ast.Attribute) and bound.attr in knowledge.CELERY_TASK_DECORATORS:
                    target, last = bound, bound.attr
            if qual in knowledge.RQ_JOB_DECORATORS or (last == "job" and self._rq_job_holder(target)):
                self._add(info, "rq", f"@{ast.unparse(target)} at line {deco.lineno}")
            elif last in knowledge.CELERY_TASK_DECORATORS and (
                    isinstance(target, ast.Attribute) or qual.startswith("celery")):
                self._add(info, "celery", f"@{ast.unparse(target)} at line {deco.lineno}")
                base = kwarg(deco, "base") if isinstance(deco, ast.Call) else None
                bound = kwarg(deco, "bind") if isinstance(deco, ast.Call) else None
                if isinstance(base, ast.Name) and base.id in self.index.classes \
                        and isinstance(bound, ast.Constant) and bound.value is True:
                    self.found.entries[-1] = replace(self.found.entries[-1],
                                                     task_base=self.index.classes[base.id])
                if info.parent is None and info.cls is None:
                    self.tasks.add(info.name)
            elif connected_signal(target) in knowledge.CELERY_CHILD_SIGNALS | {"post_fork", "after_fork"}:
                self._add(info, "init", f"worker_process_init handler at line {deco.lineno}")
            elif connected_signal(target) in knowledge.CELERY_TASK_SIGNALS:
                self._add(info, "celery", f"@{ast.unparse(target)} handler at line {deco.lineno}, run with "
                                          "each task in the pool child")

    # -- Process subclasses ---------------------------------------------------------------------------
    def _process_class_method(self, cls: ast.ClassDef, depth: int = 0) -> Optional[str]:
        """The start method if ``cls`` subclasses multiprocessing's Process (directly or through this
        module's classes), else None."""
        for base in cls.bases:
            if self.index.qualname(base) in knowledge.PROCESS_CLASSES:
                return self.default_method
            if isinstance(base, ast.Attribute) and base.attr == "Process":
                method = self._context_method(base.value)
                if method is not None:
                    return method
            if isinstance(base, ast.Name) and base.id in self.index.classes and depth < 10:
                parent = self.index.classes[base.id]
                found = self._process_class_method(parent, depth + 1) if parent is not cls else None
                if found is not None:
                    return found
        return None

    # -- calls ----------------------------------------------------------------------------------------
    def _add(self, info: FuncInfo, kind: str, via: str, method: str = "fork",
             site: Optional[CallSite] = None, self_parent: bool = False) -> None:
        line = site.call.lineno if site is not None else 0
        func = site.func if site is not None else None
        self.found.entries.append(Entry(info, kind, via, method, line, func, self_parent))

    def _rq_job_holder(self, target: ast.AST) -> bool:
        """``@rq.job`` of Flask-RQ2: ``rq`` is an ``RQ()`` made here, or the ``rq`` of another module."""
        if not isinstance(target, ast.Attribute) or not isinstance(target.value, ast.Name):
            return False
        bound = self._bound(target.value.id, None)
        if isinstance(bound, ast.Call):
            return self.index.qualname(bound.func) in knowledge.RQ_JOB_HOLDERS
        qual = self.index.qualname(target.value) or ""
        return "." in qual and qual.rsplit(".", 1)[-1] == knowledge.RQ_JOB_HOLDER_NAME \
            and not qual.startswith("rq.")

    def _bound(self, name: str, scope: Optional[FuncInfo]) -> Optional[ast.AST]:
        """The value last bound to ``name`` in the scope that owns it (for ``job = partial(f, x)``)."""
        owner = self.index.resolve(name, scope)
        value: Optional[ast.AST] = None
        for target, bound, where in self.index.bindings:
            if isinstance(target, ast.Name) and target.id == name and where is owner:
                value = bound
        return value

    def _target(self, node: Optional[ast.AST], site: CallSite, kind: str, via: str,
                method: str = "fork", depth: int = 0) -> None:
        """Register the callable ``node`` (name, self.method, lambda, partial) as an entry."""
        if node is None:
            return
        if isinstance(node, ast.Name) and self.index.function_named(node.id, site.func) is None:
            bound = self._bound(node.id, site.func)
            if isinstance(bound, ast.Call) and self.index.qualname(bound.func) in knowledge.PARTIAL:
                node = bound
        if isinstance(node, ast.Call) and self.index.qualname(node.func) in knowledge.PARTIAL and node.args:
            self._pass(node.args[1:] + [k.value for k in node.keywords], site, via,
                       pickled=kind in ("pool", "executor", "rq"))
            node = node.args[0]
        if isinstance(node, ast.Name) and site.func is not None and depth < 2 \
                and self.index.function_named(node.id, site.func) is None:
            passed = self._passed_as(node.id, site.func)
            if passed:  # ``def start(operation): Process(target=operation)``: what callers pass
                for caller_site, given in passed:
                    self._target(given, caller_site, kind, via, method, depth + 1)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant):
            for name in self._dispatched(node.args[0], site):  # ``getattr(runner, kind)``: any of them
                self._target(ast.Attribute(value=node.args[0], attr=name, ctx=ast.Load()), site, kind, via,
                             method, depth + 1)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str):
            node = ast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=ast.Load())
        info: Optional[FuncInfo] = None
        self_parent = False
        if isinstance(node, ast.Lambda):
            info = self.index.funcs.get(id(node))
        elif isinstance(node, ast.Name):
            info = self.index.function_named(node.id, site.func)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            info = self.index.method_of(site.func, node.attr)
            self_parent = True
        elif isinstance(node, ast.Attribute):
            info = self._instance_method(node, site.func)
            self_parent = info is not None
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):  # RQ "module.func"
            info = self.index.module_funcs.get(node.value.rsplit(".", 1)[-1])
            if info is None and "." in node.value:
                self.found.remote.append((node.value, kind, via))
                self.found.remote_sites.append((site.func, site.call.lineno))
        if info is not None:
            self._add(info, kind, via, method, site, self_parent)
        elif isinstance(node, (ast.Name, ast.Attribute)):
            qual = self.index.qualname(node)
            if qual is not None and "." in qual:
                self.found.remote.append((qual, kind, via))
                self.found.remote_sites.append((site.func, site.call.lineno))
            elif isinstance(node, ast.Attribute):
                self.found.bound.append(Passed(node, site.func, via))

    def _dispatched(self, receiver: ast.AST, site: CallSite) -> list[str]:
        """The public methods ``getattr(receiver, name)`` may pick, when ``receiver`` is ``self`` or an
        instance of one of this module's classes."""
        cls: Optional[ast.ClassDef] = None
        if isinstance(receiver, ast.Name) and receiver.id == "self":
            scope = site.func
            while scope is not None and scope.cls is None:
                scope = scope.parent
            cls = scope.cls if scope is not None else None
        elif isinstance(receiver, ast.Name):
            bound = self._bound(receiver.id, site.func)
            if isinstance(bound, ast.Call) and isinstance(bound.func, ast.Name):
                cls = self.index.classes.get(bound.func.id)
        if cls is None:
            return []
        return [name for name in self.index.methods.get(id(cls), {}) if not name.startswith("_")]

    def _passed_as(self, name: str, func: FuncInfo) -> list[tuple[CallSite, ast.AST]]:
        """For a parameter ``name`` of ``func``: the (call site, argument) of every call of ``func``
        in this module that gives it a function (``self._start(self._download, ...)``)."""
        node = func.node
        if isinstance(node, ast.Lambda):
            return []
        names = [a.arg for a in node.args.posonlyargs + node.args.args]
        if name not in names:
            return []
        found: list[tuple[CallSite, ast.AST]] = []
        for site in self.index.calls:
            callee = site.call.func
            is_method = isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) \
                and callee.value.id == "self" and func.cls is not None and callee.attr == func.name \
                and site.func is not None and site.func.cls is func.cls
            if not (is_method or (isinstance(callee, ast.Name) and callee.id == func.name
                                  and self.index.function_named(callee.id, site.func) is func)):
                continue
            position = names.index(name) - (1 if is_method else 0)
            given = site.call.args[position] if 0 <= position < len(site.call.args) else next(
                (k.value for k in site.call.keywords if k.arg == name), None)
            if isinstance(given, (ast.Name, ast.Attribute, ast.Lambda)):
                found.append((site, given))
        return found

    def _instance_method(self, node: ast.Attribute, scope: Optional[FuncInfo]) -> Optional[FuncInfo]:
        """``obj.method`` / ``Cls().method`` / ``Cls.method`` with ``Cls`` one of this module's classes."""
        receiver: ast.AST = node.value
        if isinstance(receiver, ast.Name) and receiver.id in self.index.classes \
                and self.index.resolve(receiver.id, scope) is None:
            cls: Optional[ast.ClassDef] = self.index.classes[receiver.id]
        else:
            if isinstance(receiver, ast.Name):
                bound = self._bound(receiver.id, scope)
                receiver = bound if bound is not None else receiver
            cls = None
            if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
                cls = self.index.classes.get(receiver.func.id)
        if cls is None:
            return None
        return self.index.methods.get(id(cls), {}).get(node.attr)

    def _pass(self, exprs: Sequence[ast.AST], site: CallSite, via: str, pickled: bool = False,
              receiver: Optional[ast.AST] = None) -> None:
        """Arguments given to a child; ``receiver`` is the child function a tuple of them binds to."""
        func = self.index.function_named(receiver.id, site.func) if isinstance(receiver, ast.Name) else None
        for expr in exprs:
            if func is not None and isinstance(expr, ast.Tuple):
                for position, item in enumerate(expr.elts):
                    self.found.passed.append(Passed(item, site.func, via, pickled, func, position))
            else:
                self.found.passed.append(Passed(expr, site.func, via, pickled))

    def _tornado_start(self, call: ast.Call, site: CallSite) -> bool:
        """``server.start(0)`` / ``server.start(n)`` on a tornado HTTPServer made in the same scope:
        anything but ``start(1)`` (or no argument) forks."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "start" and call.args
                and isinstance(func.value, ast.Name)):
            return False
        if isinstance(call.args[0], ast.Constant) and call.args[0].value == 1:
            return False
        server = self._bound(func.value.id, site.func)
        return isinstance(server, ast.Call) and self.index.qualname(server.func) in knowledge.TORNADO_SERVERS

    def _tornado_fork(self, call: ast.Call, site: CallSite) -> None:
        """What the Application built before a tornado fork is given (settings, an engine, a
        session factory) is handed to every forked process, whose handlers use it."""
        via = f"tornado {ast.unparse(call.func)}() at line {call.lineno}, whose forked processes run the " \
              "Application's handlers"
        for other in self.index.calls:
            made = other.call
            name = made.func.attr if isinstance(made.func, ast.Attribute) else \
                made.func.id if isinstance(made.func, ast.Name) else ""
            if name != knowledge.TORNADO_APPLICATION or not (
                    (other.func is site.func and made.lineno < call.lineno) or other.func is None):
                continue
            self._pass(list(made.args) + [k.value for k in made.keywords], site, via)
            self._tornado_handlers(kwarg(made, "handlers", 0), site, via)

    def _tornado_handlers(self, routes: Optional[ast.AST], site: CallSite, via: str) -> None:
        """The handler classes of an Application's routes (``[(r"/", Home)]``, ``url(r"/", Home)``):
        their request methods run in every forked process."""
        for route in routes.elts if isinstance(routes, (ast.List, ast.Tuple)) else []:
            parts = route.elts if isinstance(route, ast.Tuple) else \
                route.args if isinstance(route, ast.Call) else []
            handler = parts[1] if len(parts) > 1 else None
            if isinstance(handler, ast.Name) and handler.id in self.index.classes \
                    and self.index.resolve(handler.id, site.func) is None:
                methods = self.index.methods.get(id(self.index.classes[handler.id]), {})
                for method in knowledge.TORNADO_HANDLER_METHODS & set(methods):
                    self._add(methods[method], "server", via, site=site)
            elif isinstance(handler, (ast.Name, ast.Attribute)):
                qual = self.index.qualname(handler)
                if qual is not None and "." in qual:
                    for method in sorted(knowledge.TORNADO_HANDLER_METHODS):
                        self.found.remote.append((f"{qual}.{method}", "server", via))
                        self.found.remote_sites.append((site.func, site.call.lineno))

    def _start_line(self, call: ast.Call, site: CallSite) -> int:
        """The line of ``p.start()`` for ``p = Process(...)`` in the same function, else the call's."""
        starts = self.index.later_method_calls(call, site.func, "start")
        return min(starts) if starts else call.lineno

    def _daemonizer(self, site: CallSite) -> bool:
        """Is this a call of one of the module's functions that forks and ends the parent
        (``self._fork()`` of a daemon)? What the caller runs after it runs in the child."""
        if self._forks is None:  # most modules never fork themselves: nothing to look for
            self._forks = any(self.index.qualname(other.call.func) in knowledge.FORK_CALLS
                              for other in self.index.calls)
        if not self._forks:
            return False
        callee = self.index.callee(site)
        if callee is None or isinstance(callee.node, ast.Lambda):
            return False
        known = self._daemonizers.get(id(callee))
        if known is None:
            forks = [n for n in iter_scope(callee.body) if isinstance(n, ast.Call)
                     and self.index.qualname(n.func) in knowledge.FORK_CALLS]
            known = self._daemonizers[id(callee)] = bool(forks) and daemonizes(
                list(callee.node.body), forks, self.index.qualname)
        return known

    def _call(self, site: CallSite) -> None:
        call = site.call
        func = call.func
        qual = self.index.qualname(func)
        line = call.lineno
        if qual in knowledge.FORK_CALLS or qual in knowledge.DAEMON_CONTEXTS or qual in self.daemonizers \
                or self._daemonizer(site):
            self.found.fork_calls.append((call, site.func))
            return
        if qual is not None and qual in self.forking:
            self._forked_parameters(call, site, qual)
            return
        if qual in knowledge.TORNADO_FORKS or self._tornado_start(call, site):
            self._tornado_fork(call, site)
            return
        if qual in knowledge.REGISTER_AT_FORK:
            self._target(kwarg(call, "after_in_child"), site, "init", f"os.register_at_fork at line {line}")
            return
        if qual in knowledge.DATALOADERS:
            self._data_loader(call, site)
            return
        if qual in knowledge.LUIGI_BUILD:
            self._luigi_build(call, site)
            return
        made = self._constructor(call)
        if made is not None:
            kind, start = made
            if start in knowledge.NON_FORK_METHODS:
                return
            name = {"process": "Process", "pool": "Pool", "executor": "ProcessPoolExecutor"}[kind]
            if kind == "process" and self._only_run(call, site):
                return  # ``p = Process(...); p.run()``: the target runs in this process, nothing forks
            if kind == "process":
                via = f"Process(target=...) at line {line}"
                target = kwarg(call, "target", 1)
                before = len(self.found.entries)
                self._target(target, site, "process", via, start)
                started = self._start_line(call, site)
                for entry in self.found.entries[before:]:
                    entry.site_line = started  # it forks at ``p.start()`` (a close just before counts)
                for key, pos in (("args", 3), ("kwargs", 4)):
                    value = kwarg(call, key, pos)
                    if value is not None:
                        self._pass([value], site, via, receiver=target if key == "args" else None)
            else:
                via = f"{name}(initializer=...) at line {line}"
                initializer = kwarg(call, "initializer", 1 if kind == "pool" else 2)
                self._target(initializer, site, "init", via, start)
                initargs = kwarg(call, "initargs", 2 if kind == "pool" else 3)
                if initargs is not None:
                    self._pass([initargs], site, via, receiver=initializer)
            return
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        receiver = func.value
        pool_kind, start = self.pools.get(self._key(receiver, site.func) or "", ("", ""))
        direct = self._constructor(receiver)
        if direct is not None and direct[1] not in knowledge.NON_FORK_METHODS and direct[0] != "process":
            pool_kind, start = direct
        if pool_kind == "pool" and method in knowledge.POOL_METHODS:
            before = len(self.found.entries)
            self._pool_call(call, site, "pool", f"Pool.{method} at line {line}", start)
            lines = [line for line, scope in self.pool_lines.get(self._key(receiver, site.func) or "", [])
                    if scope is site.func and line <= call.lineno]  # the pool bound last before this call
            for entry in self.found.entries[before:]:
                if lines:
                    entry.site_line = max(lines)
        elif pool_kind == "executor" and method in knowledge.EXECUTOR_METHODS:
            self._pool_call(call, site, "executor", f"ProcessPoolExecutor.{method} at line {line}", start)
        elif method == "run_in_executor" and len(call.args) >= 2:  # ``loop.run_in_executor(pool, f, x)``
            executor = call.args[0]
            kind, start = self.pools.get(self._key(executor, site.func) or "", ("", ""))
            direct = self._constructor(executor)
            if direct is not None:
                kind, start = direct
            if kind == "executor":
                via = f"run_in_executor at line {line}"
                self._target(call.args[1], site, "executor", via, start)
                self._pass(list(call.args[2:]), site, via, pickled=True)
        elif method in knowledge.RQ_ENQUEUE:
            self._enqueue(call, site, knowledge.RQ_ENQUEUE[method], f".{method} at line {line}")
        elif method in knowledge.CELERY_CALL_METHODS and isinstance(receiver, ast.Name) \
                and receiver.id in self.tasks and self.index.resolve(receiver.id, site.func) is None:
            self._pass(list(call.args) + [k.value for k in call.keywords], site,
                       f"{receiver.id}.{method} at line {line}", pickled=True)
        elif connected_signal(func) in knowledge.CELERY_CHILD_SIGNALS and call.args:
            self._target(call.args[0], site, "init", f"worker_process_init.connect at line {line}")

    def _forked_parameters(self, call: ast.Call, site: CallSite, qual: str) -> None:
        """``parallel_command_executor(ids, worker)`` of another module that starts ``worker`` in a
        child: the function given is an entry, forked at this call."""
        for _, position, param, kind in self.forking[qual]:
            before = len(self.found.entries)
            self._target(kwarg(call, param, position), site, kind,
                         f"{qual.rsplit('.', 1)[-1]}() at line {call.lineno}, which forks it")
            for entry in self.found.entries[before:]:
                entry.site_line = call.lineno

    def _workers(self, call: ast.Call, keyword: str, serial: int) -> bool:
        """Does ``keyword=`` ask for forked workers (absent: the engine's default, ``serial``)?"""
        value = kwarg(call, keyword)
        if value is None:
            return False
        if isinstance(value, ast.Constant) and isinstance(value.value, int):
            return value.value > serial
        return True  # a variable: assume the workers fork

    def _data_loader(self, call: ast.Call, site: CallSite) -> None:
        """``DataLoader(dataset, num_workers=4)``: the workers call the dataset's ``__getitem__`` on the
        object the parent made (unless a spawn context is given)."""
        context = kwarg(call, "multiprocessing_context")
        if not self._workers(call, "num_workers", 0) or (
                isinstance(context, ast.Constant) and context.value in knowledge.NON_FORK_METHODS):
            return
        dataset = kwarg(call, "dataset", 0)
        made = self._bound(dataset.id, site.func) if isinstance(dataset, ast.Name) else dataset
        if not (isinstance(made, ast.Call) and isinstance(made.func, ast.Name)
                and made.func.id in self.index.classes):
            return
        cls = self.index.classes[made.func.id]
        methods = self.index.methods.get(id(cls), {})
        via = f"DataLoader(num_workers=...) at line {call.lineno}"
        for name in knowledge.DATASET_METHODS:
            if name in methods:
                self._add(methods[name], "loader", via, site=site, self_parent=True)

    def _luigi_build(self, call: ast.Call, site: CallSite) -> None:
        """``luigi.build(tasks, workers=4)``: every task's ``run()`` runs in a forked process."""
        if not self._workers(call, "workers", 1):
            return
        via = f"luigi.build(workers=...) at line {call.lineno}"
        for cls in self.index.all_classes:
            if any(self.index.qualname(b) in knowledge.LUIGI_TASK_BASES for b in cls.bases):
                run = self.index.methods.get(id(cls), {}).get("run")
                if run is not None:
                    self._add(run, "process", via, site=site)

    def _only_run(self, call: ast.Call, site: CallSite) -> bool:
        """Is the process bound to a name on which this scope calls ``run()`` but never ``start()``?"""
        names = [t.id for t, value, scope in self.index.bindings
                 if value is call and isinstance(t, ast.Name) and scope is site.func]
        if not names:
            return False
        body = site.func.body if site.func is not None else list(self.index.tree.body)
        methods = {n.attr for n in iter_scope(body) if isinstance(n, ast.Attribute)
                   and isinstance(n.value, ast.Name) and n.value.id in names}
        return "run" in methods and "start" not in methods

    def _pool_call(self, call: ast.Call, site: CallSite, kind: str, via: str, start: str) -> None:
        self._target(kwarg(call, "func", 0) or kwarg(call, "fn", 0), site, kind, via, start)
        rest = list(call.args[1:]) + [k.value for k in call.keywords if k.arg not in ("func", "fn")]
        self._pass(rest, site, via, pickled=True)

    def _enqueue(self, call: ast.Call, site: CallSite, position: int, via: str) -> None:
        target = kwarg(call, "func", position) or kwarg(call, "f", position)
        before = len(self.found.entries)
        self._target(target, site, "rq", f"RQ {via}")
        if len(self.found.entries) == before:
            return  # not one of this module's functions: not provably an RQ job
        rest = [a for i, a in enumerate(call.args) if i > position] + \
            [k.value for k in call.keywords if k.arg not in ("func", "f")]
        self._pass(rest, site, f"RQ {via}", pickled=True)
