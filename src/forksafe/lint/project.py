"""Across the modules of a project: module names from file paths, what each module exports, and the
second pass that re-checks a module with what its imports export.

Pass one lints every file alone (in parallel for large trees) and keeps, per module, its exports
(import-time connections, factories, getters, helpers that touch a connection), the names it imports
and the functions it hands to a child in another module (``queue.enqueue(tasks.job)``). Pass two
re-lints only the few modules that start children and import an exporting module, or that another
module forks into.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Mapping, Optional, Sequence

from . import knowledge
from .entries import ForkingParameter
from .findings import Finding
from .scopes import iter_imports, relative_base
from .taint import Exports, Origin


@dataclass
class FileResult:
    """Pass one's answer for one file (plain data: it crosses process boundaries)."""

    path: str
    module: str
    findings: list[Finding]
    exports: Optional[Exports] = None
    imports: frozenset[str] = frozenset()
    has_entries: bool = False
    remote: list[tuple[str, str, str]] = field(default_factory=list)
    resets_at_import: bool = False  # disposes/closes a connection holder at module level
    import_calls: frozenset[str] = frozenset()  # qualified names this module calls at import time
    function_calls: dict[str, frozenset[str]] = field(default_factory=dict)  # function -> what it calls
    aliases: dict[str, str] = field(default_factory=dict)  # top-level imports: what it re-exports
    children: bool = False  # mentions a way of starting another process (pass two may look again)
    starts: bool = False  # names a way of starting a child explicitly (multiprocessing, .enqueue, ...)
    rq_worker: bool = False  # runs or defines an RQ worker that forks (its imports are loaded in it)
    orm_helpers: frozenset[str] = frozenset()  # its functions that query Django's ORM (``X.objects``)
    orm_connectors: frozenset[str] = frozenset()  # its functions that connect mongoengine's client
    # what it calls at import, at the start of a line, that may connect (``connect_mongo("worker")``)
    connects_at_import: frozenset[tuple[str, int]] = frozenset()  # (qualified name, line)
    celery_app: bool = False  # makes a Celery app (``Celery(...)``)
    reconnects_documents: bool = False  # a worker_process_init handler connects mongoengine again
    disposes_in_workers: frozenset[str] = frozenset()  # holders a worker_process_init handler disposes
    renews_in_workers: frozenset[str] = frozenset()  # what a worker_process_init handler calls
    daemonizers: frozenset[str] = frozenset()  # its functions that fork and end the parent (qualified)
    forking: frozenset[ForkingParameter] = frozenset()  # its functions that start a parameter in a child
    top_imports: frozenset[str] = frozenset()  # what it imports at its top level (not inside functions)
    embedded: bool = False  # runs gunicorn itself (a BaseApplication subclass): loaded in the master
    django: bool = False  # imports Django
    class_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> qualified bases


_PACKAGE_DIRS: dict[str, bool] = {}


def _is_package(directory: str) -> bool:
    known = _PACKAGE_DIRS.get(directory)
    if known is None:
        known = _PACKAGE_DIRS[directory] = os.path.isfile(os.path.join(directory, "__init__.py"))
    return known


def _renamed(part: str) -> str:
    """``async`` (a module name before Python 3.7 made it a keyword) as importers' rewritten
    sources spell it (``api._python2_tree``): ``async_``."""
    return part + "_" if part in ("async", "await") else part


def module_name(path: str) -> tuple[str, bool]:
    """(dotted module name, is a package ``__init__``) as Python would import the file: packages
    upward while ``__init__.py`` exists; a loose script is its own top-level module, and one whose
    name is not a module name (``gunicorn.conf.py``, which gunicorn loads by its path) is named with
    its dots as underscores, not as a module of a package ``gunicorn``."""
    directory, base = os.path.split(os.path.abspath(path))
    stem = base[:-3] if base.endswith(".py") else base
    if "." in stem:
        return stem.replace(".", "_"), False
    package = stem == "__init__"
    parts = [] if package else [_renamed(stem)]
    while _is_package(directory) and os.path.basename(directory).isidentifier():
        parts.insert(0, _renamed(os.path.basename(directory)))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return ".".join(parts), package


