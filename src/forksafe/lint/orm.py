"""ORMs that connect implicitly: Django's connection behind ``Model.objects`` and model instances, and
mongoengine's default client behind ``Document.objects``.

A child that queries through them uses whatever connection the process had when it forked; these
rules decide whether the parent had opened one (a query before the fork, ``mongoengine.connect()``)
and whether it was reset (``close_all()`` before the fork; not in the child, whose goodbye would go
over the parent's socket). A custom RQ worker class that queries in the worker process opens the
connection every work horse it forks afterwards inherits; an ``AppConfig.ready()`` that queries, in a
project a preforking server sets up in its master, opens the one every worker inherits.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from . import codes, knowledge
from .config import WORKERS_RESET
from .entries import Entry
from .scopes import FuncInfo, ModuleIndex, iter_scope
from .taint import Origin

if TYPE_CHECKING:
    from .analysis import Analyzer, Path


def _instance_write(node: ast.AST) -> bool:
    """``log.save()``, ``row.delete()``: a model instance writing through the ORM (no positional
    arguments, unlike ``image.save(path)``)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in knowledge.ORM_INSTANCE_METHODS and not node.args \
        and isinstance(node.func.value, (ast.Name, ast.Attribute))


def _report(analyzer: Analyzer, node: ast.AST, func: FuncInfo, paths: Path, code: codes.Code, text: str,
            origin: Origin) -> None:
    """Report an ORM use in the child, with the path from the entry to it."""
    steps = analyzer._path_steps(node, func, paths)
    analyzer._report(node, code, text + (" (" + " -> ".join(steps) + ")" if steps else ""), origin)


def _model_call(node: ast.AST, models: set[str]) -> bool:
    """``SequenceCounter.get_next()``: a class method of a model, which queries through the ORM."""
    return bool(models) and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and isinstance(node.func.value, ast.Name) and node.func.value.id in models


# Children whose Django ORM use is checked (Celery tasks are not: its Django fixup closes the
# connections in every pool child).
_ORM_KINDS = frozenset({"process", "pool", "executor", "init", "run"})


def opens_django(index: ModuleIndex, node: ast.AST) -> bool:
    """Does this node open Django's connection in the process that runs it: an ORM query
    (``X.objects``), or a call that connects (``transaction.atomic()``, ``connection.cursor()``)?"""
    return (isinstance(node, ast.Attribute) and node.attr == "objects") \
        or (isinstance(node, ast.Call) and index.qualname(node.func) in knowledge.DJANGO_OPENS)


def _django_orm(analyzer: Analyzer, entry: Optional[Entry] = None) -> Optional[Origin]:
    """Django's ORM opens ``django.db.connection`` implicitly: a query the parent runs
    (``Model.objects...`` at import or in a function no child runs) leaves it open for the fork;
    not one that the forking function runs only after the fork (``Pool()`` first, then queries)."""
    if not any(q.startswith("django") for q in analyzer.index.imports.values()):
        return None
    for func, body in analyzer._parent_bodies():
        forks_at = _forks_at(func, entry)
        for inner in iter_scope(body):
            if not opens_django(analyzer.index, inner):
                continue
            if forks_at and getattr(inner, "lineno", 0) > forks_at:
                continue
            where = f"in {func.name}()" if func is not None else "at module level"
            what = f"Django ORM query ({ast.unparse(inner)}...) {where}"
            return Origin("objects", getattr(inner, "lineno", 0), what, kind="Django connection")
    return None


def _queries_after_fork(analyzer: Analyzer, entry: Entry) -> bool:
    """This module runs the fork and then queries (``self.workers_start()``, then ``X.objects``): it
    orders the two itself, so no connection is open at the fork, whatever other modules do."""
    for func, body in analyzer._parent_bodies():
        forks_at = _forks_at(func, entry)
        if forks_at and func is not entry.site_func and any(
                isinstance(n, ast.Attribute) and n.attr == "objects" and n.lineno > forks_at
                for n in iter_scope(body)):
            return True
    return False


