"""One pass over a module: imports, functions (with their local names), classes, and every call.

Python's own scoping rules decide what a name means: a name assigned in a function is that
function's local unless declared ``global``; a free name is looked up in enclosing functions, then
the module. The analysis needs exactly that to tell the worker's own connection from the parent's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, Sequence, Union

from . import knowledge

FuncNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(eq=False)
class FuncInfo:
    """A function or lambda: where it is defined and which names are its own."""

    node: FuncNode
    name: str
    parent: Optional[FuncInfo]
    cls: Optional[ast.ClassDef]
    locals: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    defs: dict[str, FuncInfo] = field(default_factory=dict)

    @property
    def body(self) -> list[ast.AST]:
        if isinstance(self.node, ast.Lambda):
            return [self.node.body]
        return list(self.node.body)


@dataclass(frozen=True)
class CallSite:
    call: ast.Call
    func: Optional[FuncInfo]  # None: module level (or a class body)
    cls: Optional[ast.ClassDef]


def index_scopes(tree: ast.AST) -> None:
    """Lay the tree out once in pre-order, so that ``iter_scope`` is a slice walk instead of a fresh
    ``ast.iter_child_nodes`` descent: the analysis asks for the nodes of the same function bodies and
    statements hundreds of thousands of times on a large tree (profiled: most of its time). Each node
    gets ``_fs_span`` = (the order, where each position goes next, its start, its end); nested
    defs, lambdas and classes send the walk past their bodies. Only statements and lambda bodies
    (where the walks start) get a span. Call it after the tree's last rewrite; a node made later,
    or a walk started elsewhere, is walked the slow way."""
    order: list[ast.AST] = []
    parents: list[int] = []
    stack: list[tuple[ast.AST, int]] = [(tree, -1)]
    while stack:  # pre-order, children in ``ast.iter_child_nodes`` order (pushed reversed)
        node, parent = stack.pop()
        here = len(order)
        order.append(node)
        parents.append(parent)
        children: list[ast.AST] = []
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                children.append(value)
            elif isinstance(value, list):
                children.extend(item for item in value if isinstance(item, ast.AST))
        stack.extend((child, here) for child in reversed(children))
    sizes = [1] * len(order)
    for i in range(len(order) - 1, 0, -1):
        sizes[parents[i]] += sizes[i]
    skip = [i + sizes[i] if isinstance(node, _SCOPE_NODES) else i + 1 for i, node in enumerate(order)]
    for i, node in enumerate(order):  # the walks start at statements and lambda bodies
        if isinstance(node, ast.stmt) or isinstance(order[parents[i]], ast.Lambda):
            node._fs_span = (order, skip, i, i + sizes[i])  # type: ignore[attr-defined]


def iter_scope(nodes: Sequence[ast.AST]) -> Iterator[ast.AST]:
    """Every node in ``nodes`` that belongs to this scope: nested defs/lambdas/classes are yielded
    themselves but not entered (their bodies run elsewhere, or later)."""
    for top in nodes:
        span = getattr(top, "_fs_span", None)
        if span is None:
            yield from _walk_scope(top)
            continue
        order, skip, i, stop = span
        while i < stop:
            yield order[i]
            i = skip[i]


def _walk_scope(top: ast.AST) -> Iterator[ast.AST]:
    stack = [top]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPE_NODES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def iter_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements in source order, entering compound statements but not defs or classes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                yield from iter_statements(block)
        for handler in getattr(stmt, "handlers", []) or []:
            yield from iter_statements(handler.body)
        for case in getattr(stmt, "cases", []) or []:
            yield from iter_statements(case.body)


def _target_names(target: ast.AST) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def relative_base(module: str, package: bool, level: int, name: Optional[str]) -> Optional[str]:
    """The absolute module ``from <level dots><name> import ...`` means inside ``module``."""
    if not module:
        return None
    parts = module.split(".")
    drop = level - (1 if package else 0)
    if drop > len(parts) or drop < 0:
        return None
    names = parts[: len(parts) - drop] + ([name] if name else [])
    return ".".join(n for n in names if n) or None


def import_aliases(tree: ast.Module, module: str = "", package: bool = False) -> dict[str, str]:
    """Top-level imports only (``local name -> qualified name``): what another module re-exports. Cheap
    enough to compute for every file of a project."""
    aliases: dict[str, str] = {}
    for stmt in iter_statements(tree.body):  # also under ``try:`` / ``if``: conditional imports
        if isinstance(stmt, ast.ImportFrom):
            base = relative_base(module, package, stmt.level, stmt.module) if stmt.level else stmt.module
            if base is None:
                continue
            for alias in stmt.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                else:  # ``from .models import *``: re-exports whatever that module offers
                    aliases[f"*{len(aliases)}"] = base
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
    return aliases


def class_bases(tree: ast.Module, aliases: dict[str, str], module: str) -> dict[str, tuple[str, ...]]:
    """The qualified bases of the module's top-level classes (``TaskStatus`` ->
    ``pulp.server.db.model.base.Model``): a classmethod another module calls on the class may be
    its base's, in a third module. Cheap enough for every file of a project."""
    found: dict[str, tuple[str, ...]] = {}
    local = {s.name for s in tree.body if isinstance(s, ast.ClassDef)}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            bases = []
            for base in stmt.bases:
                parts: list[str] = []
                node: ast.AST = base
                while isinstance(node, ast.Attribute):
                    parts.insert(0, node.attr)
                    node = node.value
                if isinstance(node, ast.Name):
                    own = f"{module}.{node.id}" if node.id in local and module else ""
                    head = aliases.get(node.id) or own
                    if head:
                        bases.append(".".join([head, *parts]))
            if bases:
                found[stmt.name] = tuple(bases)
    return found


