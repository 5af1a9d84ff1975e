"""Where connection-like objects are made, and how they travel: a value tracker over one module.

A value is tracked (an ``Origin``) when it comes from a known client constructor (knowledge.py), from a
call of one of the module's own functions or methods that returns one (a factory, a ``@contextmanager``
that yields one, a getter that returns a global), from a class whose ``__init__`` or body holds one
(the instance holds the sockets), from another module of the project that exports one (``Exports``),
or from a tracked value by a step that keeps its socket: ``conn.cursor()``, ``engine.connect()``,
``sessionmaker(bind=engine)``, ``Session()``, ``client["db"]["coll"]``, ``[conn]``, ``{"c": conn}``.

Every step is remembered (``Origin.steps``) so a finding can say how the object reached the child.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Optional, Sequence, Union

from . import knowledge
from .scopes import (
    CallSite,
    FuncInfo,
    ModuleIndex,
    comprehension_names,
    iter_imports,
    iter_scope,
    iter_statements,
    main_guarded,
)


@dataclass(frozen=True)
class Origin:
    """Where a connection-like object bound to ``name`` was made, and how it got here."""

    name: str
    line: int  # the line that made the client (not the handle derived from it)
    what: str  # "psycopg2.connect()"
    chainable: bool = False  # attribute/item access gives another tracked object (pymongo, containers)
    root: Optional[str] = None  # the name this object was derived from (``Session`` -> ``engine``)
    main_guard: bool = False  # made under ``if __name__ == "__main__":`` (not when imported)
    path: str = ""  # another module's file, when made there
    steps: tuple[str, ...] = ()  # "conn.cursor() at line 12", "returned by get_db()"
    kind: str = ""  # the catalogue's kind of client ("PostgreSQL connection")
    fresh: bool = False  # what a factory of another module returns: made anew by each call
    lazy: bool = False  # opens nothing until used (``connect=False``): a bug only once the parent uses it
    model: bool = False  # an ORM model class (``class User(db.Model)``): its rows and columns are data
    # a lazy holder's methods that open it (``db.initialize()`` setting ``self._pool``): only a call of
    # one of these in the parent counts as the parent using it
    opened_by: tuple[str, ...] = ()
    # a tuple holding it: the positions that are tracked (``return engine, Session`` -> (0, 1)), so that
    # ``engine, Session = make()`` binds those names and not the others
    positions: tuple[int, ...] = ()

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.path else f"line {self.line}"
        text = f"{self.what} made at {where}"
        return text + "".join(f" -> {step}" for step in self.steps)


@dataclass
class Exports:
    """What one module offers others (pickled between lint processes, so plain data)."""

    module: str
    path: str
    globals: dict[str, Origin] = field(default_factory=dict)  # import-time connections
    factories: dict[str, Origin] = field(default_factory=dict)  # functions returning a fresh one
    getters: dict[str, Origin] = field(default_factory=dict)  # functions returning a global one
    uses: dict[str, list[Origin]] = field(default_factory=dict)  # globals a function reads (transitively)
    # Lazily set globals (``global _s; _s = sessionmaker(...)``): who sets them, who reads them.
    # (qualified, ``pkg.db._conn``: also other modules' globals the function reaches through their helpers)
    setters: dict[str, list[str]] = field(default_factory=dict)  # function -> lazy globals it may set
    lazy_uses: dict[str, list[Origin]] = field(default_factory=dict)  # function -> lazy globals it reads
    # ``db_connection = DBConnection()`` at import: ``db_connection.start_session`` is that class's
    # method (what it uses is under ``uses["DBConnection.start_session"]``)
    instances: dict[str, str] = field(default_factory=dict)
    singletons: dict[str, Origin] = field(default_factory=dict)  # class -> the client its instance holds
    # ``Cls.method`` -> clients it reads from ``self`` (attributes ``__init__`` set), also through the
    # class's other methods it calls: what ``Process(target=obj.method)`` takes to the child
    self_uses: dict[str, list[Origin]] = field(default_factory=dict)
    resets: dict[str, list[Origin]] = field(default_factory=dict)  # function -> globals it renews when a
    # child calls it (``def connect(): _db.connect()``, ``engine.dispose(close=False)``)
    # Clients this module hands to other modules' functions: qualified callee (as imported here) ->
    # (position or keyword, what is passed): ``routes.get_routes(db)``, ``workers.run(conn)``
    passes: dict[str, list[tuple[object, Origin]]] = field(default_factory=dict)
    # functions that guard the engine they are given with SQLAlchemy's pid-checking "checkout"
    # listener: function -> the engine parameter's position (``add_engine_pidguard(db.engine)``)
    guards: dict[str, int] = field(default_factory=dict)
    # (path, line) of this module's engines guarded that way where they are made (a global guarded at
    # import, or by the lazy initialiser that makes it): no other module's child reuses their connections
    guarded_made: list[tuple[str, int]] = field(default_factory=list)
    # (path, line) of the clients this module's import calls through (``db.create_all()`` at import)
    used_at_import: list[tuple[str, int]] = field(default_factory=list)
    # the same per module function, for the functions other modules' imports run (``create_app()``)
    calls_through: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # (path, line) of the holders (``knowledge.BOUND_BY``) this module's import binds to an app, and
    # those each module function binds, itself or through the functions it calls (``create_app()``)
    bound_at_import: list[tuple[str, int]] = field(default_factory=list)
    binds: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # attributes the parent sets on this module's web app (``app.db = connect()``): read elsewhere as
    # ``current_app.db``
    app_attrs: dict[str, Origin] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.globals or self.factories or self.getters or self.uses or self.setters
                    or self.lazy_uses or self.passes or self.guards or self.guarded_made
                    or self.used_at_import or self.app_attrs or self.binds)


Env = Callable[[str], Optional[Origin]]


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _self_calls(method: FuncInfo, methods: dict[str, FuncInfo]) -> list[str]:
    """The methods of its class that ``method`` calls on ``self`` (``self.new_session()``)."""
    return [node.func.attr for node in iter_scope(method.body) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and _is_self(node.func.value)
            and node.func.attr in methods]


def opening_text(methods: tuple[str, ...]) -> str:
    """``initialize() or connect()``: the methods that open a holder, for a finding's chain."""
    return " or ".join(f"{m}()" for m in methods)


# The body-attribute key for a connection a class inherits from another module's class.
_INHERITED = "<inherited>"