def _forks_at(func: Optional[FuncInfo], entry: Optional[Entry]) -> int:
    """The line where ``func`` forks ``entry``'s children: the fork itself, or a call of the method or
    function that forks (``self.workers_start()`` and then the queries); 0 if it does not."""
    if entry is None or not entry.site_line or func is None:
        return 0
    if func is entry.site_func:
        return entry.site_line
    site = entry.site_func
    if site is None or isinstance(func.node, ast.Lambda):
        return 0
    for node in iter_scope(func.body):
        if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Name) and node.func.id == site.name and site.cls is None)
                or (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "self" and node.func.attr == site.name
                    and site.cls is not None and site.cls is func.cls)):
            return node.lineno
    return 0


def _document_orm(analyzer: Analyzer, entry: Entry) -> Optional[Origin]:
    """mongoengine's ``connect()`` (eager unless ``connect=False``) in the parent, here or through a
    helper of another module (``connect_to_database("twitter")`` at import): every ``Document``
    query and save goes through that default client, in a child too."""
    for site in analyzer.index.calls:
        if site.func is not None and id(site.func) in analyzer.child_side:
            continue
        qual = analyzer.index.qualname(site.call.func)
        if qual in knowledge.DOCUMENT_ORM_CONNECTS:
            made = analyzer.taint.value(site.call, analyzer.taint.env_for(site.func))
            if made is not None:
                return made
        elif qual is not None and analyzer.externals is not None and analyzer.externals.orm_connector(qual):
            return Origin("", site.call.lineno, f"mongoengine.connect() by {ast.unparse(site.call.func)}()",
                          kind="MongoDB client")
    made = analyzer.externals.documents_connected() if analyzer.externals is not None else None
    if made is not None and (entry.kind in ("server", "celery") or any(
            q.split(".")[0] == "celery" for q in analyzer.index.imports.values())):
        return made  # the Celery worker imports the app (which connected) before forking its pool; a
    return None      # server's master connected before forking the processes that serve requests


def _scan_document_orm(analyzer: Analyzer, entry: Entry, code: codes.Code, where: str, paths: Path) -> None:
    origin = _document_orm(analyzer, entry)
    if origin is None:
        return
    for func, _, _ in paths.values():
        for node in iter_scope(func.body):
            # a query here, or a call of another module's function that queries (``views.purge()``)
            helper = _orm_helper_call(analyzer, node, func)
            queried = isinstance(node, ast.Attribute) and node.attr == "objects"
            if queried or _instance_write(node) or helper:
                used = f"{helper}(), which queries," if helper else ast.unparse(node)
                text = (f"{origin.kind} ({origin.describe()}, mongoengine's default connection) is used "
                        f"by {used} in {where}; connect in the child, or pass "
                        "connect=False in the parent and query only in the children")
                _report(analyzer, node, func, paths, code, text, origin)
                return


def _model_names(analyzer: Analyzer) -> set[str]:
    """Names this module uses as Django models (``X.objects``): ``X.get_next()`` queries too."""
    return {n.value.id for n in ast.walk(analyzer.index.tree) if isinstance(n, ast.Attribute)
            and n.attr == "objects" and isinstance(n.value, ast.Name)}


def _child_closes_django(analyzer: Analyzer, paths: Path) -> int:
    """The line where the child side closes Django's inherited connections, or 0."""
    for reset in analyzer.resets.get("django", ()):
        if reset.method in ("close", "close_all") and reset.func is not None and id(reset.func) in paths:
            return reset.line
    return 0


def _forks_first_in_command(analyzer: Analyzer, entry: Entry) -> bool:
    """A management command's ``handle()`` that forks before it queries: Django opens no connection
    before ``handle()`` runs, so none is open at the fork."""
    func = entry.site_func
    if func is None or func.name != "handle" or func.cls is None or not entry.site_line \
            or not any(analyzer.index.qualname(b) in knowledge.DJANGO_COMMANDS for b in func.cls.bases):
        return False
    before = [n for n in iter_scope(func.body) if getattr(n, "lineno", entry.site_line) < entry.site_line]
    return not any((isinstance(n, ast.Attribute) and n.attr == "objects")
                   or (isinstance(n, ast.Call) and _orm_helper_call(analyzer, n, func)) for n in before)