def iter_imports(body: list[ast.stmt], in_function: bool = False
                 ) -> Iterator[tuple[Union[ast.Import, ast.ImportFrom], bool]]:
    """Every import statement, with whether it is inside a function. Walks statements only (imports
    are statements), so it costs a fraction of ``ast.walk``."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt, in_function
            continue
        inner = in_function or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                yield from iter_imports(block, inner)
        for handler in getattr(stmt, "handlers", []) or []:
            yield from iter_imports(handler.body, inner)
        for case in getattr(stmt, "cases", []) or []:
            yield from iter_imports(case.body, inner)


def nested_imports(tree: ast.Module, module: str = "", package: bool = False) -> frozenset[str]:
    """What functions import when they run (``from app.db import conn`` inside a worker): they
    reach those modules' connections too."""
    names: set[str] = set()
    for node, in_function in iter_imports(tree.body):
        if not in_function:
            continue
        if isinstance(node, ast.ImportFrom):
            base = relative_base(module, package, node.level, node.module) if node.level else node.module
            if base:
                names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
        else:
            names.update(a.name for a in node.names)
    return frozenset(names)


def top_level_imports(tree: ast.Module) -> frozenset[str]:
    """Modules a file imports at top level (``import pkg.db`` gives ``pkg`` and ``pkg.db``)."""
    names: set[str] = set()
    for stmt in iter_statements(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                names.add(alias.name)
                names.add(alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            names.add(stmt.module)
            if any(alias.name == "*" for alias in stmt.names):  # ``from dbhelpers import *``
                names.add(f"{stmt.module}.*")
    return frozenset(names) | url_includes(tree)


def url_includes(tree: ast.Module) -> frozenset[str]:
    """URLconf modules a Django ``urls.py`` names in ``include("management.urls")``: Django imports
    each when the call runs, at the import of the including module."""
    if not any(isinstance(s, ast.ImportFrom) and s.module in knowledge.URL_INCLUDE_MODULES
               and any(a.name == "include" for a in s.names) for s in tree.body):
        return frozenset()
    found: set[str] = set()
    for stmt in tree.body:
        for node in ast.walk(stmt) if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) else ():
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "include" \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) \
                    and all(p.isidentifier() for p in node.args[0].value.split(".")):
                found.add(node.args[0].value)
    return frozenset(found)