_DIR_NAMES: dict[str, frozenset[str]] = {}


def _importable_names(directory: str) -> frozenset[str]:
    """Module names a directory offers: ``x.py`` files and sub-directories."""
    names = _DIR_NAMES.get(directory)
    if names is None:
        try:
            entries = os.listdir(directory)
        except OSError:
            entries = []
        names = _DIR_NAMES[directory] = frozenset(
            e[:-3] if e.endswith(".py") else e for e in entries
            if e.endswith(".py") or os.path.isdir(os.path.join(directory, e)))
    return names


def implicit_relative_imports(tree: ast.Module, path: str, module: str, package: bool,
                              known_libraries: frozenset[str] = frozenset()) -> None:
    """Python 2's implicit relative imports: inside package ``app``, ``from logic.db import X`` means
    ``app.logic.db`` when ``logic`` sits beside the importing file (and no top-level ``logic``
    exists). Rewritten in place as ``from .logic.db import X`` so every later step resolves it.
    Names of the standard library and of the libraries the catalogue knows are left alone: in
    ``proj/celery.py``, ``from celery import Celery`` is the library (Python 3's absolute imports)."""
    if "." not in module and not package:
        return  # a top-level module: its siblings are top-level modules already
    directory = os.path.dirname(os.path.abspath(path))
    siblings = _importable_names(directory)
    depth = module.count(".") + (1 if package else 0)
    root = directory
    for _ in range(depth):
        root = os.path.dirname(root)
    top = _importable_names(root)

    def beside(name: str) -> bool:
        first = name.split(".")[0]
        return first in siblings and first not in top and first not in libraries

    here = relative_base(module, package, 1, None)
    libraries = known_libraries
    for node, _ in iter_imports(tree.body):
        if isinstance(node, ast.ImportFrom):
            if not node.level and node.module and beside(node.module):
                node.level = 1
        elif here:
            for alias in node.names:  # ``import logic.db`` -> ``import app.logic as logic``
                if beside(alias.name):
                    if alias.asname:
                        alias.name = f"{here}.{alias.name}"
                    else:
                        first = alias.name.split(".")[0]
                        alias.name, alias.asname = f"{here}.{first}", first


def expand_star_imports(tree: ast.Module, module: str, package: bool,
                        names_of: Callable[[str], list[str]]) -> None:
    """``from .models import *`` -> ``from .models import Feed, Entry``: the names that module
    exports (pass two knows them), so every later step resolves them like any other import."""
    for node, _ in iter_imports(tree.body):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            base = relative_base(module, package, node.level, node.module) if node.level else node.module
            names = names_of(base) if base else []
            if names:
                node.names = [ast.alias(name=n) for n in names]


_TOP_IMPORT = re.compile(rb"^(?:import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?"
                         rb"|from[ \t]+([\w.]+)[ \t]+import[ \t]+([\w \t,]+?|\*))[ \t]*(?:#[^\n]*)?$", re.M)
_ASSIGNED_CALL = re.compile(rb"^(\w+)[ \t]*=[ \t]*([\w.]+)[ \t]*\(", re.M)


@dataclass(frozen=True)
class _LibraryImport:
    """A top-level import of a library: ``import module [as name]`` or ``from module import name``."""

    module: str
    name: str  # the ``as`` name ("" for a plain ``import``), or the name ``from`` imports
    from_import: bool

    @property
    def local(self) -> str:
        return self.name if self.name else self.module.split(".")[0]

    @property
    def target(self) -> str:
        """What the local name means: ``sqlalchemy`` for ``db``, ``celery.Celery`` for ``Celery``."""
        if self.from_import:
            return f"{self.module}.{self.name}"
        return self.module if self.name else self.module.split(".")[0]

    def statement(self) -> ast.stmt:
        if self.from_import:
            return ast.ImportFrom(module=self.module, names=[ast.alias(name=self.name)], level=0)
        return ast.Import(names=[ast.alias(name=self.module, asname=self.name or None)])