def scan_orm(analyzer: Analyzer, entry: Entry, code: codes.Code, where: str, paths: Path) -> None:
    _scan_document_orm(analyzer, entry, code, where, paths)  # Celery tasks and RQ jobs too
    if entry.kind not in _ORM_KINDS:
        return
    origin = _django_orm(analyzer, entry)
    opened = f"opened by the parent's {origin.what} at line {origin.line}" if origin is not None else ""
    if origin is None and analyzer.externals is not None and analyzer.externals.orm_project() \
            and not _forks_first_in_command(analyzer, entry) and not _queries_after_fork(analyzer, entry):
        # Another module of this Django project queried (a management command's loop, the
        # caller of this function): the process that forks has its connection open.
        origin = Origin("objects", entry.site_line or entry.func.node.lineno,
                        "Django ORM connection of the forking process", kind="Django connection")
        opened = "opened lazily by the process that forks, which has usually queried by then"
    if origin is None or analyzer._is_reset("django", origin, entry):
        return
    django_here = any(q.startswith("django") for q in analyzer.index.imports.values())
    models = _model_names(analyzer) if django_here else set()
    for func, _, _ in paths.values():
        for node in iter_scope(func.body):
            helper = _orm_helper_call(analyzer, node, func)
            if (isinstance(node, ast.Attribute) and node.attr == "objects") or helper \
                    or (django_here and _instance_write(node)) or _model_call(node, models):
                used = ast.unparse(node) if not helper else f"{helper}() (it queries the ORM)"
                text = (f"Django connection ({opened}) is used by {used} in {where}; close it before "
                        "the fork with django.db.connections.close_all()")
                closed = _child_closes_django(analyzer, paths)
                if closed:  # what Celery's Django fixup avoids: it drops the inherited descriptors
                    text += (f" (closing it in the child, at line {closed}, is no fix: the driver's "
                             "goodbye goes over the parent's socket and ends its session)")
                _report(analyzer, node, func, paths, code, text, origin)
                return


def _orm_helper_call(analyzer: Analyzer, node: ast.AST, func: FuncInfo) -> str:
    """``get_or_create_erratum(...)`` of another module whose functions query the ORM."""
    if analyzer.externals is None or not isinstance(node, ast.Call):
        return ""
    for qual in analyzer._external_targets(node, func):
        if analyzer.externals.orm_helper(qual):
            return ast.unparse(node.func)
    return ""


def _local_bases(analyzer: Analyzer, cls: ast.ClassDef) -> list[ast.ClassDef]:
    """``cls`` and the classes of this module it extends, nearest first."""
    chain: list[ast.ClassDef] = []
    todo = [cls]
    while todo and len(chain) < 8:
        current = todo.pop(0)
        if current in chain:
            continue
        chain.append(current)
        todo.extend(analyzer.index.classes[b.id] for b in current.bases
                    if isinstance(b, ast.Name) and b.id in analyzer.index.classes)
    return chain


def _class_methods(analyzer: Analyzer, cls: ast.ClassDef) -> dict[str, FuncInfo]:
    """The methods of ``cls``, also those it inherits from this module's classes (nearest wins)."""
    methods: dict[str, FuncInfo] = {}
    for base in reversed(_local_bases(analyzer, cls)):
        methods.update(analyzer.index.methods.get(id(base), {}))
    return methods


def _extends_rq_worker(analyzer: Analyzer, cls: ast.ClassDef) -> bool:
    return any(analyzer.index.qualname(b) in knowledge.RQ_WORKERS
               for c in _local_bases(analyzer, cls) for b in c.bases)


def _closes_django(analyzer: Analyzer, func: FuncInfo) -> bool:
    """Does ``func`` close Django's connections (``connection.close()``, ``connections.close_all()``)?
    The analysis's resets already know every such call."""
    return any(r.func is func and r.method in knowledge.RESET_BEFORE_FORK
               for r in analyzer.resets.get("django", ()))