class ModuleIndex:
    """Everything the analysis looks up by name, built in one walk of the tree."""

    def __init__(self, tree: ast.Module, module: str = "", package: bool = False) -> None:
        self.tree = tree
        self.module = module  # dotted name, for relative imports ("" when unknown)
        self.package = package  # an ``__init__.py``: relative imports start from itself
        self.imports: dict[str, str] = {}
        self.funcs: dict[int, FuncInfo] = {}
        self.module_funcs: dict[str, FuncInfo] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.methods: dict[int, dict[str, FuncInfo]] = {}  # id(ClassDef) -> name -> method
        self.calls: list[CallSite] = []
        # (target, value, scope) for every assignment and with-as, in any scope
        self.bindings: list[tuple[ast.AST, ast.AST, Optional[FuncInfo]]] = []
        self.all_classes: list[ast.ClassDef] = []
        self._param_classes: Optional[dict[int, dict[str, ast.ClassDef]]] = None
        self._call_graph: Optional[dict[int, list[FuncInfo]]] = None
        self._dispatch: Optional[dict[str, list[FuncInfo]]] = None  # argparse ``set_defaults(func=f)``
        self._bound: Optional[frozenset[str]] = None  # names the module binds anywhere (``_left_out``)
        # the bindings by the name (``x = ...``) or ``self`` attribute (``self.x = ...``) they bind, in
        # order: (value, scope)
        self._by_name: Optional[dict[str, list[tuple[ast.AST, Optional[FuncInfo]]]]] = None
        self._by_self_attr: Optional[dict[str, list[tuple[ast.AST, Optional[FuncInfo]]]]] = None
        self._walk(tree.body, None, None)
        self._star_modules()

    def _star_modules(self) -> None:
        """``from helpers import *`` of a module outside the program, then ``pymysql.connect(...)``:
        a client library's name that nothing here binds came in through the star import. A snippet
        with no module-level import at all (cut from an issue thread: ``mp.Process(...)`` with the
        imports left out) means the usual modules by their usual names, too, and a class called by its
        bare name the usual class of that name (``Process(...)``, a client class only one library has).
        (Any other module's unbound ``multiprocessing`` or ``os``: ``qualname``.)"""
        starred = any(isinstance(s, ast.ImportFrom) and any(a.name == "*" for a in s.names)
                      for s in iter_statements(self.tree.body))
        snippet = not starred and not any(isinstance(s, (ast.Import, ast.ImportFrom))
                                          for s in iter_statements(self.tree.body))
        if not starred and not snippet:
            return
        known = {m: m for m in knowledge.CLIENT_MODULES}
        if snippet:
            known.update(knowledge.CONVENTIONAL_IMPORTS)
        names = knowledge.conventional_names() if snippet else {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in known and node.value.id not in self.imports \
                    and self._left_out(node.value.id):
                self.imports[node.value.id] = known[node.value.id]
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names \
                    and self._left_out(node.id):  # ``Process(target=f)``, ``class T(Process)``
                self.imports.setdefault(node.id, names[node.id])

    # -- building ---------------------------------------------------------------------------------
    def _walk(self, body: Sequence[ast.AST], func: Optional[FuncInfo], cls: Optional[ast.ClassDef]) -> None:
        for node in iter_scope(body):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node, func)
            elif isinstance(node, ast.Call):
                self.calls.append(CallSite(node, func, cls))
            elif isinstance(node, ast.Assign):
                self.bindings.extend((t, node.value, func) for t in node.targets)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self.bindings.append((node.target, node.value, func))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                self.bindings.extend((i.optional_vars, i.context_expr, func)
                                     for i in node.items if i.optional_vars)
            elif func is not None:
                self._local(node, func)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                self._function(node, func, cls)
            elif isinstance(node, ast.ClassDef):
                self.all_classes.append(node)
                if func is None and cls is None:
                    self.classes[node.name] = node
                self.methods[id(node)] = {}
                for deco in node.decorator_list + node.bases:
                    self._walk([deco], func, cls)
                self._walk(list(node.body), func, node)

    def _function(self, node: FuncNode, parent: Optional[FuncInfo], cls: Optional[ast.ClassDef]) -> None:
        name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
        info = FuncInfo(node, name, parent, cls)
        args = node.args
        for arg in args.posonlyargs + args.args + args.kwonlyargs:
            info.locals.add(arg.arg)
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                info.locals.add(extra.arg)
        self.funcs[id(node)] = info
        if not isinstance(node, ast.Lambda):
            if cls is not None:  # directly in a class body: a method
                self.methods.setdefault(id(cls), {})[name] = info
            elif parent is not None:
                parent.defs[name] = info
            elif cls is None:
                self.module_funcs[name] = info
            for deco in node.decorator_list:
                self._walk([deco], parent, cls)
        defaults: list[ast.AST] = [d for d in args.defaults + args.kw_defaults if d is not None]
        self._walk(defaults, parent, cls)
        self._walk(info.body, info, None)
        info.locals -= info.globals | info.nonlocals

    def _local(self, node: ast.AST, func: FuncInfo) -> None:
        if isinstance(node, ast.Global):
            func.globals.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            func.nonlocals.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            func.locals.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)) \
                and node.name:
            func.locals.add(node.name)

    def _import(self, node: Union[ast.Import, ast.ImportFrom], func: Optional[FuncInfo]) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                local = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else local
            else:
                if alias.name == "*":
                    continue
                base = self._relative(node) if node.level else node.module
                if base is None:
                    continue
                local = alias.asname or alias.name
                target = f"{base}.{alias.name}"
            if func is None:
                self.imports[local] = target
            else:
                func.locals.add(local)
                # Imports inside functions still say what the name means; keep the module-wide view
                # unless the module itself binds the name differently.
                self.imports.setdefault(local, target)

    def _relative(self, node: ast.ImportFrom) -> Optional[str]:
        """The absolute module of ``from ..x import y`` seen from this module, if its name is known."""
        return relative_base(self.module, self.package, node.level, node.module)

    # -- lookups ----------------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> Optional[str]:
        """``pg.connect`` -> ``psycopg2.connect`` when ``import psycopg2 as pg``; None if unknown."""
        if isinstance(node, ast.Name):
            found = self.imports.get(node.id)
            if found is None and node.id in knowledge.CONVENTIONAL_IMPORTS and self._left_out(node.id):
                found = knowledge.CONVENTIONAL_IMPORTS[node.id]  # the standard module
            return found
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _left_out(self, name: str) -> bool:
        """Is ``name`` bound nowhere in the module (``multiprocessing.Process(...)`` in code whose
        ``import multiprocessing`` an answer left out)? Walked once, and only when asked."""
        if self._bound is None:
            self._bound = frozenset(
                n.id if isinstance(n, ast.Name) else n.arg for n in ast.walk(self.tree)
                if (isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)) or isinstance(n, ast.arg))
        return name not in self._bound

    def resolve(self, name: str, func: Optional[FuncInfo]) -> Optional[FuncInfo]:
        """The function whose local ``name`` is, or None for a module global (or builtin)."""
        scope = func
        while scope is not None:
            if name in scope.globals:
                return None
            if name in scope.locals:
                return scope
            scope = scope.parent
        return None

    def function_named(self, name: str, func: Optional[FuncInfo]) -> Optional[FuncInfo]:
        """The def that ``name`` refers to from inside ``func`` (nested or module level)."""
        owner = self.resolve(name, func)
        if owner is not None:
            return owner.defs.get(name)
        return self.module_funcs.get(name)

    def callee(self, site: CallSite, class_methods: bool = True) -> Optional[FuncInfo]:
        """The module's function a call runs: ``f()`` (nested or module level), ``Cls()`` (its
        ``__init__``), ``self.m()`` / ``cls.m()``, and ``Cls.m()`` unless ``class_methods`` is False."""
        func = site.call.func
        if isinstance(func, ast.Name):
            found = self.function_named(func.id, site.func)
            if found is None and func.id in self.classes and self.resolve(func.id, site.func) is None:
                return self.methods.get(id(self.classes[func.id]), {}).get("__init__")
            return found
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        if func.value.id in ("self", "cls"):
            return self.method_of(site.func, func.attr)
        if class_methods and func.value.id in self.classes and self.resolve(func.value.id, site.func) is None:
            return self.methods.get(id(self.classes[func.value.id]), {}).get(func.attr)
        return None

    def master_hooks(self) -> list[FuncInfo]:
        """A gunicorn config module's hooks that gunicorn runs in its master before the workers fork
        (``on_starting``, ``when_ready``): to the workers, what they run is what the module's import
        runs (``create_db_and_tables()`` there migrates through the engine the workers inherit)."""
        if not knowledge.gunicorn_config(f"{self.module.rsplit('.', 1)[-1]}.py"):  # (``gunicorn_conf``)
            return []
        return [f for name, f in self.module_funcs.items() if name in knowledge.GUNICORN_MASTER_HOOKS]

    def run_at_import(self, site: CallSite) -> bool:
        """Does this call run when the module is loaded: at module level or in a master hook?"""
        if site.func is None:
            return True
        owner = site.func
        while owner.parent is not None:
            owner = owner.parent
        return any(owner is hook for hook in self.master_hooks())

    def called_from(self, starts: Sequence[Optional[FuncInfo]]) -> set[int]:
        """Ids of the functions these scopes (None for module level) call, transitively, by direct
        calls (a target handed to a child is not a call)."""
        if self._call_graph is None:
            graph: dict[int, list[FuncInfo]] = {}  # id(scope), 0 for module level -> what it calls
            for site in self.calls:
                runs = self.callees(site)
                if runs:
                    graph.setdefault(id(site.func) if site.func is not None else 0, []).extend(runs)
            self._call_graph = graph
        found: set[int] = set()
        todo = [c for start in starts
                for c in self._call_graph.get(id(start) if start is not None else 0, [])]
        while todo:
            callee = todo.pop()
            if id(callee) not in found:
                found.add(id(callee))
                todo.extend(self._call_graph.get(id(callee), []))
        return found

    def callees(self, site: CallSite) -> list[FuncInfo]:
        """The module's functions a call may run: its ``callee``, or for ``args.func(args)`` every
        function argparse's sub-commands stored as ``set_defaults(func=...)``."""
        callee = self.callee(site)
        found = [callee] if callee is not None else []
        func = site.call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            found += self._dispatched().get(func.attr, [])
        return found

    def _dispatched(self) -> dict[str, list[FuncInfo]]:
        """Keyword -> the functions given as ``parser.set_defaults(keyword=function)``."""
        if self._dispatch is None:
            self._dispatch = {}
            for site in self.calls:
                func = site.call.func
                if isinstance(func, ast.Attribute) and func.attr in knowledge.DISPATCH_DEFAULTS:
                    for keyword in site.call.keywords:
                        if keyword.arg is not None and isinstance(keyword.value, ast.Name) \
                                and (target := self.function_named(keyword.value.id, site.func)):
                            self._dispatch.setdefault(keyword.arg, []).append(target)
        return self._dispatch

    def values_bound(self, name: str) -> list[tuple[ast.AST, Optional[FuncInfo]]]:
        """What ``name = value`` binds the name to anywhere in the module, in order, with the scope."""
        if self._by_name is None:
            self._index_bindings()
        assert self._by_name is not None
        return self._by_name.get(name, [])

    def values_of_self(self, attr: str) -> list[tuple[ast.AST, Optional[FuncInfo]]]:
        """What ``self.attr = value`` binds, anywhere in the module, in order, with the scope."""
        if self._by_self_attr is None:
            self._index_bindings()
        assert self._by_self_attr is not None
        return self._by_self_attr.get(attr, [])

    def _index_bindings(self) -> None:
        self._by_name, self._by_self_attr = {}, {}
        for target, value, where in self.bindings:
            if isinstance(target, ast.Name):
                self._by_name.setdefault(target.id, []).append((value, where))
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                    and target.value.id == "self":
                self._by_self_attr.setdefault(target.attr, []).append((value, where))

    def param_classes(self, func: FuncInfo) -> dict[str, ast.ClassDef]:
        """Parameters of ``func`` that every caller here gives an instance of one of this module's
        classes (``main_worker(rd)`` with ``rd = MonitorRun(...)``, ``Process(target=cycle_worker,
        args=(self,))`` in a method): ``run.start()`` in ``func`` is that class's method."""
        if self._param_classes is None:
            found: dict[int, dict[str, set[int]]] = {}
            for site in self.calls:
                target, args, keywords = self._given(site)
                if target is None or isinstance(target.node, ast.Lambda):
                    continue
                names = [a.arg for a in target.node.args.posonlyargs + target.node.args.args]
                if target.cls is not None and names and names[0] in ("self", "cls"):
                    names = names[1:]
                pairs = [(names[i], arg) for i, arg in enumerate(args) if i < len(names)]
                pairs += [(k.arg, k.value) for k in keywords if k.arg in names]
                for name, arg in pairs:
                    cls = self._local_instance_class(arg, site.func)
                    found.setdefault(id(target), {}).setdefault(name, set()).add(id(cls) if cls else 0)
            by_id = {id(c): c for c in self.all_classes}
            self._param_classes = {
                key: {name: by_id[next(iter(ids))] for name, ids in params.items()
                      if len(ids) == 1 and next(iter(ids)) in by_id}
                for key, params in found.items()}
        return self._param_classes.get(id(func), {})

    def _given(self, site: CallSite) -> tuple[Optional[FuncInfo], list[ast.expr], list[ast.keyword]]:
        """The function a call runs with the arguments it gets: a direct call, or a process or
        thread given ``target=`` and ``args=``."""
        if self.qualname(site.call.func) in knowledge.PROCESS_TARGET_CALLS:
            target = next((k.value for k in site.call.keywords if k.arg == "target"), None)
            given = next((k.value for k in site.call.keywords if k.arg == "args"), None)
            func = self.function_named(target.id, site.func) if isinstance(target, ast.Name) else None
            args = list(given.elts) if isinstance(given, (ast.Tuple, ast.List)) else []
            return func, args, []
        if any(isinstance(a, ast.Starred) for a in site.call.args):
            return None, [], []
        return self.callee(site, class_methods=False), list(site.call.args), list(site.call.keywords)

    def _local_instance_class(self, node: ast.expr, scope: Optional[FuncInfo]) -> Optional[ast.ClassDef]:
        """The class of this module ``node`` is an instance of, when it says so: ``Cls(...)``,
        ``self`` in a method, or a name bound to ``Cls(...)`` in the same scope."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.classes \
                and self.resolve(node.func.id, scope) is None:
            return self.classes[node.func.id]
        if isinstance(node, ast.Name) and node.id == "self" and scope is not None:
            return scope.cls
        if isinstance(node, ast.Name):
            made = [v for t, v, where in self.bindings if where is scope and isinstance(t, ast.Name)
                    and t.id == node.id]
            if len(made) == 1:
                return self._local_instance_class(made[0], scope) if isinstance(made[0], ast.Call) else None
        return None

    def later_method_calls(self, made: ast.Call, scope: Optional[FuncInfo], method: str) -> list[int]:
        """Lines of ``x.method()`` after ``x = made`` in the same scope (``p.start()`` of ``p =
        Process(...)``, ``t.join()`` of ``t = Thread(...)``)."""
        bound = next((t.id for t, v, where in self.bindings
                      if v is made and where is scope and isinstance(t, ast.Name)), None)
        return [s.call.lineno for s in self.calls if bound is not None and s.func is scope
                and isinstance(s.call.func, ast.Attribute) and s.call.func.attr == method
                and isinstance(s.call.func.value, ast.Name) and s.call.func.value.id == bound
                and s.call.lineno >= made.lineno]

    def method_of(self, func: Optional[FuncInfo], name: str) -> Optional[FuncInfo]:
        """``self.name`` seen inside ``func``: the method of the enclosing class, if any."""
        scope = func
        while scope is not None and scope.cls is None:
            scope = scope.parent
        if scope is None or scope.cls is None:
            return None
        return self.methods.get(id(scope.cls), {}).get(name)


def is_singleton(cls: ast.ClassDef) -> bool:
    """A class whose every call returns one shared instance: a ``Singleton`` metaclass, base or
    decorator, or a ``__new__`` that hands back a cached ``_instance``. Made in the parent, that
    instance (and the client it holds) is what ``Cls()`` gives a forked child too."""
    named = [kw.value for kw in cls.keywords if kw.arg == "metaclass"] + list(cls.bases) + list(
        cls.decorator_list)
    named += [stmt.value for stmt in cls.body if isinstance(stmt, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == "__metaclass__" for t in stmt.targets)]
    if any("singleton" in ast.unparse(node).lower() for node in named):
        return True
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__new__":
            return any(isinstance(n, ast.Attribute) and "instance" in n.attr.lower() for n in ast.walk(stmt))
    return False


def comprehension_names(expr: Union[ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp]) -> set[str]:
    """The names a comprehension's ``for`` targets bind (local to it)."""
    return {n.id for g in expr.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}