def _branches(body: list[ast.stmt]) -> dict[int, tuple[int, str]]:
    """id(statement) -> (id(If), "body" or "orelse") of the innermost ``if`` branch it is in."""
    found: dict[int, tuple[int, str]] = {}

    def walk(block: list[ast.stmt], where: Optional[tuple[int, str]]) -> None:
        for stmt in block:
            if where is not None:
                found[id(stmt)] = where
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(stmt, ast.If):
                walk(stmt.body, (id(stmt), "body"))
                walk(stmt.orelse, (id(stmt), "orelse"))
                continue
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if isinstance(inner, list):
                    walk(inner, where)
            for handler in getattr(stmt, "handlers", []) or []:
                walk(handler.body, where)

    walk(body, None)
    return found


def _other_branch(bound: Optional[tuple[int, str]], now: Optional[tuple[int, str]]) -> bool:
    """Is ``now`` the other branch of the ``if`` whose branch ``bound`` tracked the name?"""
    return bound is not None and now is not None and bound[0] == now[0] and bound[1] != now[1]


def root_name(node: ast.AST) -> Optional[ast.Name]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def _bindings(stmt: ast.stmt) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(target, value) pairs a statement binds, tuples unpacked pairwise where they line up."""
    pairs: list[tuple[ast.AST, ast.AST]] = []
    if isinstance(stmt, ast.Assign):
        pairs = [(t, stmt.value) for t in stmt.targets]
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        pairs = [(stmt.target, stmt.value)]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        pairs = [(i.optional_vars, i.context_expr) for i in stmt.items if i.optional_vars is not None]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        pairs = [(stmt.target, ast.Subscript(value=stmt.iter, slice=ast.Constant(0)))]
    for target, value in pairs:
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts):
            yield from zip(target.elts, value.elts)
        else:
            yield target, value


def _returned(func: FuncInfo) -> list[ast.AST]:
    """Expressions ``func`` returns (or yields, for a context manager), nested defs excluded."""
    if isinstance(func.node, ast.Lambda):
        return [func.node.body]
    values: list[ast.AST] = []
    for node in iter_scope(func.body):
        if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            values.append(node.value)
    return values


def web_apps(index: ModuleIndex, scope: Optional[FuncInfo]) -> set[str]:
    """Names bound to the web app (``app = Flask(__name__)``) in ``scope`` (None: module level)."""
    return {t.id for t, v, where in index.bindings if where is scope and isinstance(t, ast.Name)
            and isinstance(v, ast.Call) and index.qualname(v.func) in knowledge.WEB_APPS}


def _constructs(callee: FuncInfo, call: ast.Call) -> bool:
    """``Pipeline(conn)``: a call of the class itself, which runs its ``__init__``."""
    return callee.name == "__init__" and callee.cls is not None and isinstance(call.func, ast.Name) \
        and call.func.id == callee.cls.name


def call_arguments(call: ast.Call) -> list[tuple[object, ast.AST]]:
    """(position or keyword, expression) of a call's arguments: positions up to the first ``*args``
    (after it they are unknown), then the named keywords."""
    given: list[tuple[object, ast.AST]] = []
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break
        given.append((position, arg))
    given += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    return given


def parameter_for(func: FuncInfo, where: object, skip_self: bool = False) -> Optional[str]:
    """The parameter of ``func`` a call's argument binds (by position, or by keyword); ``skip_self``
    for ``obj.method(x)``, whose ``x`` is the second parameter."""
    if isinstance(func.node, ast.Lambda):
        return None
    spec = func.node.args
    names = [a.arg for a in spec.posonlyargs + spec.args]
    if skip_self:
        names = names[1:]
    if isinstance(where, int):
        return names[where] if where < len(names) else None
    keywords = set(names) | {a.arg for a in spec.kwonlyargs}
    return where if isinstance(where, str) and where in keywords else None


def _guarded(origin: Origin, guarded: Callable[[int], bool], bound: Sequence[int] = ()) -> Origin:
    """A module global made under ``if __name__ == "__main__":`` is only made when run as a script:
    where the client is made, or, for one a local factory made (``client = get_client()``), every line
    that binds the name."""
    under_main = guarded(origin.line) or (bool(bound) and all(guarded(line) for line in bound))
    return replace(origin, main_guard=True) if under_main and not origin.path else origin


class Taint:
    def __init__(self, index: ModuleIndex, clients: dict[str, str], safe: frozenset[str],
                 externals: Optional[Callable[[str], Optional[Origin]]] = None,
                 lazy: bool = False,
                 passed_in: Optional[Callable[[str], list[tuple[object, Origin]]]] = None,
                 lazy_clients: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.clients = clients
        self.lazy_clients = lazy_clients  # lazy in this project by its pinned versions
        self.safe = safe
        self.external = externals or (lambda qual: None)
        self.module: dict[str, Origin] = {}
        self.local: dict[int, dict[str, Origin]] = {}
        self.global_in_func: list[tuple[FuncInfo, Origin]] = []
        self.class_attrs: dict[int, dict[str, Origin]] = {}  # id(ClassDef) -> attr -> origin (instances)
        self.body_attrs: dict[int, dict[str, Origin]] = {}  # id(ClassDef) -> attr -> origin (class body)
        # id(ClassDef) -> attr -> (the methods that open it, origin): set by a method, not ``__init__``
        self.method_attrs: dict[int, dict[str, tuple[tuple[str, ...], Origin]]] = {}
        # ``Pool._conns = connect()`` in some method: (class name, attribute) -> origin
        self.class_stores: dict[tuple[str, str], Origin] = {}
        self.class_store_scopes: dict[tuple[str, str], Optional[FuncInfo]] = {}  # where each was stored
        self._handlers: Optional[list[tuple[FuncInfo, ast.AST, Optional[FuncInfo]]]] = None  # _callbacks()
        self._returns: dict[int, Optional[Origin]] = {}  # id(FuncInfo) -> what it returns
        self._busy: set[int] = set()
        self.params: dict[int, dict[str, Origin]] = {}  # id(FuncInfo) -> parameter -> what callers pass
        self.metadata_bind: Optional[Origin] = None  # the engine ``Base.metadata.bind`` was given
        self._filled_cache: dict[int, set[str]] = {}
        # id(FuncInfo) -> names it binds by importing -> what it imports (``src.db.SessionLocal``)
        self.imported_locals: dict[int, dict[str, str]] = {}
        # module names bound to the web app, which ``flask.current_app`` stands for in a request
        self.apps = sorted(web_apps(index, None))  # sorted: the same first match in every process
        self.patched = any(index.qualname(s.call.func) in knowledge.PATCH_CALLS for s in index.calls)
        if lazy:
            return
        self._imported_holders()
        for cls in index.all_classes:
            self.class_attrs[id(cls)] = self._class_attrs(cls)
        self._scan(list(index.tree.body), self._module_env, into=self.module)
        for cls in index.all_classes:  # again, now that module globals are known (``database = db``)
            self.class_attrs[id(cls)] = self._class_attrs(cls)
        guarded = main_guarded(index.tree)
        self._bound_at: dict[str, list[int]] = {}  # module global -> the lines binding it
        for target, _, scope in index.bindings:
            if scope is None and isinstance(target, ast.Name):
                self._bound_at.setdefault(target.id, []).append(target.lineno)
        for name, origin in list(self.module.items()):
            self.module[name] = _guarded(origin, guarded, self._bound_at.get(name, ()))
        if passed_in is not None:
            self._passed_in(passed_in)
        for target, value, scope in index.bindings:  # class attributes a function sets
            self._store_on_class(target, value, scope)
        for info in index.funcs.values():
            self._function(info)
        if self._held_from_parameters():  # ``__init__`` parameters other modules' calls bind
            self._rescan(guarded)
        for _ in range(3):  # ``main() -> run(session) -> Process(args=(session,))``: a few levels deep
            if not self._parameters():
                break
            for info in index.funcs.values():
                self._function(info)
            if self._held_from_parameters():
                self._rescan(guarded)

    def _rescan(self, guarded: Callable[[int], bool]) -> None:
        """Instances now hold what their ``__init__`` was given (``client = Wrapper(connect())``):
        module globals bound to such instances at import are new, and so are the functions' values."""
        for name, origin in self._scan(list(self.index.tree.body), self._module_env).items():
            if name not in self.module:
                self.module[name] = _guarded(origin, guarded, self._bound_at.get(name, ()))
        for info in self.index.funcs.values():
            self._function(info)

    def _callee(self, site: CallSite) -> Optional[FuncInfo]:
        """``Pipeline(conn)`` binds its ``__init__``'s parameters; ``Cls.m(x)`` is left out (a
        staticmethod's first parameter is not ``self``)."""
        return self.index.callee(site, class_methods=False)

    def _passed_in(self, passed_in: Callable[[str], list[tuple[object, Origin]]]) -> None:
        """Parameters of this module's functions that other modules' calls bind to a client
        (``get_routes(db, schemas)`` called by ``app.create_app``), and of its classes' ``__init__``
        (``Pipeline(databaser)``)."""
        if not self.index.module:
            return
        callees = [(name, info, False) for name, info in self.index.module_funcs.items()]
        for name, cls in self.index.classes.items():
            init = self.index.methods.get(id(cls), {}).get("__init__")
            if init is not None and not isinstance(init.node, ast.Lambda):
                callees.append((name, init, True))
        for name, info, skip_self in callees:
            params = self.params.setdefault(id(info), {})
            for where, made in passed_in(f"{self.index.module}.{name}"):
                param = parameter_for(info, where, skip_self)
                if param is not None and param not in params:
                    params[param] = replace(made, name=param)

    def _held_from_parameters(self) -> bool:
        """``self.conn = conn`` in an ``__init__`` that some call gives a client: its instances
        hold it from birth, as if ``__init__`` had connected (``Worker(conn).start()``). True when
        an instance now holds something it did not."""
        changed = False
        for cls in self.index.all_classes:
            init = self.index.methods.get(id(cls), {}).get("__init__")
            if init is not None and self.params.get(id(init)):
                attrs = self._class_attrs(cls)
                if attrs.keys() != self.class_attrs.get(id(cls), {}).keys():
                    changed = True
                self.class_attrs[id(cls)] = attrs
        return changed

    def _callbacks(self) -> list[tuple[FuncInfo, ast.AST, Optional[FuncInfo]]]:
        """Event handlers a client calls with itself as first argument: ``WebSocketApp(url,
        on_open=f)``, ``client.on_connect = f`` (websocket-client, paho, pika's callbacks): (handler,
        the client expression, the scope it is in)."""
        found: list[tuple[FuncInfo, ast.AST, Optional[FuncInfo]]] = []
        for site in self.index.calls:
            for keyword in site.call.keywords:
                if keyword.arg and keyword.arg.startswith("on_") and isinstance(keyword.value, ast.Name):
                    handler = self.index.function_named(keyword.value.id, site.func)
                    if handler is not None:
                        found.append((handler, site.call, site.func))
        for target, value, scope in self.index.bindings:
            if isinstance(target, ast.Attribute) and target.attr.startswith("on_") \
                    and isinstance(value, ast.Name):
                handler = self.index.function_named(value.id, scope)
                if handler is not None:
                    found.append((handler, target.value, scope))
        return found

    def _parameters(self) -> bool:
        """Parameters bound to a tracked value by some call of the function in this module (call
        arguments are followed into the callee). True when a parameter became tracked."""
        changed = False
        if self._handlers is None:
            self._handlers = self._callbacks()
        for handler, client, scope in self._handlers:
            first = parameter_for(handler, 0)
            if first is None:
                continue
            params = self.params.setdefault(id(handler), {})
            made = self.value(client, self.env_for(scope)) if first not in params else None
            if made is not None:
                step = f"given to its handler {handler.name}() at line {getattr(client, 'lineno', 0)}"
                params[first] = replace(made, name=first, steps=made.steps + (step,))
                changed = True
        for site in self.index.calls:
            call, callee = site.call, self._callee(site)
            partial = self.index.qualname(site.call.func) in knowledge.PARTIAL and bool(site.call.args)
            if callee is None and partial and isinstance(site.call.args[0], ast.Name):
                # ``partial(on_message, args=(conn,))``: the arguments bind on_message's parameters
                callee = self.index.function_named(site.call.args[0].id, site.func)
                call = ast.Call(func=site.call.args[0], args=site.call.args[1:], keywords=site.call.keywords)
            if callee is None or isinstance(callee.node, ast.Lambda):
                continue
            constructed = _constructs(callee, call)
            skip_self = callee.cls is not None and (isinstance(call.func, ast.Attribute) or constructed)
            passed = [(param, value) for where, value in call_arguments(call)
                      if (param := parameter_for(callee, where, skip_self)) is not None]
            env = self.env_for(site.func)
            params = self.params.setdefault(id(callee), {})
            for name, value in passed:
                if name in params:
                    continue
                made = self.value(value, env)
                if made is not None:
                    called = callee.cls.name if constructed and callee.cls is not None else callee.name
                    step = f"passed to {called}() at line {site.call.lineno}"
                    params[name] = replace(made, name=name, steps=made.steps + (step,))
                    changed = True
        return changed

    # -- environments -----------------------------------------------------------------------------
    def _module_env(self, name: str) -> Optional[Origin]:
        return self.module.get(name)

    def env_for(self, func: Optional[FuncInfo]) -> Env:
        held: dict[str, Origin] = {}  # what ``self.X`` holds in a method (not ``__init__``)
        if func is not None and func.cls is not None and func.node is not None \
                and not isinstance(func.node, ast.Lambda) and func.node.args.args \
                and func.node.args.args[0].arg == "self" and func.name != "__init__":
            held = self.class_attrs.get(id(func.cls), {})  # held from birth (``__init__``)
            opened = self.method_attrs.get(id(func.cls))
            if opened:  # set by another method (``create_pool()``), which must have run before this one
                held = {**{attr: replace(made, steps=made.steps + (
                            f"set by {setters[0]}(), which has run when {func.name}() uses it",))
                           for attr, (setters, made) in opened.items() if func.name not in setters}, **held}

        def env(name: str) -> Optional[Origin]:
            if name.startswith("self."):
                return held.get(name[5:])
            if name.startswith("cls.") and func is not None and func.cls is not None:
                return self.class_stores.get((func.cls.name, name[4:]))  # ``cls._instance``
            owner = self.index.resolve(name, func)
            if owner is None:
                return self.module.get(name)
            return self.local.get(id(owner), {}).get(name)

        return env

    def _imported_holders(self) -> None:
        """``from django.db import connection``: the imported name is itself a holder; ``from db
        import conn`` with ``conn`` a connection another project module made at import time."""
        for stmt in iter_scope(list(self.index.tree.body)):
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                qual = self.index.imports.get(local)
                if qual is None:
                    continue
                if qual in knowledge.IMPORTED_HOLDERS:
                    kind = knowledge.IMPORTED_HOLDERS[qual]
                    # Django opens it on the first query, in whichever process runs that
                    self.module[local] = Origin(local, stmt.lineno, qual, True, kind=kind, lazy=True)
                    continue
                found = self.external(qual)
                if found is not None:
                    self.module[local] = replace(found, name=local)
        self._engines_by_use()

    def _engines_by_use(self) -> None:
        """``from common.db import Base, SessionLocal, engine`` then ``Base.metadata.create_all(bind=engine)``
        at import: whatever module made it (also one this run was not given: a pre-commit hook lints
        only the changed files), the name is a SQLAlchemy engine that exists and has connected at
        import; the session factory imported beside it (FastAPI's layout) is bound to it."""
        for site in self.index.calls:
            node = site.call
            if site.func is not None or not (isinstance(node.func, ast.Attribute)
                                             and node.func.attr == "create_all"):
                continue
            given = next((k.value for k in node.keywords if k.arg == "bind"),
                         node.args[0] if node.args else None)
            if not isinstance(given, ast.Name) or given.id in self.module:
                continue
            imported = next((stmt for stmt, in_function in iter_imports(self.index.tree.body)
                             if not in_function and isinstance(stmt, ast.ImportFrom) and stmt.module
                             and any((a.asname or a.name) == given.id for a in stmt.names)), None)
            if imported is None or any(isinstance(t, ast.Name) and t.id == given.id
                                       for t, _, _ in self.index.bindings):
                continue
            kind = knowledge.CLIENTS["sqlalchemy.create_engine"]
            what = f"{imported.module}.{given.id} (create_all at line {node.lineno} connects it)"
            self.module[given.id] = Origin(given.id, imported.lineno, what, kind=kind)
            for alias in imported.names:
                local = alias.asname or alias.name
                if local not in self.module and "session" in local.lower():
                    self.module[local] = Origin(local, imported.lineno, what, root=given.id, kind=kind,
                                                steps=(f"{local}, imported beside it",))

    # -- values -----------------------------------------------------------------------------------
    def _client(self, call: ast.Call, qual: str) -> Optional[Origin]:
        lazy = knowledge.LAZY_WHEN.get(qual)
        lazily = lazy is not None and any(k.arg == lazy[0] and isinstance(k.value, ast.Constant)
                                          and k.value.value == lazy[1] for k in call.keywords)
        private = knowledge.PRIVATE_WHEN.get(qual)
        if private is not None:
            position, keyword, values = private
            given = call.args[position] if len(call.args) > position else next(
                (k.value for k in call.keywords if k.arg == keyword), None)
            if isinstance(given, ast.Constant) and given.value in values:
                return None
        poolless = knowledge.POOLLESS_WHEN.get(qual)
        if poolless is not None and any(k.arg == poolless[0] and self.index.qualname(k.value) == poolless[1]
                                        for k in call.keywords):
            return None
        options = knowledge.POOLLESS_OPTIONS.get(qual)
        given = next((k.value for k in call.keywords if options is not None and k.arg == options[0]), None)
        if options is not None and isinstance(given, ast.Dict) and any(
                isinstance(key, ast.Constant) and key.value == options[1]
                and self.index.qualname(value) == options[2] for key, value in zip(given.keys, given.values)):
            return None
        if self.patched and qual.split(".")[0] in knowledge.PATCHED_CLIENT_MODULES:
            return None
        kind = self.clients[qual]
        chainable = any(word in kind for word in knowledge.CHAINABLE_KINDS)
        return Origin("", call.lineno, f"{qual}()", chainable, kind=kind,
                      lazy=lazily or qual in self.lazy_clients or qual in knowledge.LAZY_CLIENTS
                      or kind in knowledge.LAZY_KINDS)

    def value(self, expr: ast.AST, env: Env) -> Optional[Origin]:
        """The tracked object ``expr`` evaluates to, if any."""
        if isinstance(expr, (ast.Await, ast.Starred, ast.NamedExpr)):
            return self.value(expr.value, env)
        if isinstance(expr, ast.IfExp):
            return self.value(expr.body, env) or self.value(expr.orelse, env)
        if isinstance(expr, ast.BoolOp):
            for value in expr.values:
                found = self.value(value, env)
                if found:
                    return found
            return None
        if isinstance(expr, ast.Name):
            return env(expr.id) or self.class_holder(expr.id)
        if isinstance(expr, ast.Tuple):
            items = [self.value(e, env) for e in expr.elts]
            held = self._container(items)
            return replace(held, positions=tuple(i for i, o in enumerate(items) if o is not None)) \
                if held is not None else None
        if isinstance(expr, (ast.List, ast.Set)):
            return self._container([self.value(e, env) for e in expr.elts])
        if isinstance(expr, ast.Dict):
            return self._container([self.value(v, env) for v in expr.values])
        if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self._container([self.value(expr.elt, self._comprehension_env(expr, env))])
        if isinstance(expr, ast.DictComp):
            return self._container([self.value(expr.value, self._comprehension_env(expr, env))])
        if isinstance(expr, ast.Call):
            return self._call(expr, env)
        if isinstance(expr, (ast.Attribute, ast.Subscript)):
            if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
                held = env(f"{expr.value.id}.{expr.attr}")  # ``self.conn``, ``app.db``
                if held is None and self.index.qualname(expr.value) in knowledge.CURRENT_APP:
                    held = next((env(f"{app}.{expr.attr}") for app in self.apps
                                 if env(f"{app}.{expr.attr}") is not None), None)
                if held is not None:
                    return held
            if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and self.class_stores \
                    and env(expr.value.id) is None and (expr.value.id, expr.attr) in self.class_stores:
                return self.class_stores[(expr.value.id, expr.attr)]
            qual = self.index.qualname(expr)
            if qual is not None:
                if qual in knowledge.IMPORTED_HOLDERS:
                    return Origin("", expr.lineno, qual, True, kind=knowledge.IMPORTED_HOLDERS[qual])
                found = self.external(qual)
                if found is not None:
                    return found
            base = self.value(expr.value, env)
            if base is not None and base.chainable:
                return self._derive(base, expr)
        return None

    def _comprehension_env(self, expr: Union[ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp],
                           env: Env) -> Env:
        """The names a comprehension binds hide the outer ones: ``[market for market in
        coll.find()]`` is a list of rows, whatever the global ``market`` is."""
        bound = comprehension_names(expr)
        return lambda name: None if name in bound else env(name)

    def _container(self, items: list[Optional[Origin]]) -> Optional[Origin]:
        for item in items:
            if item is not None:
                return replace(item, chainable=True, positions=())
        return None

    def _derive(self, base: Origin, expr: ast.AST) -> Origin:
        line = getattr(expr, "lineno", base.line)
        text = ast.unparse(expr)
        step = f"{text if len(text) <= 60 else text[:56] + ' ...'} at line {line}"
        steps = base.steps
        if steps and steps[-1].endswith(f" at line {line}") and not steps[-1].startswith("returned by"):
            steps = steps[:-1]  # client["app"]["users"]: one step per line, the outermost
        steps = steps + (step,)
        return replace(base, root=base.root or base.name or None, steps=steps)

    def _call(self, expr: ast.Call, env: Env) -> Optional[Origin]:
        func = expr.func
        qual = self.index.qualname(func)
        if isinstance(func, ast.Name) and qual is not None:
            shadowing = env(func.id)  # ``Session = new_sessionmaker(); Session()`` although the module
            if shadowing is not None:  # imports ``sqlalchemy.orm.Session``: the local name wins
                return self._derive(shadowing, expr) if not shadowing.model else None
        if qual in self.safe or qual in knowledge.PARTIAL:
            return None
        if qual in self.clients:
            return self._client(expr, qual)
        if qual in knowledge.WRAPPING_CALLS:
            for arg in list(expr.args) + [k.value for k in expr.keywords]:
                wrapped = self.value(arg, env)
                if wrapped is not None:
                    return self._derive(wrapped, expr)
            if not expr.args and not expr.keywords and self.metadata_bind is not None:
                return self._derive(self.metadata_bind, expr)  # unbound: sessions use the metadata's bind
            return None
        if qual is not None:
            found = self.external(qual + "()")
            if found is not None:
                return replace(found, steps=found.steps + (f"{ast.unparse(func)}() at line {expr.lineno}",))
        if self._is_record(func, qual, env):  # ``SimpleNamespace(db=conn)``, ``Ctx(conn=conn)``
            held = self._container([self.value(a, env) for a in expr.args]
                                   + [self.value(k.value, env) for k in expr.keywords])
            return self._derive(held, expr) if held is not None else None
        wrapper = self._wrapper(expr, qual, env)
        if wrapper is not None:
            return wrapper
        if isinstance(func, ast.Name) and func.id == "getattr" and qual is None and len(expr.args) >= 2:
            base = self.value(expr.args[0], env)  # ``getattr(client, config.DB)``: an attribute of it
            return self._derive(base, expr) if base is not None and base.chainable else None
        if isinstance(func, ast.Name):
            target = self.index.function_named(func.id, None) if env(func.id) is None else None
            owner = self.index.resolve(func.id, None)
            if target is not None and owner is None and qual is None:
                return self._returned_by(target, expr)
            if func.id in self.index.classes and env(func.id) is None:
                based = self._client_base(self.index.classes[func.id])
                if based is not None:
                    made = self._client(expr, based)
                    step = f"{func.id}() at line {expr.lineno}, a {based.rsplit('.', 1)[-1]}"
                    return replace(made, steps=made.steps + (step,)) if made is not None else None
                return self.instance(self.index.classes[func.id], expr)
            called = env(func.id)
            if called is not None and not called.model:  # ``Session()`` from a tracked sessionmaker
                return self._derive(called, expr)
            return None
        if isinstance(func, ast.Call):  # ``sessionmaker(bind=engine)()``: calling a tracked factory
            made = self.value(func, env)
            return self._derive(made, expr) if made is not None else None
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id in self.index.classes \
                    and env(func.value.id) is None:  # ``DB.connect()`` classmethod / staticmethod factory
                method = self.index.methods.get(id(self.index.classes[func.value.id]), {}).get(func.attr)
                if method is not None:
                    return self._returned_by(method, expr)
            base = self.value(func.value, env)
            if base is not None and (func.attr in knowledge.DERIVED_METHODS or (
                    base.chainable and func.attr in knowledge.ELEMENT_METHODS)):
                return self._derive(base, expr)
        return None

    def _is_record(self, func: ast.AST, qual: Optional[str], env: Env) -> bool:
        """A call that builds a record holding what it is given: ``SimpleNamespace(...)``, ``dict(...)``,
        or this module's dataclass / NamedTuple / attrs class (its generated ``__init__`` stores
        every field)."""
        if qual in knowledge.RECORD_CALLS:
            return True
        if not isinstance(func, ast.Name) or qual is not None or env(func.id) is not None \
                or func.id in self.index.module_funcs:
            return False
        cls = self.index.classes.get(func.id)
        if cls is None:
            return func.id in knowledge.RECORD_CALLS  # the builtin ``dict``
        if "__init__" in self.index.methods.get(id(cls), {}):
            return False
        decorators = [d.func if isinstance(d, ast.Call) else d for d in cls.decorator_list]
        return any(self.index.qualname(d) in knowledge.RECORD_CLASS_DECORATORS for d in decorators) \
            or any(self.index.qualname(b) in knowledge.RECORD_CLASS_BASES for b in cls.bases)

    def _wrapper(self, expr: ast.Call, qual: Optional[str], env: Env) -> Optional[Origin]:
        """``CacheControl(session)``, ``Database(client, "app")``, ``Repo(conn)`` of a library: an
        object built around a client (a class named in CapWords, given the client itself as a
        positional argument) holds it and talks over its sockets. The project's own classes are
        followed through their ``__init__`` instead; process and thread classes are entry points."""
        name = expr.func.attr if isinstance(expr.func, ast.Attribute) else \
            expr.func.id if isinstance(expr.func, ast.Name) else ""
        if not name[:1].isupper() or name.isupper() or name in self.index.classes \
                or (qual is not None and qual in knowledge.NOT_WRAPPERS):
            return None
        if isinstance(expr.func, ast.Attribute) and self.value(expr.func.value, env) is not None:
            return None  # ``db.Column(db.Integer)``: the holder's schema constructors make no handle
        for arg in expr.args:
            if isinstance(arg, ast.Name) and arg.id in self.index.classes:
                continue  # a model class given to a field (``ForeignKeyField(Icon)``), not a client
            if isinstance(arg, ast.Attribute) and arg.attr[:1].isupper():
                continue  # a column type of the holder (``db.Integer``), not the client
            if isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript)):
                held = self.value(arg, env)
                if held is not None:
                    return self._derive(held, expr)
        return None

    def _returned_by(self, func: FuncInfo, call: ast.Call) -> Optional[Origin]:
        made = self.returns(func)
        if made is None:
            return None
        step = f"returned by {func.name}() at line {call.lineno}"
        return replace(made, steps=made.steps + (step,))

    def returns(self, func: FuncInfo) -> Optional[Origin]:
        """What a call of ``func`` gives back, when it is tracked (memoised; recursion is cut)."""
        key = id(func)
        if key in self._returns:
            return self._returns[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        local: dict[str, Origin] = {}
        if not isinstance(func.node, ast.Lambda):
            self._scan(list(func.node.body), self._chain(local, func), into=local)
        found: Optional[Origin] = None
        for value in _returned(func):
            found = self.value(value, self._chain(local, func))
            if found is not None:
                break
        self._busy.discard(key)
        self._returns[key] = found
        return found

    def _chain(self, local: dict[str, Origin], func: FuncInfo) -> Env:
        outer = self.env_for(func)

        def env(name: str) -> Optional[Origin]:
            if name in local:
                return local[name]
            if name == "self" and func.cls is not None:
                return None
            return outer(name)

        return env

    def _client_base(self, cls: ast.ClassDef, depth: int = 0) -> Optional[str]:
        """``class MyPool(ThreadedConnectionPool)``: the catalogue client the class extends, if any."""
        for base in cls.bases:
            qual = self.index.qualname(base)
            if qual in self.clients:
                return qual
            parent = self.index.classes.get(base.id) if isinstance(base, ast.Name) else None
            if parent is not None and parent is not cls and depth < 5:
                found = self._client_base(parent, depth + 1)
                if found is not None:
                    return found
        return None

    def _store_on_class(self, target: ast.AST, value: ast.AST, scope: Optional[FuncInfo]) -> None:
        """``Cls.attr = <client>`` (also chained, ``A.x = A.y = ...``), and ``cls._instance = ...`` /
        ``cls.clients[key] = ...`` in a classmethod: remembered for ``Cls.attr`` / ``cls.attr`` reads."""
        env = self.env_for(scope)
        keyed = isinstance(target, ast.Subscript)
        while isinstance(target, ast.Subscript):
            target = target.value
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
            return
        name = target.value.id
        if name == "cls" and scope is not None and scope.cls is not None:
            owner = scope.cls.name
        elif name in self.index.classes and env(name) is None:
            owner = name
        else:
            return
        made = self.value(value, env)
        if made is not None and (owner, target.attr) not in self.class_stores:
            self.class_stores[(owner, target.attr)] = replace(made, name=f"{owner}.{target.attr}",
                                                              chainable=made.chainable or keyed)
            self.class_store_scopes[(owner, target.attr)] = scope

    def instance(self, cls: ast.ClassDef, call: ast.Call, by: str = "") -> Optional[Origin]:
        """``Repo()``: the instance holds what its ``__init__`` (or class body) connected. ``by``
        names the instance in the step (``self, the Loader ...``); by default, the call that made it."""
        by = by or f"{cls.name}() made at line {call.lineno}"
        attrs = {key: held for key, held in self.class_attrs.get(id(cls), {}).items()
                 if not held.model}  # a model row (``User(...)``) holds no handle
        if not attrs:
            opened = self.method_attrs.get(id(cls))
            if not opened:
                return None
            attr, (methods, held) = next(iter(opened.items()))
            step = f"held as .{attr} by {by}, once {opening_text(methods)} connects it"
            return replace(held, chainable=True, lazy=True, opened_by=methods, steps=held.steps + (step,))
        attr, held = next(iter(attrs.items()))
        step = f"held as .{attr} by {by}"
        return replace(held, chainable=True, steps=held.steps + (step,))

    def class_holder(self, name: str) -> Optional[Origin]:
        """A module class whose body made a connection (``class DB: conn = connect()``)."""
        cls = self.index.classes.get(name)
        if cls is None:
            return None
        held = self.body_attrs.get(id(cls))
        if not held:
            return None
        attr = "Meta.database" if "Meta.database" in held else next(iter(held))
        origin = held[attr]
        if attr == _INHERITED:
            return replace(origin, chainable=True)
        return replace(origin, chainable=True, steps=origin.steps + (f"class attribute {name}.{attr}",))

    # -- scans ------------------------------------------------------------------------------------
    def _scan(self, body: list[ast.stmt], env: Env, into: Optional[dict[str, Origin]] = None,
              only: Optional[set[str]] = None) -> dict[str, Origin]:
        found: dict[str, Origin] = {} if into is None else into

        def lookup(name: str) -> Optional[Origin]:
            return found.get(name) if only is None or name in only else None

        def chained(name: str) -> Optional[Origin]:
            return lookup(name) or env(name)

        branches = _branches(body)  # ``if ...: conn = connect() else: conn = None``: either may run
        bound_in: dict[str, Optional[tuple[int, str]]] = {}
        constructed: dict[str, ast.Call] = {}  # names bound to an untracked call's result
        results: set[str] = set()  # names bound to a method's result (``cur = coll.find()``)
        for stmt in iter_statements(body):
            rows = isinstance(stmt, (ast.For, ast.AsyncFor)) and (  # ``for doc in coll.find()``: rows
                (isinstance(stmt.iter, ast.Call) and isinstance(stmt.iter.func, ast.Attribute))
                or (isinstance(stmt.iter, ast.Name) and stmt.iter.id in results))
            for target, value in _bindings(stmt):
                made = None if rows else self.value(value, chained)
                if isinstance(target, (ast.Tuple, ast.List)) and made is not None and made.positions:
                    for position in made.positions:  # ``engine, Session = make_engine_and_session()``
                        element = target.elts[position] if position < len(target.elts) else None
                        if isinstance(element, ast.Name) and (only is None or element.id in only):
                            found[element.id] = replace(made, name=element.id, positions=())
                    continue
                if isinstance(target, ast.Name):
                    method = isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                    if made is not None and method:
                        results.add(target.id)
                    else:
                        results.discard(target.id)
                    if made is None and isinstance(value, ast.Call) and not isinstance(stmt, ast.For):
                        constructed[target.id] = value
                    else:
                        constructed.pop(target.id, None)
                if made is not None and isinstance(target, ast.Attribute) and target.attr == "bind" \
                        and isinstance(target.value, ast.Attribute) and target.value.attr == "metadata":
                    self.metadata_bind = made  # ``Base.metadata.bind = engine`` (SQLAlchemy 1.x)
                if isinstance(target, ast.Name):
                    if only is not None and target.id not in only:
                        continue
                    if made is not None:
                        found[target.id] = replace(made, name=target.id)
                        bound_in[target.id] = branches.get(id(stmt))
                    elif target.id in found and not isinstance(stmt, (ast.For, ast.AsyncFor)) \
                            and not _other_branch(bound_in.get(target.id), branches.get(id(stmt))):
                        del found[target.id]  # rebound to something else: flow-sensitive kill
                elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id not in ("self", "cls") and made is not None:
                    key = f"{target.value.id}.{target.attr}"  # ``app.db = connect()``: read as ``app.db``
                    if only is None or target.value.id in only or key in only:
                        found[key] = replace(made, name=key)
                elif isinstance(target, ast.Subscript) and made is not None:
                    holder = root_name(target)
                    if holder is not None and (only is None or holder.id in only):
                        found.setdefault(holder.id, replace(made, name=holder.id, chainable=True))
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                connected = self._connected(call, constructed, chained)
                if connected is not None and (only is None or connected.name in only):
                    found[connected.name] = connected
                    del constructed[connected.name]
                if isinstance(call.func, ast.Attribute) and call.func.attr in ("append", "add", "extend",
                                                                                 "insert", "setdefault") \
                        and isinstance(call.func.value, ast.Name) and call.args:
                    holder_name = call.func.value.id
                    made = self.value(call.args[-1], chained)
                    if made is not None and (only is None or holder_name in only):
                        found.setdefault(holder_name, replace(made, name=holder_name, chainable=True))
        return found

    def _connected(self, call: ast.Call, constructed: dict[str, ast.Call], env: Env) -> Optional[Origin]:
        """``c = mqtt.Client(); c.connect(host, port)``, ``s = socket.socket(); s.connect(addr)``: an
        object of a library the catalogue does not know, which the program connects to a server
        itself, holds that socket from then on. Not a signal's ``connect(handler)``."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in knowledge.CONNECTING_METHODS
                and isinstance(func.value, ast.Name) and func.value.id in constructed):
            return None
        given = list(call.args) + [k.value for k in call.keywords]
        if not given or any(isinstance(a, ast.Lambda) or (
                isinstance(a, (ast.Name, ast.Attribute)) and self._is_function(a)) for a in given):
            return None
        name = func.value.id
        if env(name) is not None:
            return None
        made = constructed[name]
        what = f"{ast.unparse(made.func)}()"
        step = f"{name}.{func.attr}() at line {call.lineno}"
        return Origin(name, made.lineno, what, steps=(step,), kind="connected client")

    def _is_function(self, expr: ast.AST) -> bool:
        """A handler given by name: one of the module's functions or methods (``self.on_save``)."""
        if isinstance(expr, ast.Name):
            return expr.id in self.index.module_funcs
        return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
            and expr.value.id in ("self", "cls")

    def _function(self, info: FuncInfo) -> None:
        if isinstance(info.node, ast.Lambda):
            return
        local: dict[str, Origin] = dict(self.params.get(id(info), {}))
        for stmt in iter_statements(list(info.node.body)):  # ``from app import db`` inside a task:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):  # the module's object, made at its import
                for alias in stmt.names:
                    local_name = alias.asname or alias.name.split(".")[0]
                    qual = self.index.imports.get(local_name)
                    found = self.external(qual) if qual and self.index.resolve(local_name, info) is info \
                        else None
                    if found is not None:
                        local[local_name] = replace(found, name=local_name)
                        self.imported_locals.setdefault(id(info), {})[local_name] = qual or local_name
        self.local[id(info)] = local
        self._scan(list(info.node.body), self.env_for(info), into=local, only=info.locals)
        # module globals this function sets: declared ``global``, or module containers it fills
        # (``pool.append(conn)``, ``conns[key] = conn`` need no ``global`` statement)
        filled = self._filled_cache.get(id(info))
        if filled is None:
            filled = self._filled_cache[id(info)] = {
                name for name in self._filled(info) if name not in info.locals
                and self.index.resolve(name, info) is None}
        wanted = set(info.globals) | filled
        if wanted:
            made = self._scan(list(info.node.body), self.env_for(info), only=wanted)
            self.global_in_func.extend((info, origin) for origin in made.values())

    @staticmethod
    def _filled(info: FuncInfo) -> set[str]:
        """Names of containers the function fills: ``x.append(...)``, ``x[k] = ...``."""
        names: set[str] = set()
        for node in iter_scope(info.body):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("append", "add", "extend", "insert", "setdefault") \
                    and isinstance(node.func.value, ast.Name):
                names.add(node.func.value.id)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                    and isinstance(node.value, ast.Name):
                names.add(node.value.id)
            elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Call, ast.Name, ast.Attribute)):
                names.update(t.value.id for t in node.targets  # ``app.db = connect()`` on a module object
                             if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                             and t.value.id not in ("self", "cls"))
        return names

    def _class_attrs(self, cls: ast.ClassDef) -> dict[str, Origin]:
        """Attributes an instance holds from birth: ``self.X = ...`` in ``__init__`` (and the methods
        it calls on ``self``), and ``X = ...`` in the class body."""
        attrs: dict[str, Origin] = {}
        body: dict[str, Origin] = {}
        for stmt in cls.body:
            for target, value in _bindings(stmt) if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else ():
                made = self.value(value, self._module_env)
                if made is not None and isinstance(target, ast.Name):
                    body[target.id] = attrs[target.id] = replace(made, name=f"{cls.name}.{target.id}")
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":  # ORM models bound to a database
                for inner in stmt.body:            # (peewee ``class Meta: database = db``)
                    for target, value in _bindings(inner) if isinstance(inner, ast.Assign) else ():
                        made = self.value(value, self._module_env)
                        if made is not None and isinstance(target, ast.Name):
                            key = f"Meta.{target.id}"
                            body[key] = attrs[key] = replace(made, name=f"{cls.name}.{key}",
                                                             root=made.root or made.name or None)
        for base in cls.bases:  # a model class inherits its base's database
            parent = self.index.classes.get(base.id) if isinstance(base, ast.Name) else None
            if parent is not None and parent is not cls:
                for key, made in self.body_attrs.get(id(parent), {}).items():
                    body.setdefault(key, made)
                    attrs.setdefault(key, made)
            elif parent is None and isinstance(base, (ast.Name, ast.Attribute)):
                qual = self.index.qualname(base)  # ``class User(Model)`` of another module's holder class
                inherited = self.external(qual) if qual is not None else None
                if inherited is not None and inherited.steps \
                        and inherited.steps[-1].startswith("class attribute"):
                    body.setdefault(_INHERITED, replace(inherited, steps=inherited.steps + (
                        f"inherited by {cls.name}",)))
                holder = self.value(base.value, self._module_env) if isinstance(base, ast.Attribute) \
                    else None
                if holder is not None and holder.kind in knowledge.MODEL_BASE_HOLDERS:
                    # ``class User(db.Model)``: the model's queries (``User.query``) go through db
                    body.setdefault(_INHERITED, replace(
                        holder, name=f"{cls.name}.{ast.unparse(base)}", chainable=False, model=True,
                        root=holder.root or holder.name or None,
                        steps=(*holder.steps, f"model base of {cls.name}")))
        self.body_attrs[id(cls)] = body
        methods = self.index.methods.get(id(cls), {})
        init = methods.get("__init__")
        todo = [init] if init is not None else []
        new = methods.get("__new__")  # ``cls._instance._initialize_client()`` in a singleton's ``__new__``
        if new is not None:
            todo += [methods[n.func.attr] for n in iter_scope(new.body) if isinstance(n, ast.Call)
                     and isinstance(n.func, ast.Attribute) and n.func.attr in methods
                     and n.func.attr != "__new__"]
        if new is not None:
            self._new_attrs(new, attrs)
        seen: set[int] = set()
        while todo:
            method = todo.pop()
            if id(method) in seen:
                continue
            seen.add(id(method))
            for attr, held in self._instance_stores(method, _is_self):
                attrs[attr] = held
            todo.extend(methods[name] for name in _self_calls(method, methods))
        self.method_attrs[id(cls)] = {} if attrs else self._opened_by_methods(methods)
        return attrs

    def _instance_stores(self, method: FuncInfo, on_instance: Callable[[ast.AST], bool]
                         ) -> Iterator[tuple[str, Origin]]:
        """The clients ``method`` stores on an instance (``self.X = connect()``; ``on_instance`` says
        which objects are the instance), in source order, its locals followed (``conn = connect();
        self.conn = conn``): (attribute, what it holds)."""
        if isinstance(method.node, ast.Lambda):
            return
        local: dict[str, Origin] = {}
        env = self._chain(local, method)
        for stmt in iter_statements(list(method.node.body)):
            for target, value in _bindings(stmt):
                made = self.value(value, env)
                if made is None:
                    continue
                if isinstance(target, ast.Name):
                    local[target.id] = made
                elif isinstance(target, ast.Attribute) and on_instance(target.value):
                    held = local[ast.unparse(target)] = replace(made, name=f"self.{target.attr}")
                    yield target.attr, held

    def _new_attrs(self, new: FuncInfo, attrs: dict[str, Origin]) -> None:
        """``cls._instance._client = MongoClient(...)`` in a singleton's ``__new__`` (also on a local
        bound to ``super().__new__(cls)``): the instance it returns holds the client."""
        body = [] if isinstance(new.node, ast.Lambda) else list(new.node.body)
        made_here = {t.id for stmt in iter_statements(body) for t, v in _bindings(stmt)
                     if isinstance(t, ast.Name) and isinstance(v, ast.Call)
                     and isinstance(v.func, ast.Attribute) and v.func.attr == "__new__"}

        def on_instance(owner: ast.AST) -> bool:
            return (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name)
                    and owner.value.id == "cls") or (isinstance(owner, ast.Name) and owner.id in made_here)

        for attr, held in self._instance_stores(new, on_instance):
            if not held.model:
                attrs.setdefault(attr, held)

    def _opened_by_methods(self, methods: dict[str, FuncInfo]) -> dict[str, tuple[tuple[str, ...], Origin]]:
        """Attributes a method other than ``__init__`` connects (``def initialize(self): self._pool =
        ThreadedConnectionPool(...)``), with the methods that open them: that one and those that call it
        on ``self``. An instance made at import holds the client once the process calls one of them."""
        setters: dict[str, tuple[str, Origin]] = {}
        for name, method in methods.items():
            if name in ("__init__", "__new__", "run"):
                continue  # ``run()`` of a process or thread class runs in the child or thread
            for attr, held in self._instance_stores(method, _is_self):
                if not held.model:
                    setters.setdefault(attr, (name, held))
        if not setters:
            return {}
        callers: dict[str, set[str]] = {}  # method -> the methods that call it on ``self``
        for name, method in methods.items():
            for called in _self_calls(method, methods):
                callers.setdefault(called, set()).add(name)
        found: dict[str, tuple[tuple[str, ...], Origin]] = {}
        for attr, (setter, made) in setters.items():
            opening, todo = {setter}, [setter]
            while todo:
                for caller in callers.get(todo.pop(), ()):
                    if caller not in opening and caller != "__init__":
                        opening.add(caller)
                        todo.append(caller)
            found[attr] = (tuple(sorted(opening)), made)
        return found