@dataclass(frozen=True)
class _ModuleText:
    """What pass one reads of another module of the project, from its text (not parsed): its
    library imports (also those of the project modules it star-imports, two levels), and its
    top-level ``name = Constructor(...)`` assignments."""

    imports: tuple[_LibraryImport, ...]
    assigned: dict[str, str]  # name -> the called name, as written (``ProcessPoolExecutor``)


_MODULE_TEXTS: dict[tuple[str, frozenset[str]], _ModuleText] = {}


def _module_file(directory: str, dotted: str) -> Optional[str]:
    base = os.path.join(directory, *dotted.split("."))
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def _module_text(path: str, libraries: frozenset[str], depth: int = 0) -> _ModuleText:
    """The file at ``path``, read once per process (``_MODULE_TEXTS``)."""
    key = (path, libraries)
    known = _MODULE_TEXTS.get(key)
    if known is not None:
        return known
    _MODULE_TEXTS[key] = _ModuleText((), {})  # a cycle of star imports ends here
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return _MODULE_TEXTS[key]
    imports: list[_LibraryImport] = []
    for match in _TOP_IMPORT.finditer(data):
        plain, local, source, names = (g.decode("utf-8", "replace") if g else "" for g in match.groups())
        if plain and plain.split(".")[0] in libraries:
            imports.append(_LibraryImport(plain, local, from_import=False))
        elif source and names == "*" and depth < 2 and source.split(".")[0] not in libraries:
            directory, dots = os.path.dirname(path), len(source) - len(source.lstrip("."))
            for _ in range(dots - 1):  # ``from ..base import *``
                directory = os.path.dirname(directory)
            inner = _module_file(directory, source.lstrip(".")) if source.lstrip(".") else None
            if inner is not None:
                imports.extend(_module_text(inner, libraries, depth + 1).imports)
        elif source and source.split(".")[0] in libraries:
            imports.extend(_LibraryImport(source, n.strip(), from_import=True)
                           for n in names.split(",") if n.strip().isidentifier())
    assigned = {m.group(1).decode(): m.group(2).decode() for m in _ASSIGNED_CALL.finditer(data)}
    known = _MODULE_TEXTS[key] = _ModuleText(tuple(imports), assigned)
    return known


def _imported_file(stmt: ast.ImportFrom, path: str, module: str, package: bool,
                   libraries: frozenset[str]) -> Optional[str]:
    """The project file ``from <stmt.module> import ...`` reads, if it is one on disk (not this one)."""
    here = os.path.dirname(os.path.abspath(path))
    if stmt.level:
        directory = here
        for _ in range(stmt.level - 1):
            directory = os.path.dirname(directory)
        target = _module_file(directory, stmt.module) if stmt.module else \
            _module_file(os.path.dirname(directory), os.path.basename(directory))
    elif stmt.module and stmt.module.split(".")[0] not in libraries:
        root = here
        for _ in range(module.count(".") + (1 if package else 0)):
            root = os.path.dirname(root)
        target = _module_file(root, stmt.module) or _module_file(here, stmt.module)
    else:
        return None
    return target if target is not None and os.path.abspath(target) != os.path.abspath(path) else None


def imported_constructions(tree: ast.Module, path: str, module: str, package: bool,
                           libraries: frozenset[str]) -> dict[str, tuple[str, int]]:
    """``from .drivers import executor`` of a project module whose top level says ``executor =
    ProcessPoolExecutor(4)``: local name -> (the library constructor's qualified name, the import's
    line). Read from the other file's text in pass one, as ``star_library_imports`` does, so that a
    pool another module made is known where it is used."""
    found: dict[str, tuple[str, int]] = {}
    for stmt in tree.body:
        if not isinstance(stmt, ast.ImportFrom) or any(a.name == "*" for a in stmt.names):
            continue
        target = _imported_file(stmt, path, module, package, libraries)
        if target is None:
            continue
        text = _module_text(target, libraries)
        meanings = {imported.local: imported.target for imported in text.imports}
        for alias in stmt.names:
            head, _, rest = text.assigned.get(alias.name, "").partition(".")
            base = meanings.get(head)
            if base is not None:
                found[alias.asname or alias.name] = (f"{base}.{rest}" if rest else base, stmt.lineno)
    return found