def _calls_getpid(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and ((isinstance(n.func, ast.Attribute) and n.func.attr == "getpid")
                                            or (isinstance(n.func, ast.Name) and n.func.id == "getpid"))
               for n in ast.walk(node))


def pid_guards(tree: ast.Module) -> tuple[dict[str, int], frozenset[str]]:
    """SQLAlchemy's recipe for pools across ``fork()``: a ``"checkout"`` listener that compares
    ``os.getpid()`` with the pid that made the connection and makes the child reconnect. Returns
    (module function -> the position of the engine parameter it guards, module globals guarded at
    import or by the lazy initialiser that makes them)."""
    functions: dict[str, int] = {}
    names: set[str] = set()

    def guarded(scope: list[ast.stmt]) -> list[str]:
        statements = list(iter_statements(scope))  # also under ``if not _engine:`` of a lazy initialiser
        defs = {s.name: s for s in statements if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        found: list[str] = []
        for stmt in statements:
            calls: list[tuple[ast.Call, ast.AST]] = []
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                calls = [(d, stmt) for d in stmt.decorator_list if isinstance(d, ast.Call)]
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                    and len(stmt.value.args) >= 3:
                handler = stmt.value.args[2]
                if isinstance(handler, ast.Name) and handler.id in defs:
                    calls = [(stmt.value, defs[handler.id])]
            for call, listener in calls:
                name = call.func.attr if isinstance(call.func, ast.Attribute) else \
                    call.func.id if isinstance(call.func, ast.Name) else ""
                if name in ("listens_for", "listen") and len(call.args) >= 2 \
                        and isinstance(call.args[0], ast.Name) and isinstance(call.args[1], ast.Constant) \
                        and call.args[1].value == "checkout" and _calls_getpid(listener):
                    found.append(call.args[0].id)
        return found

    names.update(guarded(tree.body))
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = [a.arg for a in stmt.args.posonlyargs + stmt.args.args]
            declared = {n for node in ast.walk(stmt) if isinstance(node, ast.Global) for n in node.names}
            for name in guarded(stmt.body):
                if name in params:
                    functions[stmt.name] = params.index(name)
                elif name in declared:  # ``global _engine; _engine = create_engine(...)``, guarded there
                    names.add(name)
    return functions, frozenset(names)


def orm_helpers(tree: ast.Module) -> frozenset[str]:
    """Module functions and methods (``Cls.method``) that query Django's ORM (``Model.objects``),
    directly or by calling one of the module's functions that does."""
    return _functions_that(tree, lambda node: isinstance(node, ast.Attribute) and node.attr == "objects")


def document_connectors(tree: ast.Module, aliases: dict[str, str]) -> frozenset[str]:
    """Module functions that connect mongoengine's default client (``def connect_to_database(name):
    connect(db=name)``), directly or through another function of the module."""
    def connects(node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = f"{func.value.id}.{func.attr}"
        else:
            return False
        head, _, rest = name.partition(".")
        qual = aliases.get(head, head) + (f".{rest}" if rest else "")
        return qual in knowledge.DOCUMENT_ORM_CONNECTS
    return _functions_that(tree, connects)


def connected_signal(target: ast.AST) -> str:
    """The signal a handler is connected to by ``@worker_init.connect`` / ``signals.worker_init.connect``
    (the decorator, or the function of a ``.connect(handler)`` call): its last name, else ""."""
    if isinstance(target, ast.Attribute) and target.attr == "connect":
        return ast.unparse(target.value).rsplit(".", 1)[-1]
    return ""


def parent_signal_handlers(index: ModuleIndex) -> dict[int, tuple[FuncInfo, str]]:
    """Handlers of Celery's signals that fire in the main worker process before it forks its
    pool (``@worker_init.connect``, ``celeryd_init.connect(setup)``): id -> (handler, signal)."""
    found: dict[int, tuple[FuncInfo, str]] = {}
    for info in index.funcs.values():
        for deco in info.node.decorator_list if not isinstance(info.node, ast.Lambda) else ():
            signal = connected_signal(deco.func if isinstance(deco, ast.Call) else deco)
            if signal in knowledge.CELERY_PARENT_SIGNALS:
                found[id(info)] = (info, signal)
    for site in index.calls:
        signal = connected_signal(site.call.func)
        if signal in knowledge.CELERY_PARENT_SIGNALS and site.call.args \
                and isinstance(site.call.args[0], ast.Name):
            handler = index.function_named(site.call.args[0].id, site.func)
            if handler is not None:
                found[id(handler)] = (handler, signal)
    return found


def _child_signal_handlers(tree: ast.Module) -> Iterator[Union[ast.FunctionDef, ast.AsyncFunctionDef]]:
    """The module's ``worker_process_init`` handlers, decorated (``@worker_process_init.connect``,
    also called with arguments) or connected at the top level
    (``signals.worker_process_init.connect(setup)``): they run in every Celery pool child."""
    defined = {stmt.name: stmt for stmt in tree.body
               if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    connected = {stmt.value.args[0].id for stmt in tree.body
                 if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                 and connected_signal(stmt.value.func) in knowledge.CELERY_CHILD_SIGNALS
                 and stmt.value.args and isinstance(stmt.value.args[0], ast.Name)}
    for name, stmt in defined.items():
        if name in connected or any(
                connected_signal(d.func if isinstance(d, ast.Call) else d) in knowledge.CELERY_CHILD_SIGNALS
                for d in stmt.decorator_list):
            yield stmt


def reconnects_documents_in_child(tree: ast.Module, aliases: dict[str, str]) -> bool:
    """A ``@worker_process_init.connect`` handler that (re)connects mongoengine's default client: every
    Celery pool child then queries over a client of its own."""
    connectors = document_connectors(tree, aliases)
    return any(handler.name in connectors for handler in _child_signal_handlers(tree))


def disposed_in_workers(tree: ast.Module, aliases: dict[str, str]) -> frozenset[str]:
    """What a ``@worker_process_init.connect`` handler disposes (``db.engine.dispose(close=False)``
    of an engine another module made): the qualified names of the holders (``app.db``), through
    this module's imports. Every Celery pool child then starts with a pool of its own."""
    found: set[str] = set()
    for handler in _child_signal_handlers(tree):
        for node in ast.walk(handler):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "dispose":
                holder = node.func.value
                while isinstance(holder, ast.Attribute):
                    holder = holder.value
                if isinstance(holder, ast.Name) and holder.id in aliases:
                    found.add(aliases[holder.id])
    return frozenset(found)


def called_in_worker_init(tree: ast.Module, aliases: dict[str, str], module: str) -> frozenset[str]:
    """What the module's ``worker_process_init`` handlers (decorated, or connected with
    ``worker_process_init.connect(handler)``) call, by qualified name (``fame.core.fame_init``):
    helpers that make a client anew there give every Celery pool child one of its own."""
    defined = {stmt.name for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found: set[str] = set()
    for handler in _child_signal_handlers(tree):
        for node in ast.walk(handler):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            head, _, rest = name.partition(".")
            if head in aliases:
                found.add(aliases[head] + (f".{rest}" if rest else ""))
            elif head in defined and not rest and module:
                found.add(f"{module}.{head}")
    return frozenset(found)


def _functions_that(tree: ast.Module, direct: Callable[[ast.AST], bool]) -> frozenset[str]:
    """Module functions and methods (``Cls.method``) with a node ``direct`` accepts, or that call a
    function of the module that has one."""
    bodies: dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bodies[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    bodies[f"{stmt.name}.{item.name}"] = item
    found: set[str] = set()
    calls: dict[str, set[str]] = {}
    for name, node in bodies.items():
        called: set[str] = set()
        for inner in ast.walk(node):
            if direct(inner):
                found.add(name)
            elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                called.add(inner.func.id)
        calls[name] = called
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in found and called & found:
                found.add(name)
                changed = True
    return frozenset(found)


def main_guarded(tree: ast.Module) -> Callable[[int], bool]:
    """Is a line inside a top-level ``if __name__ == "__main__":`` body (run as a script, not when
    the module is imported)?"""
    spans = _main_guard_lines(tree)
    return lambda line: any(start <= line <= end for start, end in spans)


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