def _app_config_helper(analyzer: Analyzer, node: ast.AST) -> str:
    """``scanpipe_app.sync_runs_and_jobs()`` where ``scanpipe_app = apps.get_app_config("scanpipe")``:
    a method of the app's ``AppConfig`` (in ``scanpipe/apps.py``) that queries the ORM."""
    if analyzer.externals is None or not isinstance(node, ast.Call) \
            or not isinstance(node.func, ast.Attribute) or not isinstance(node.func.value, ast.Name):
        return ""
    bound = next((v for t, v, where in analyzer.index.bindings if isinstance(t, ast.Name)
                  and t.id == node.func.value.id and where is None), None)
    if not (isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute)
            and bound.func.attr == "get_app_config" and bound.args
            and isinstance(bound.args[0], ast.Constant) and isinstance(bound.args[0].value, str)):
        return ""
    label = bound.args[0].value
    if analyzer.externals.app_config_helper(label, node.func.attr):
        return ast.unparse(node.func)
    return ""


def _orm_query(analyzer: Analyzer, func: FuncInfo) -> Optional[tuple[ast.AST, str]]:
    """The first Django ORM query in ``func``: ``X.objects``, or a call of a project function or an
    app config method that queries."""
    for node in iter_scope(func.body):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return node, ast.unparse(node)
        helper = _orm_helper_call(analyzer, node, func) or _app_config_helper(analyzer, node)
        if helper:
            return node, f"{helper}() (it queries the ORM)"
    return None


def _reached_from(analyzer: Analyzer, start: FuncInfo, methods: dict[str, FuncInfo]) -> list[FuncInfo]:
    """``start`` and what it calls of its own class (``self.remove_obsolete_tasks()``) and module
    (``update_site()``), transitively, in the order first reached."""
    reached = [start]
    for func in reached:
        if len(reached) > 32:
            break
        for node in iter_scope(func.body):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func
            found = methods.get(callee.attr) if isinstance(callee, ast.Attribute) \
                and isinstance(callee.value, ast.Name) and callee.value.id == "self" \
                else analyzer.index.module_funcs.get(callee.id) if isinstance(callee, ast.Name) else None
            if found is not None and found not in reached:
                reached.append(found)
    return reached


def _ready_query(analyzer: Analyzer, cls: ast.ClassDef) -> Optional[tuple[ast.AST, str, str]]:
    """(node, what, where) of the first Django query an ``AppConfig``'s ``ready()`` runs, itself or
    through what it calls; None when it has none, or closes the connection again."""
    methods = _class_methods(analyzer, cls)
    ready = methods.get("ready")
    if ready is None:
        return None
    reached = _reached_from(analyzer, ready, methods)
    if any(_closes_django(analyzer, func) for func in reached):
        return None
    for func in reached:
        for node in iter_scope(func.body):
            helper = _orm_helper_call(analyzer, node, func)
            if opens_django(analyzer.index, node) or helper:
                used = f"{helper}() (it queries the ORM)" if helper else ast.unparse(node)
                where = f"{cls.name}.ready()" + (f" -> {func.name}()" if func is not ready else "")
                return node, used, where
    return None


def scan_ready_in_master(analyzer: Analyzer) -> None:
    """An ``AppConfig.ready()`` that queries, in a project a preforking server sets up in its master
    (``preload_app = True`` serving Django's WSGI application): ``django.setup()`` runs every
    ``ready()`` there, so the connection the query opens stays open across the fork and every
    worker serves its requests over the master's session. Quiet when ``ready()`` closes it again
    (``connections.close_all()``), or the server's ``post_fork`` hook does."""
    via = analyzer.preloaded_by
    if via is None or WORKERS_RESET in via:
        return
    for cls in analyzer.index.all_classes:
        if not any(analyzer.index.qualname(b) in knowledge.DJANGO_APP_CONFIGS
                   for c in _local_bases(analyzer, cls) for b in c.bases):
            continue
        found = _ready_query(analyzer, cls)
        if found is None:
            continue
        node, used, where = found
        origin = Origin("objects", getattr(node, "lineno", 0), f"Django ORM query ({used}) in {where}",
                        kind="Django connection")
        analyzer._report(node, codes.MODULE_CONN_IN_CHILD, (
            f"Django connection opened by {used} in {where}, which django.setup() runs in the server's "
            f"master ({via}): every worker inherits the open connection and serves its requests over the "
            "master's session; close it at the end of ready(): django.db.connections.close_all()"), origin)


