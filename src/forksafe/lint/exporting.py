"""What one module offers the others: the second half of the analysis of a module.

Pass one asks each module (``Analyzer``) what it exports (import-time connections, factories,
getters, helpers that touch a connection, lazily set globals, what it hands to other modules'
functions) and what its import runs in a preloaded app's master; ``project.ProjectExports`` then
answers other modules' questions from these. Kept apart from ``analysis`` so that that module is
about one thing, finding uses in children.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace

from . import knowledge
from .analysis import Analyzer
from .scopes import FuncInfo, ModuleIndex, is_singleton, iter_scope, main_guarded, parent_signal_handlers
from .taint import Exports, Origin, call_arguments, opening_text, web_apps


def _closed_calls(index: ModuleIndex) -> set[int]:
    """Calls inside a block that closes its connection on exit (``with db.connection_context():``,
    ``knowledge.CLOSING_CONTEXTS``): what they open is closed again before anything later forks."""
    closed: set[int] = set()
    if not any(isinstance(site.call.func, ast.Attribute) and site.call.func.attr in knowledge.CLOSING_CONTEXTS
               for site in index.calls):
        return closed  # most modules have no such block: no walk of their tree
    for node in ast.walk(index.tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                isinstance(item.context_expr, ast.Call) and isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr in knowledge.CLOSING_CONTEXTS for item in node.items):
            closed.update(id(n) for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Call))
    return closed


def import_time_calls(index: ModuleIndex) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """What the module's import calls and what each of its functions calls (``_import_calls``,
    ``_function_calls``), leaving out calls inside a block that closes its connection again (``with
    db.connection_context():``): what a master runs when it imports the module, or calls a function."""
    closed = _closed_calls(index)
    return _import_calls(index, closed), _function_calls(index, closed)


def _import_calls(index: ModuleIndex, closed: set[int]) -> frozenset[str]:
    """What this module calls when imported, by qualified name (``pkg.db.init_db``); not what it
    calls under ``if __name__ == "__main__":`` (run as a script, not imported)."""
    names: set[str] = set()
    guarded = main_guarded(index.tree)
    for site in index.calls:
        if not index.run_at_import(site) or guarded(site.call.lineno) or id(site.call) in closed:
            continue
        qual = index.qualname(site.call.func)
        if qual is None and isinstance(site.call.func, ast.Name) and index.module:
            qual = f"{index.module}.{site.call.func.id}"
        if qual is not None:
            names.add(qual)
    # Celery's ``@worker_init.connect`` handlers run in the worker's main process before it forks its
    # pool: what they set up (``get_mongo_client()`` caching its client) the pool children inherit
    for handler, _ in parent_signal_handlers(index).values():
        if index.module and index.module_funcs.get(handler.name) is handler:
            names.add(f"{index.module}.{handler.name}")
    return frozenset(names)

def _function_calls(index: ModuleIndex, closed: set[int]) -> dict[str, frozenset[str]]:
    """What each module-level function calls, by qualified name: what runs in the master when an
    import-time call reaches it (``create_app() -> register_blueprints() -> routes.get_routes()``)."""
    calls: dict[str, set[str]] = {}
    for site in index.calls:
        if id(site.call) in closed:
            continue
        owner = site.func
        while owner is not None and owner.parent is not None:
            owner = owner.parent
        if owner is None or owner.cls is not None or index.module_funcs.get(owner.name) is not owner:
            continue
        qual = index.qualname(site.call.func)
        if qual is None and isinstance(site.call.func, ast.Name) and index.module \
                and site.call.func.id in index.module_funcs:
            qual = f"{index.module}.{site.call.func.id}"
        if qual is not None:
            calls.setdefault(owner.name, set()).add(qual)
    return {name: frozenset(quals) for name, quals in calls.items()}

def _export_renewing_methods(analyzer: Analyzer, out: Exports) -> None:
    """Methods that make the instance's client anew (``store.connect()`` re-running the ``init()``
    that ``__init__`` ran): a child that calls one, as a Celery ``worker_process_init`` handler does,
    then holds a client of its own. Keyed by the class's and its module-level instances' names."""
    for cls_name, cls in analyzer.index.classes.items():
        attrs = set(analyzer.taint.class_attrs.get(id(cls), {}))
        if not attrs:
            continue
        methods = analyzer.index.methods.get(id(cls), {})
        renewing = [name for name, meth in methods.items()
                    if name != "__init__" and _stores_self_attrs(meth, methods, attrs)]
        if not renewing:
            continue
        call = ast.Call(func=ast.Name(id=cls_name, ctx=ast.Load()), args=[], keywords=[])
        call.lineno = cls.lineno
        held = analyzer.taint.instance(cls, call)
        if held is None:
            continue
        held = replace(held, path=held.path or analyzer.path)
        owners = [cls_name] + [name for name, of in out.instances.items() if of == cls_name]
        for owner in owners:
            for name in renewing:
                out.resets.setdefault(f"{owner}.{name}", []).append(held)


def _stores_self_attrs(method: FuncInfo, methods: dict[str, FuncInfo], attrs: set[str]) -> bool:
    """Does ``method``, or a method it calls on ``self``, assign one of ``attrs`` unconditionally
    (not under ``if self._con is None:``, which an inherited client skips)?"""
    seen, todo = {id(method)}, [method]
    while todo:
        func = todo.pop()
        guarded = {id(n) for node in iter_scope(func.body) if isinstance(node, ast.If)
                   and any(isinstance(t, ast.Attribute) and t.attr in attrs for t in ast.walk(node.test))
                   for stmt in node.body for n in ast.walk(stmt)}
        for node in iter_scope(func.body):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "self":
                if isinstance(node.ctx, ast.Store) and node.attr in attrs and id(node) not in guarded:
                    return True
                called = methods.get(node.attr)
                if called is not None and id(called) not in seen:
                    seen.add(id(called))
                    todo.append(called)
    return False


def resets_at_import(analyzer: Analyzer) -> bool:
    """A module-level ``engine.dispose()`` / ``connections.close_all()``: what a preloaded app does
    after setup so that the forked workers start with empty pools."""
    return any(r.func is None and not r.close_false for rs in analyzer.resets.values() for r in rs
               if r.method in ("dispose", "close_all"))

# -- what other modules see ------------------------------------------------------------------------
def module_exports(analyzer: Analyzer, module: str) -> Exports:
    out = Exports(module, analyzer.path)
    holders: dict[str, Origin] = {}  # ``from django.db import connection``: known by name anywhere,
    for name, origin in analyzer.taint.module.items():  # so not exported, but helpers using it are
        if origin.what in knowledge.IMPORTED_HOLDERS:
            holders[name] = replace(origin, path=analyzer.path)
        elif not origin.main_guard and (not origin.path or origin.fresh) \
                and not analyzer._is_reset(name, origin, None):  # made here (maybe by a factory)
            out.globals[name] = replace(origin, path=origin.path or analyzer.path, fresh=False)
    for name, origin in analyzer.globals.items():  # ``app.db`` set by a function the parent runs
        if "." in name and name not in out.globals and not origin.main_guard and not origin.path:
            out.globals[name] = replace(origin, path=analyzer.path)
    for name, origin in out.globals.items():
        base, _, attr = name.partition(".")
        if base in analyzer.taint.apps and "." not in attr:
            out.app_attrs.setdefault(attr, origin)
    for func in analyzer.index.funcs.values():  # ``app = Flask(...); app.db = connect()`` in a factory,
        apps = _web_apps(analyzer, func)        # or ``def init_db(app): app.db = connect()``
        for name, origin in analyzer.taint.local.get(id(func), {}).items():
            base, _, attr = name.partition(".")
            if base in apps and attr and "." not in attr:
                step = f"set as {name} in {func.name}()"
                out.app_attrs.setdefault(attr, replace(origin, path=origin.path or analyzer.path,
                                                       steps=origin.steps + (step,)))
    for cls_name, cls in analyzer.index.classes.items():
        if analyzer.taint.class_attrs.get(id(cls)) or analyzer.taint.method_attrs.get(id(cls)):
            call = ast.Call(func=ast.Name(id=cls_name, ctx=ast.Load()), args=[], keywords=[])
            call.lineno = cls.lineno
            held = analyzer.taint.instance(cls, call)
            if held is not None and is_singleton(cls):
                out.singletons[cls_name] = replace(held, path=held.path or analyzer.path,
                                                   steps=held.steps[:-1] + (
                    f"the one instance of singleton {module.rsplit('.', 1)[-1]}.{cls_name}",))
            if held is not None:
                opening = f", once {opening_text(held.opened_by)} connects it" if held.opened_by else ""
                out.factories[cls_name] = replace(held, path=held.path or analyzer.path, fresh=True,
                                                  steps=held.steps[:-1] + (
                    f"held as an attribute by {module.rsplit('.', 1)[-1]}.{cls_name}(){opening}",))
    for (owner, attr), origin in analyzer.taint.class_stores.items():  # ``cls.db = connect()`` in a
        scope = analyzer.taint.class_store_scopes.get((owner, attr))       # classmethod another module
        if scope is not None and scope.cls is not None and scope.cls.name == owner \
                and owner not in out.globals:                              # calls (``Session.init_app``)
            out.globals[owner] = replace(
                origin, name=owner, chainable=True, lazy=True, opened_by=(scope.name,),
                path=origin.path or analyzer.path,
                steps=origin.steps + (f"kept as {owner}.{attr} by {owner}.{scope.name}()",))
    for cls_name, cls in analyzer.index.classes.items():  # ``Feed.select()``: the class holds a client
        if analyzer.taint.body_attrs.get(id(cls)) and cls_name not in out.globals:
            held = analyzer.taint.class_holder(cls_name)
            if held is not None:
                out.globals[cls_name] = replace(held, name=cls_name, path=held.path or analyzer.path)
    for cls_name, cls in analyzer.index.classes.items():
        attrs = analyzer.taint.class_attrs.get(id(cls), {})
        methods = analyzer.index.methods.get(id(cls), {})
        if not attrs:
            continue
        for meth_name, meth in methods.items():
            seen, todo, held_reads = {id(meth)}, [meth], []
            while todo:
                current = todo.pop()
                for node in iter_scope(current.body):
                    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                            and node.value.id == "self":
                        direct = node.attr in attrs and not any(
                            step.startswith("held as") for step in attrs[node.attr].steps)
                        if direct and attrs[node.attr] not in held_reads:  # not an object holding
                            held_reads.append(attrs[node.attr])  # one (its methods may not use it)
                        called = methods.get(node.attr)
                        if called is not None and id(called) not in seen:
                            seen.add(id(called))
                            todo.append(called)
            if held_reads and meth_name != "__init__":
                out.self_uses[f"{cls_name}.{meth_name}"] = [replace(o, path=o.path or analyzer.path)
                                                            for o in held_reads[:3]]
    _export_passes(analyzer, out, module)
    out.guards = dict(analyzer.pid_guards[0])
    # only lazy clients ask whether the parent used them
    if analyzer.settings.lazy_clients or any(o.lazy for o in analyzer.taint.module.values()):
        out.used_at_import = analyzer.used_at_import()
        for fname, func in analyzer.index.module_funcs.items():
            through = analyzer.calls_through(func)
            if through:
                out.calls_through[fname] = through
    out.binds = analyzer.binds_by_function()
    if out.binds or any(o.kind in knowledge.BOUND_BY for o in analyzer.taint.module.values()):
        out.bound_at_import = analyzer.bound_at_import()
    for fname, func in analyzer.index.module_funcs.items():  # helpers that renew a global in the caller
        renewed = analyzer._renews(func, out.globals)
        if renewed:
            out.resets[fname] = renewed
    for stmt in analyzer.index.tree.body:  # module-level instances of this module's classes
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id in analyzer.index.classes:
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    out.instances[target.id] = stmt.value.func.id
    _export_renewing_methods(analyzer, out)
    funcs = dict(analyzer.index.module_funcs)
    for cls_name, cls in analyzer.index.classes.items():
        for meth_name, meth in analyzer.index.methods.get(id(cls), {}).items():
            funcs[f"{cls_name}.{meth_name}"] = meth
    lazy: dict[str, Origin] = {}
    lazy_by_func: dict[int, list[Origin]] = {}
    for setter, origin in analyzer.taint.global_in_func:
        lazy.setdefault(origin.name, replace(origin, path=origin.path or analyzer.path))
        lazy_by_func.setdefault(id(setter), []).append(origin)
    made_here = {**lazy, **out.globals}
    out.guarded_made = sorted({(o.path or analyzer.path, o.line) for name in analyzer.pid_guards[1]
                               if (o := made_here.get(name)) is not None})
    chained = analyzer.externals is not None  # pass two: helpers of helpers in other modules
    # connections this module imports from another (``from .extensions import db``)
    imported = {n: o for n, o in analyzer.taint.module.items() if o.path and not o.fresh and not o.main_guard}
    touchable = {**holders, **out.globals}
    for name, func in funcs.items():
        reach = analyzer.reach([func]) if (touchable or lazy or chained or imported) \
            else {id(func): (func, None, 0)}
        made = analyzer.taint.returns(func)
        if made is not None and made.path and not made.fresh:
            out.getters[name] = made  # returns another module's import-time connection
        elif made is not None:
            made = replace(made, path=made.path or analyzer.path)
            # (a local of the global's name is not it: ``client = MongoClient()`` in ``get_client()``,
            # whose module also binds ``client = get_client()``, gives a new client per call)
            known = out.globals.get(made.name) if made.name and made.name not in func.locals else None
            if known is None and made.root:  # ``return SessionLocal()``: a session of the global engine
                known = out.globals.get(made.root)
            if known is not None and known.line == made.line:  # the global, not a local of its name
                out.getters[name] = made
            else:
                out.factories[name] = replace(made, fresh=True)
        used: list[Origin] = []
        for reached, _, _ in reach.values() if imported else ():
            for node in iter_scope(reached.body):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported \
                        and analyzer.index.resolve(node.id, reached) is None:
                    short = module.rsplit(".", 1)[-1]
                    step = f"used in {short}.{reached.name}() at line {node.lineno}"
                    used.append(replace(imported[node.id], steps=imported[node.id].steps + (step,)))
                    break
        if chained:
            for reached, _, _ in reach.values():
                used.extend(analyzer._external_uses(reached))
        for reached, _, _ in reach.values():
            for node in iter_scope(reached.body):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                        and analyzer.index.resolve(node.id, reached) is None and node.id in touchable:
                    origin = touchable[node.id]
                    step = f"used in {module.rsplit('.', 1)[-1]}.{reached.name}() at line {node.lineno}"
                    used.append(replace(origin, steps=origin.steps + (step,)))
                    break
        if used:
            out.uses[name] = used[:3]
        # lazily set globals (qualified: ``nav.db._connections``) this function may set, and those it
        # reads: this module's, and (pass two) other modules' it reaches through their helpers
        sets = {f"{module}.{o.name}" for f, _, _ in reach.values() for o in lazy_by_func.get(id(f), [])}
        reads: list[Origin] = []
        for reached, _, _ in reach.values() if lazy else ():
            for node in iter_scope(reached.body):
                key = f"{module}.{node.id}" if isinstance(node, ast.Name) else ""
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in lazy \
                        and analyzer.index.resolve(node.id, reached) is None \
                        and key not in {r.name for r in reads}:
                    step = f"used in {module.rsplit('.', 1)[-1]}.{reached.name}() at line {node.lineno}"
                    reads.append(replace(lazy[node.id], name=key, steps=lazy[node.id].steps + (step,)))
        if chained:  # ``Queue.__init__`` calling ``nav.db.getConnection()``
            through_sets, through_reads = analyzer.external_lazy_globals([f for f, _, _ in reach.values()])
            sets |= through_sets
            reads += [r for r in through_reads if r.name not in {o.name for o in reads}]
        if sets:
            out.setters[name] = sorted(sets)
        if reads:
            out.lazy_uses[name] = reads[:3]
    for name, origin in lazy.items():  # read directly: ``connection._DATABASE["units"]`` in a task
        if name not in funcs:
            out.lazy_uses.setdefault(name, [replace(origin, name=f"{module}.{name}")])
    for stmt in analyzer.index.tree.body:  # ``session_ctx = contextmanager(yield_session)``: the same factory
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and len(stmt.value.args) == 1 \
                and isinstance(stmt.value.args[0], ast.Name) \
                and analyzer.index.qualname(stmt.value.func) in knowledge.CONTEXT_MANAGERS:
            wrapped = stmt.value.args[0].id
            for table in (out.factories, out.getters):
                if wrapped in table:
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            table.setdefault(target.id, table[wrapped])
    return out


def _web_apps(analyzer: Analyzer, func: FuncInfo) -> set[str]:
    """Names that hold the web app inside ``func``: bound to ``Flask(...)``, or its ``app`` parameter."""
    apps = web_apps(analyzer.index, func)
    if not isinstance(func.node, ast.Lambda) and any(a.arg == "app" for a in func.node.args.args):
        apps.add("app")
    return apps


def _export_passes(analyzer: Analyzer, out: Exports, module: str) -> None:
    """Clients this module passes as arguments to functions it imports from elsewhere."""
    short = module.rsplit(".", 1)[-1] or os.path.basename(analyzer.path)
    for site in analyzer.index.calls:
        qual = analyzer.index.qualname(site.call.func)
        if qual is None or "." not in qual or qual in analyzer.settings.clients \
                or qual in knowledge.WRAPPING_CALLS:
            continue
        env = analyzer.taint.env_for(site.func)
        for where, arg in call_arguments(site.call):
            made = analyzer.taint.value(arg, env)
            if made is not None:
                step = f"passed to {qual.rsplit('.', 1)[-1]}() by {short} at line {site.call.lineno}"
                out.passes.setdefault(qual, []).append(
                    (where, replace(made, path=made.path or analyzer.path, steps=made.steps + (step,))))