def star_library_imports(tree: ast.Module, path: str, module: str, package: bool,
                         libraries: frozenset[str]) -> bytes:
    """``from .imports import *`` of a project module whose own imports are ``import sqlalchemy as
    db`` and ``from celery import Celery``: the star import binds those names to those libraries
    here too. Pass one lints each file alone, so the star-imported file's import lines are read
    (not parsed) and added after the star import as imports of this module's own; everything else
    the star brings in is pass two's (``expand_star_imports``). Gives the added imports' text."""
    body: list[ast.stmt] = []
    added: list[str] = []
    for stmt in tree.body:
        body.append(stmt)
        if not (isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names)):
            continue
        target = _imported_file(stmt, path, module, package, libraries)
        if target is None:
            continue
        for imported in _module_text(target, libraries).imports:
            made = imported.statement()
            body.append(ast.copy_location(made, stmt))
            added.append(ast.unparse(made))
    tree.body = body
    return ("\n" + "\n".join(added) + "\n").encode() if added else b""


def module_aliases(path: str, module: str, depth: int = 4) -> list[str]:
    """Other names the module may be imported by: dotted suffixes of its path, for namespace packages
    and scripts run from a sub-directory (``from model.models import x`` with no ``__init__.py``)."""
    if "." in module or module.endswith("__init__"):
        return []  # inside a regular package: its package name is the only one
    parts = os.path.splitext(os.path.abspath(path))[0].split(os.sep)[1:]
    names = [".".join(parts[-n:]) for n in range(2, min(depth, len(parts)) + 1)]
    return [n for n in names if all(p.isidentifier() for p in n.split("."))]


def module_of(qual: str, modules: Mapping[str, object]) -> Optional[tuple[str, str]]:
    """(module, name in it) for ``qual``: the module itself (``pkg.db`` -> (``pkg.db``, "")) or a
    name inside the longest module prefix we know (``split_qualname``)."""
    return (qual, "") if qual in modules else split_qualname(qual, modules)


def split_qualname(qual: str, modules: Mapping[str, object]) -> Optional[tuple[str, str]]:
    """``pkg.db.get_conn`` -> (``pkg.db``, ``get_conn``) for the longest module prefix we know."""
    parts = qual.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:i])
        if module in modules:
            return module, ".".join(parts[i:])
    return None


_DJANGO_SETTINGS = "django.conf.settings"


def _offers(exports: Exports, name: str) -> bool:
    """Does the module ``exports`` describes offer ``name`` (a client, factory, getter or helper)?"""
    return name.split(".")[0] in exports.globals or name in exports.globals \
        or name in exports.factories or name in exports.getters \
        or name in exports.uses


# what a module's import does to clients: (path, line) at its top level, and by each of its functions
_AtImport = tuple[list[tuple[str, int]], dict[str, list[tuple[str, int]]]]