def _forking_rq_worker(analyzer: Analyzer, node: ast.AST, scope: Optional[FuncInfo]) -> bool:
    """Is ``node`` an RQ worker that forks a work horse per job: ``rq.Worker(...)``,
    ``django_rq.get_worker()`` (not given ``worker_class=SimpleWorker``), or a name bound to one?"""
    if isinstance(node, ast.Name):
        return any(_forking_rq_worker(analyzer, value, where)
                   for target, value, where in analyzer.index.bindings
                   if where is scope and isinstance(target, ast.Name) and target.id == node.id
                   and isinstance(value, ast.Call))
    if not isinstance(node, ast.Call):
        return False
    qual = analyzer.index.qualname(node.func) or ""
    given = next((k.value for k in node.keywords if k.arg == "worker_class"), None)
    return qual in knowledge.RQ_WORKERS or (qual in knowledge.RQ_WORKER_FACTORIES and (
        given is None or analyzer.index.qualname(given) not in knowledge.RQ_NON_FORKING_WORKERS))


def _scan_work_after_query(analyzer: Analyzer) -> None:
    """A function of a Django project that queries the ORM and then runs an RQ worker in its own
    process (``django_rq.get_worker().work(burst=True)`` in a test): the worker forks a work horse per
    job, each inheriting the connection the query opened, and the jobs query over it."""
    for site in analyzer.index.calls:
        call, func = site.call, site.func
        if func is None or not (isinstance(call.func, ast.Attribute) and call.func.attr == "work") \
                or not _forking_rq_worker(analyzer, call.func.value, func):
            continue
        found = _orm_query(analyzer, func)
        if found is None or getattr(found[0], "lineno", call.lineno) >= call.lineno or any(
                r.func is func and r.method in knowledge.RESET_BEFORE_FORK and r.line < call.lineno
                for r in analyzer.resets.get("django", ())):
            continue
        node, used = found
        _report_horse_query(analyzer, node, used, call.lineno, (
            f"Django connection (opened by {used} in {func.name}()) is inherited by every work horse "
            f"the RQ worker started at line {call.lineno} ({ast.unparse(call.func)}()) forks, and its "
            "jobs query over it; close it first: django.db.connections.close_all() before work(), or "
            "run the jobs with worker_class=SimpleWorker"))


def _report_horse_query(analyzer: Analyzer, node: ast.AST, used: str, line: int, text: str) -> None:
    """Report a Django ORM query of the process an RQ worker runs in (its horses inherit it)."""
    origin = Origin("objects", getattr(node, "lineno", line), f"Django ORM query ({used})",
                    kind="Django connection")
    analyzer._report(node, codes.CONN_IN_TASK, text, origin)


def scan_rq_worker_parent(analyzer: Analyzer) -> None:
    """A custom RQ worker (``class W(rq.Worker)``) of a Django project whose own methods query the
    ORM (``run_maintenance_tasks`` syncing job state): they run in the worker process, so every work
    horse forked afterwards inherits that open connection and its jobs query over it. Quiet when the
    class closes the connections in ``execute_job`` / ``fork_work_horse``, before each fork. The same
    for a function that queries and then runs a worker itself."""
    if not any(q.startswith("django") for q in analyzer.index.imports.values()):
        return
    _scan_work_after_query(analyzer)
    for cls in analyzer.index.all_classes:
        if not _extends_rq_worker(analyzer, cls):
            continue
        methods = _class_methods(analyzer, cls)
        if any(_closes_django(analyzer, method) for name, method in methods.items()
               if name in knowledge.RQ_BEFORE_FORK_METHODS):
            continue
        for name, method in methods.items():
            if name in knowledge.RQ_HORSE_METHODS or name in knowledge.RQ_BEFORE_FORK_METHODS:
                continue
            found = _orm_query(analyzer, method)
            if found is None:
                continue
            node, used = found
            _report_horse_query(analyzer, node, f"{used}) in {cls.name}.{name}(", method.node.lineno, (
                f"Django connection (opened by {used} in {cls.name}.{name}(), which runs in the RQ "
                f"worker process) is inherited by every work horse {cls.name} forks afterwards, and "
                "its jobs query over it; close it before each fork: django.db.connections.close_all() "
                "in execute_job(), before super().execute_job()"))
            break