class ProjectExports:
    """The ``Externals`` the analysis asks about other modules. A name a module only imports
    (``from .models import db`` in ``rest.py``) is followed to where it was made."""

    def __init__(self, exports: dict[str, Exports],
                 aliases: Optional[dict[str, dict[str, str]]] = None,
                 orm_helpers: Optional[dict[str, frozenset[str]]] = None,
                 orm_connectors: Optional[dict[str, frozenset[str]]] = None, django: bool = False,
                 modules: Iterable[str] = (),
                 class_bases: Optional[dict[str, dict[str, tuple[str, ...]]]] = None) -> None:
        self.by_module = exports
        self.known = frozenset(modules)  # every module of the project (callees of ``passes``)
        self.aliases = aliases or {}
        self.orm_helpers = orm_helpers or {}  # module -> its functions that query Django's ORM
        self.orm_connectors = orm_connectors or {}  # module -> its functions that connect mongoengine
        self.django = django
        self.class_bases = class_bases or {}  # module -> class -> qualified bases
        self._modules: dict[str, object] = {**self.class_bases, **self.aliases, **self.by_module,
                                            **self.orm_helpers, **self.orm_connectors}
        self._project: dict[str, object] = {**dict.fromkeys(self.known), **self._modules}
        self._passed: Optional[dict[tuple[str, str], list[tuple[object, Origin]]]] = None
        self._receivers: Optional[frozenset[str]] = None
        self._guarded: Optional[frozenset[tuple[str, int]]] = None
        self._found: dict[str, Optional[tuple[Exports, str]]] = {}
        self._used: Optional[frozenset[tuple[str, int]]] = None
        self._bound: Optional[frozenset[tuple[str, int]]] = None
        self._bound_anywhere: Optional[frozenset[tuple[str, int]]] = None
        self._at_import: frozenset[str] = frozenset()  # functions some module's import runs
        self._set_at_import: Optional[frozenset[str]] = None
        self._documents_connected: Optional[Origin] = None
        self._disposed: frozenset[tuple[str, int]] = frozenset()
        self._daemonizers: frozenset[str] = frozenset()
        self._forking: dict[str, tuple[ForkingParameter, ...]] = {}
        self._loaded: frozenset[str] = frozenset()
        self._canonical: dict[str, str] = {}
        self._after_fork: dict[str, str] = {}
        self._master_loaded: frozenset[str] = frozenset()

    def set_served_after_fork(self, served: dict[str, str], master_loaded: frozenset[str]) -> None:
        """The modules gunicorn's workers import after the fork (with how we know), and the paths of
        the modules their master loaded first."""
        self._after_fork, self._master_loaded = served, master_loaded

    def served_after_fork(self, module: str) -> Optional[tuple[str, frozenset[str]]]:
        how = self._after_fork.get(module)
        return (how, self._master_loaded) if how is not None else None

    def orm_helper(self, qual: str) -> bool:
        found = self._callee(qual)  # also through re-exports
        return found is not None and found[1] in self.orm_helpers.get(found[0], frozenset())

    def set_top_imports(self, loaded: frozenset[str], canonical: dict[str, str]) -> None:
        """The modules the project's modules import at their top level (canonical names), and the
        canonical name of every name a module is imported by."""
        self._loaded, self._canonical = loaded, canonical
        self._passed = self._receivers = None  # a namespace package's module, found by its alias

    def loaded_in_parent(self, qual: str) -> bool:
        found = module_of(qual, self._canonical)
        if found is None:
            return True  # not a module of the project: assume the parent has it
        module = self._canonical[found[0]]
        return any(m == module or m.startswith(module + ".") for m in self._loaded)

    def set_disposed_in_workers(self, holders: Iterable[str], calls: Iterable[str] = ()) -> None:
        """The holders (qualified names) that some module's ``worker_process_init`` handler
        disposes, found where they were made; and the clients the helpers it calls make anew
        (``fame_init()`` running ``store.connect()``)."""
        made = [o for q in holders if (o := self.value(q)) is not None]
        made += [o for q in calls for o in self.resets(q)]
        self._disposed = frozenset((o.path, o.line) for o in made)

    def disposed_in_workers(self) -> frozenset[tuple[str, int]]:
        return self._disposed

    def set_daemonizers(self, functions: frozenset[str]) -> None:
        """The project's functions that fork and end the parent (``koji.daemonize``)."""
        self._daemonizers = functions

    def daemonizers(self) -> frozenset[str]:
        return self._daemonizers

    def set_forking(self, params: Iterable[ForkingParameter]) -> None:
        """The project's functions that start one of their parameters in a child."""
        for param in sorted(params):
            self._forking[param[0]] = self._forking.get(param[0], ()) + (param,)

    def forking(self) -> Mapping[str, Sequence[ForkingParameter]]:
        return self._forking

    def calls_forking(self, imports: frozenset[str]) -> bool:
        """Does a module importing ``imports`` import a function that forks what it is given?"""
        return any(q in self._forking for q in imports)

    def set_documents_connected(self, made: Optional[Origin]) -> None:
        """Where some module of the project connects mongoengine's default client at import."""
        self._documents_connected = made

    def documents_connected(self) -> Optional[Origin]:
        """Where a module's import connects mongoengine's default client (the Celery worker imports it
        before forking), if one does."""
        return self._documents_connected

    def set_at_import(self, functions: frozenset[str]) -> None:
        """The functions some module's import runs (known once every module's exports are)."""
        self._at_import = functions
        self._used = None
        self._bound = self._bound_anywhere = None
        self._set_at_import = None

    def set_at_import_globals(self) -> frozenset[str]:
        """Lazily set globals (``pulp.server.db.connection._CONNECTION``) that some module's import
        sets, by calling their setter at its top level (``connection.initialize()``)."""
        if self._set_at_import is None:
            self._set_at_import = frozenset(g for q in self._at_import for g in self.setters(q))
        return self._set_at_import

    def used_at_import(self) -> frozenset[tuple[str, int]]:
        """(path, line) of the clients some module's import calls through: the parent has used them."""
        if self._used is None:
            used = set(self._run_at_import(lambda e: (e.used_at_import, e.calls_through)))
            for qual in self._at_import:  # ``models.db.connect()`` in a gunicorn master hook
                holder, _, method = qual.rpartition(".")
                origin = self.value(holder) if holder else None
                if origin is not None and knowledge.opens_by_method(method):
                    used.add((origin.path, origin.line))
            self._used = frozenset(used)
        return self._used

    def bound_at_import(self) -> frozenset[tuple[str, int]]:
        """(path, line) of the holders some module's import binds to an app: its own top level, or a
        function some import runs (``app = create_app()`` -> ``db.init_app(app)``)."""
        if self._bound is None:
            self._bound = self._run_at_import(lambda e: (e.bound_at_import, e.binds))
        return self._bound

    def _run_at_import(self, pick: Callable[[Exports], _AtImport]) -> frozenset[tuple[str, int]]:
        """What the modules' imports do to clients: each module's own top level (``pick``'s first part)
        and the functions some import runs (its second part, by function)."""
        found: set[tuple[str, int]] = set()
        for exports in self.by_module.values():
            at_import, by_function = pick(exports)
            found.update(at_import)
            found.update(x for name, done in by_function.items()
                         if f"{exports.module}.{name}" in self._at_import for x in done)
        return frozenset(found)

    def bound_somewhere(self) -> frozenset[tuple[str, int]]:
        if self._bound_anywhere is None:
            self._bound_anywhere = self.bound_at_import() | {
                b for e in self.by_module.values() for binds in e.binds.values() for b in binds}
        return self._bound_anywhere

    def binds(self, qual: str) -> list[tuple[str, int]]:
        target = self._callee(qual)
        exports = self.by_module.get(target[0]) if target is not None else None
        return exports.binds.get(target[1], []) if target is not None and exports is not None else []

    def guard_position(self, qual: str) -> Optional[int]:
        """The engine parameter's position if ``qual`` guards the engine it is given."""
        target = self._callee(qual)
        guarding = self.by_module.get(target[0]) if target is not None else None
        return guarding.guards.get(target[1]) if target is not None and guarding is not None else None

    def guarded(self) -> frozenset[tuple[str, int]]:
        """(path, line) of the clients some module hands to a function of another that guards them
        with SQLAlchemy's pid-checking listener (``add_engine_pidguard(db.engine)``), or guards where
        it makes them."""
        if self._guarded is None:
            found: set[tuple[str, int]] = set()
            for exports in self.by_module.values():
                found.update(exports.guarded_made)
                for callee, given in exports.passes.items():
                    position = self.guard_position(callee)
                    found.update((o.path, o.line) for where, o in given if where == position)
            self._guarded = frozenset(found)
        return self._guarded

    def orm_connector(self, qual: str) -> bool:
        """Does ``qual`` (another module's function) connect mongoengine's default client?"""
        found = self._callee(qual)
        return found is not None and found[1] in self.orm_connectors.get(found[0], frozenset())

    def app_config_helper(self, label: str, method: str) -> bool:
        """Does a method ``method`` of an ``AppConfig`` in the app ``label``'s ``apps`` module query
        the ORM? (``apps.get_app_config(label)`` returns that app config.)"""
        return any(helper.rsplit(".", 1)[-1] == method for module, helpers in self.orm_helpers.items()
                   if module.split(".")[-2:] == [label, "apps"] for helper in helpers)

    def orm_project(self) -> bool:
        return self.django

    def _passes(self) -> dict[tuple[str, str], list[tuple[object, Origin]]]:
        if self._passed is None:  # callee (module, function) -> what callers pass, re-exports followed
            self._passed = {}
            for exports in self.by_module.values():
                for callee, given in exports.passes.items():
                    found = self._callee(callee)
                    if found is not None:  # by the name the callee's own analysis asks with
                        found = (self._canonical.get(found[0], found[0]), found[1])
                        self._passed.setdefault(found, []).extend(given)
        return self._passed

    def app_attribute(self, attr: str) -> Optional[Origin]:
        return next((e.app_attrs[attr] for e in self.by_module.values() if attr in e.app_attrs), None)

    def passed_in(self, qual: str) -> list[tuple[object, Origin]]:
        found = split_qualname(qual, self._project)
        return self._passes().get(found, []) if found is not None else []

    def receives(self, module: str) -> bool:
        """Do other modules pass clients into this module's functions?"""
        if self._receivers is None:
            self._receivers = frozenset(callee for callee, _ in self._passes())
        return module in self._receivers

    def _callee(self, qual: str, depth: int = 0) -> Optional[tuple[str, str]]:
        """The (module, function) a qualified call lands in, through re-exports."""
        found = split_qualname(qual, self._project)
        if found is None or depth > 5:
            return None
        module, name = found
        target = self.aliases.get(module, {}).get(name.split(".")[0])
        if target is not None and target != qual and split_qualname(target, self._modules) != found:
            return self._callee(target + name[len(name.split(".")[0]):], depth + 1)
        return found

    def _settings(self, name: str) -> Optional[tuple[Exports, str]]:
        """``django.conf.settings.MONGO_DB``: the global of the project's settings module
        (``proj/settings.py``, or a module of a ``settings`` package: ``base``, ``prod``)."""
        head = name.split(".")[0]
        found = [exports for exports in self._settings_modules() if head in exports.globals]
        return (found[0], name) if found else None

    def _settings_modules(self) -> list[Exports]:
        return [e for m, e in self.by_module.items() if "settings" in m.split(".")[-2:]]

    def set_exports(self, module: str, exports: Exports) -> None:
        """A module's exports as a later round found them (what it reaches through other modules)."""
        self.by_module[module] = exports
        self._modules.setdefault(module, exports)  # a module that first exports now (a helper's helper)
        self._project.setdefault(module, exports)
        self._found.clear()
        self._passed = self._receivers = None
        self._guarded = None
        self._used = None
        self._bound = self._bound_anywhere = None

    def _find(self, qual: str, depth: int = 0) -> Optional[tuple[Exports, str]]:
        """The module exports offering ``qual`` and the name there, through re-exports (memoised
        until a module's exports change)."""
        if depth == 0:
            if qual not in self._found:
                self._found[qual] = self._find_uncached(qual, 0)
            return self._found[qual]
        return self._find_uncached(qual, depth)

    def _find_uncached(self, qual: str, depth: int) -> Optional[tuple[Exports, str]]:
        if qual.startswith(_DJANGO_SETTINGS + "."):
            return self._settings(qual[len(_DJANGO_SETTINGS) + 1:])
        found = split_qualname(qual, self._modules)
        if found is None or depth > 5:
            return None
        module, name = found
        exports = self.by_module.get(module)
        head = name.split(".")[0]
        if exports is not None and head in exports.instances and head not in exports.globals:
            # ``db_connection.start_session`` of an instance of the module's class (which is not
            # itself a client, as ``class SQLAlchemy(flask_sqlalchemy.SQLAlchemy)`` is)
            name = exports.instances[head] + name[len(head):]
            head = name.split(".")[0]
        if exports is not None and _offers(exports, name):
            return exports, name
        table = self.aliases.get(module, {})
        target = table.get(head)
        if target is not None and target != qual:
            rest = name[len(head):]
            return self._find(target + rest, depth + 1)
        for base in self.class_bases.get(module, {}).get(head, ()):  # ``TaskStatus.get_collection``:
            inherited = self._find(base + name[len(head):], depth + 1)  # a method of its base class
            if inherited is not None:
                return inherited
        # ``from .bio import *`` (in a package, or in a module that exports other names itself): the
        # name may come from there
        if exports is None or any(key.startswith("*") for key in table):
            for key, starred in table.items():
                if key.startswith("*") and starred != module and (  # a module that offers something,
                        starred in self.by_module  # or re-exports another by a star in turn
                        or any(k.startswith("*") for k in self.aliases.get(starred, {}))):
                    found_there = self._find(f"{starred}.{name}", depth + 1)
                    if found_there is not None and _offers(*found_there):
                        return found_there
        return (exports, name) if exports is not None else None

    def value(self, qual: str) -> Optional[Origin]:
        call = qual.endswith("()")
        found = self._find(qual[:-2] if call else qual)
        if found is None:
            return None
        exports, name = found
        if call:  # a factory; or a global one calls (``db.Session()`` of a module's sessionmaker)
            return exports.factories.get(name) or exports.getters.get(name) or exports.globals.get(name)
        return exports.globals.get(name)

    def inherited(self, qual: str) -> list[Origin]:
        found = self._find(qual)
        if found is None:
            return []
        exports, name = found
        out: list[Origin] = []
        getter = exports.getters.get(name)
        if getter is not None:
            short = exports.module.rsplit(".", 1)[-1]
            out.append(replace(getter, steps=getter.steps + (f"returned by {short}.{name}()",)))
        out.extend(exports.uses.get(name, []))
        return out

    def setters(self, qual: str) -> set[str]:
        """``module.global`` names a call of ``qual`` may set lazily (in the process that calls it)."""
        found = self._find(qual)
        if found is None:
            return set()
        exports, name = found
        return set(exports.setters.get(name, []))

    def lazy_uses(self, qual: str) -> list[tuple[str, Origin]]:
        """(``module.global``, origin) for the lazily set globals a call of ``qual`` reads."""
        found = self._find(qual)
        if found is None:
            return []
        exports, name = found
        return [(o.name, o) for o in exports.lazy_uses.get(name, [])]

    def singleton(self, qual: str) -> Optional[Origin]:
        found = self._find(qual)
        return found[0].singletons.get(found[1]) if found is not None else None

    def self_uses(self, qual: str) -> list[Origin]:
        found = self._find(qual)
        return found[0].self_uses.get(found[1], []) if found is not None else []

    def resets(self, qual: str) -> list[Origin]:
        found = self._find(qual)
        return found[0].resets.get(found[1], []) if found is not None else []

    def star_names(self, module: str, depth: int = 0) -> list[str]:
        names: set[str] = set()
        exports = self.by_module.get(module)
        if exports is not None:
            for table in (exports.globals, exports.factories, exports.getters, exports.uses, exports.setters,
                          exports.lazy_uses, exports.instances, exports.singletons):
                names.update(key.split(".")[0] for key in table)
        for helpers in (self.orm_helpers, self.orm_connectors):  # functions that query or connect an ORM
            names.update(h for h in helpers.get(module, ()) if "." not in h)
        for local, target in self.aliases.get(module, {}).items():
            if local.startswith("*"):
                if depth < 3:
                    names.update(self.star_names(target, depth + 1))
            elif self._find(target) is not None:
                names.add(local)
        return sorted(n for n in names if not n.startswith("_"))

    def touches(self, imports: frozenset[str]) -> bool:
        """Whether a module importing ``imports`` (qualified names, and modules imported whole) can
        reach anything exported."""
        return any(q in self.by_module or self._find(q) is not None or self.orm_helper(q)
                   or (q.endswith(".*") and bool(self.star_names(q[:-2])))  # what a star re-exports
                   or self.orm_connector(q)
                   or (q == _DJANGO_SETTINGS and any(e.globals for e in self._settings_modules()))
                   for q in imports)
