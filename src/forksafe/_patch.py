"""Zero-code mode: make every connection the installed drivers open a forksafe connection.

``patch()`` replaces each driver's connect functions (the ``connect_functions`` of every adapter in
:func:`forksafe._drivers.all_adapters`, so the core stays driver-agnostic) with a wrapper that
returns ``forksafe.connect(original, ...)``. ``unpatch()`` puts back the very objects it replaced.

What is patched, per adapter entry such as ``"MySQLdb.connect"``:

* the named attribute;
* other names in the same driver's modules bound to the *same function* (``MySQLdb.Connection``
  is ``MySQLdb.connect``; Django's SQLite backend calls ``sqlite3.dbapi2.connect``). A class is
  only replaced under the names the adapter lists, never under its own name in its own module:
  ``pymysql.connect`` *is* the class ``pymysql.connections.Connection``, and replacing the class
  would break ``isinstance`` checks;
* when the connect function is a classmethod (``psycopg.connect`` is
  ``psycopg.Connection.connect``), the classmethod on its class too, so subclasses and callers
  that go through the class (psycopg_pool, hence Django's pool) are covered.

Drivers imported after ``patch()`` are covered by a ``sys.meta_path`` finder that runs the
patching right after a driver's top-level module (or any dotted prefix of a listed name, such as
``mysql.connector``) finishes executing. ``patch()`` imports no driver.

Recursion: the wrapper hands ``forksafe.connect`` a small callable around the *original* function,
and a thread-local flag set while that runs makes the wrapper step aside if a driver's connect
calls one of its own patched names. A wrapper called directly by forksafe's core (someone passed
a patched function to ``forksafe.connect``) also steps aside.

Frameworks: when SQLAlchemy or Django is (or later gets) imported, their integrations are
switched on too (``forksafe.integrations``): a forked child's engine pools and Django connection
handles start empty there, instead of holding the parent's connections.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from ._drivers import all_adapters
from ._log import get_logger
from ._policy import validate
from ._tracking import wants_driver_object

if TYPE_CHECKING:
    from ._policy import OnFork  # a type alias, defined for the type checker only

__all__ = ["is_patched", "patch", "patched_names", "unpatch"]

_lock = threading.RLock()
_active = False
_on_fork: Optional[OnFork] = None
_local = threading.local()
# Module names whose import completion triggers a patching pass.
_watched: frozenset[str] = frozenset()
_FRAMEWORKS = ("sqlalchemy", "django.db")


class _Patch:
    """One replaced attribute: enough to put back exactly what was there."""

    __slots__ = ("name", "original", "owner", "replacement", "target")

    def __init__(self, owner: Any, name: str, original: Any, replacement: Any, target: str) -> None:
        self.owner = owner  # a module or a class
        self.name = name
        self.original = original  # the object found in owner.__dict__ (a classmethod for classes)
        self.replacement = replacement
        self.target = target  # dotted name, for messages


_patches: list[_Patch] = []
# The sitecustomize that ``forksafe run`` and the audit report put first on PYTHONPATH, so that
# interpreters the program starts later patch themselves too.
BOOTSTRAP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap")


def with_bootstrap(pythonpath: str) -> str:
    """``pythonpath`` with the bootstrap directory first (and only once)."""
    paths = [p for p in pythonpath.split(os.pathsep) if p and p != BOOTSTRAP_DIR]
    return os.pathsep.join([BOOTSTRAP_DIR, *paths])
_log = get_logger("forksafe.patch")


def _fresh_lock_in_child() -> None:
    # A thread of the parent may have held the lock at fork time (an import running the finder).
    global _lock
    _lock = threading.RLock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)


# -- the wrapper ------------------------------------------------------------------------------

class _Original:
    """The driver's own connect callable, as forksafe's recipe holds it.

    Calling it sets a thread-local flag so a patched name reached from inside the driver's connect
    goes straight to the driver. It pickles by *name* (the patched attribute in the receiving
    process resolves to the wrapper, whose ``_forksafe_original`` is used), so a forksafe
    connection still crosses to spawn children as its recipe.
    """

    __slots__ = ("__wrapped__", "_name", "_owner")

    def __init__(self, fn: Callable[..., Any], owner: Any, name: str) -> None:
        self.__wrapped__ = fn
        self._owner = owner
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        try:
            return self.__wrapped__(*args, **kwargs)
        finally:
            _local.depth = depth

    def __reduce__(self) -> tuple[Any, ...]:
        owner = self._owner if isinstance(self._owner, type) else self._owner.__name__
        return (_resolve_original, (owner, self._name))

    def __repr__(self) -> str:
        return f"<driver connect {self.__wrapped__!r}>"


def _resolve_original(owner: Any, name: str) -> _Original:
    if isinstance(owner, str):
        owner = importlib.import_module(owner)
    fn = getattr(owner, name)
    original = getattr(getattr(fn, "__func__", fn), "_forksafe_original", None)
    if original is not None and isinstance(owner, type):
        fn = original.__get__(None, owner)  # the classmethod, bound to this class
    elif original is not None:
        fn = original
    return _Original(fn, owner, name)


def _bypass() -> bool:
    """True when the wrapper must call the driver directly (see the module docstring)."""
    if getattr(_local, "depth", 0) or wants_driver_object():
        return True
    caller = sys._getframe(2).f_globals.get("__name__", "")
    return isinstance(caller, str) and caller.startswith("forksafe.") and caller != __name__


def _function_wrapper(original: Callable[..., Any], owner: Any, name: str) -> Callable[..., Any]:
    from . import connect as fs_connect

    recipe_fn = _Original(original, owner, name)

    def connect(*args: Any, **kwargs: Any) -> Any:
        if _bypass():
            return original(*args, **kwargs)
        if _on_fork is not None and "on_fork" not in kwargs:
            kwargs["on_fork"] = _on_fork
        return fs_connect(recipe_fn, *args, **kwargs)

    _describe(connect, original, owner, name)
    return connect


def _classmethod_wrapper(original_cm: Any, owner: type, name: str) -> Any:
    from . import connect as fs_connect

    def connect(cls: type, *args: Any, **kwargs: Any) -> Any:
        bound = original_cm.__get__(None, cls)
        if _bypass():
            return bound(*args, **kwargs)
        if _on_fork is not None and "on_fork" not in kwargs:
            kwargs["on_fork"] = _on_fork
        return fs_connect(_Original(bound, cls, name), *args, **kwargs)

    _describe(connect, original_cm.__func__, owner, name)
    connect._forksafe_original = original_cm  # type: ignore[attr-defined]
    return classmethod(connect)


def _describe(wrapper: Any, original: Any, owner: Any, name: str) -> None:
    # Looks like the driver's function (help(), pickling by reference, adapter lookup through
    # __wrapped__), without copying a class's __dict__ the way functools.wraps would.
    wrapper.__wrapped__ = original
    wrapper._forksafe_original = original
    wrapper.__name__ = name
    wrapper.__qualname__ = f"{owner.__qualname__}.{name}" if isinstance(owner, type) else name
    wrapper.__module__ = owner.__module__ if isinstance(owner, type) else owner.__name__
    wrapper.__doc__ = getattr(original, "__doc__", None)


def _is_ours(value: Any) -> bool:
    func = value.__func__ if isinstance(value, classmethod) else value
    return hasattr(func, "_forksafe_original") and getattr(func, "__code__", None) is not None and (
        func.__code__.co_filename == __file__
    )


# -- finding what to patch --------------------------------------------------------------------

def _targets() -> list[tuple[str, tuple[str, ...]]]:
    """(dotted connect name, the adapter's module names) for every registered adapter."""
    return [(t, a.modules) for a in all_adapters() for t in a.connect_functions]


def _resolve(target: str) -> Optional[tuple[Any, str, Any]]:
    """(owner, attribute, raw value in owner.__dict__) if the target's modules are loaded."""
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        owner: Any = module
        for part in parts[cut:-1]:
            owner = getattr(owner, part, None)
            if owner is None:
                return None
        name = parts[-1]
        if name in vars(owner):
            return owner, name, vars(owner)[name]
        return None
    return None


def _patch_attribute(owner: Any, name: str, raw: Any, target: str) -> None:
    if _is_ours(raw) or any(p.owner is owner and p.name == name for p in _patches):
        return
    if isinstance(owner, type):
        if not isinstance(raw, classmethod):
            return
        replacement = _classmethod_wrapper(raw, owner, name)
    else:
        # Aliases of one function share one wrapper, so ``MySQLdb.Connection is MySQLdb.connect``
        # stays true while patched.
        same = [p.replacement for p in _patches if p.original is raw and not isinstance(p.owner, type)]
        replacement = same[0] if same else _function_wrapper(raw, owner, name)
    setattr(owner, name, replacement)
    _patches.append(_Patch(owner, name, raw, replacement, target))


def _family(modules: tuple[str, ...]) -> list[ModuleType]:
    tops = set(modules)
    return [m for n, m in list(sys.modules.items())
            if isinstance(m, ModuleType) and n.split(".", 1)[0] in tops]


def _apply_locked() -> None:
    targets = _targets()
    families: dict[tuple[str, ...], list[ModuleType]] = {}
    for target, modules in targets:
        found = _resolve(target)
        if found is None:
            continue
        owner, name, raw = found
        if _is_ours(raw):
            continue
        _patch_attribute(owner, name, raw, target)
        # A classmethod reached through a module attribute (psycopg.connect): patch the class too.
        cls = getattr(raw, "__self__", None)
        func = getattr(raw, "__func__", None)
        if isinstance(cls, type) and func is not None:
            cm = vars(cls).get(getattr(func, "__name__", ""))
            if isinstance(cm, classmethod) and cm.__func__ is func:
                where = f"{cls.__module__}.{cls.__qualname__}.{func.__name__}"
                _patch_attribute(cls, func.__name__, cm, where)
        # Other names for the same function in the driver's own modules.
        if modules not in families:
            families[modules] = _family(modules)
        for module in families[modules]:
            for alias, value in list(vars(module).items()):
                if value is not raw or (module is owner and alias == name):
                    continue
                if _is_definition(module, alias, raw) or isinstance(raw, type):
                    continue  # listed names only (see the module docstring)
                _patch_attribute(module, alias, raw, f"{module.__name__}.{alias}")


def _is_definition(module: ModuleType, alias: str, value: Any) -> bool:
    """The name a function or class was defined under, in its own module: the driver's internal
    callers use it too (mysql.connector's pool calls ``pooling.connect``), so it stays theirs."""
    return getattr(value, "__module__", None) == module.__name__ and getattr(value, "__name__", None) == alias


def _clients_loaded() -> None:
    """Install the client integrations (``forksafe.integrations.CLIENTS``) whose library is imported."""
    from .integrations import CLIENTS

    for module_name, triggers in CLIENTS.values():
        if module_name not in _installed and any(_imported(t) for t in triggers):
            _installed.add(module_name)
            try:
                importlib.import_module(module_name).install()
            except Exception:  # zero-code must never turn a working program into a failing one
                _installed.discard(module_name)
                _log.exception("forksafe could not make %s fork-safe; it runs as without forksafe",
                               module_name)


def _imported(name: str) -> bool:
    """The module is imported (not blocked with ``sys.modules[name] = None``, as programs do to
    keep a library out). An install that meets a module still mid-import fails, is logged, and is
    tried again at the next import that triggers a pass."""
    return sys.modules.get(name) is not None


def _clients_uninstall() -> None:
    for module_name in list(_installed):
        importlib.import_module(module_name).uninstall()
        _installed.discard(module_name)


_installed: set[str] = set()


def _frameworks_loaded() -> None:
    """Switch on the framework integrations whose framework is imported (outside our lock)."""
    if not _active:
        return
    _clients_loaded()
    if "sqlalchemy" in sys.modules and hasattr(sys.modules["sqlalchemy"], "create_engine"):
        from .integrations import sqlalchemy as sa_integration

        sa_integration._enable_auto()
    if "django.db" in sys.modules and hasattr(sys.modules["django.db"], "connections"):
        from .integrations import django as dj_integration

        dj_integration._enable_auto()


# -- drivers imported later -------------------------------------------------------------------

class _Loader:
    """Runs the real loader, then a patching pass; hands the module back its real loader."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[ModuleType]:
        create: Optional[Callable[..., Optional[ModuleType]]] = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: ModuleType) -> None:
        spec = module.__spec__
        if spec is not None:
            spec.loader = self._loader
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        if _active:
            with _lock:
                if _active:
                    _apply_locked()
            if module.__name__ in _FRAMEWORKS or module.__name__ in _client_triggers():
                _frameworks_loaded()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class _Finder:
    # Plain classes, not importlib.abc's: importing importlib.abc costs ~20 ms at every interpreter
    # start under the bootstrap, and the import system only needs the methods.

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None,
                  ) -> Optional[importlib.machinery.ModuleSpec]:
        if not _active or fullname not in _watched or getattr(_local, "finding", False):
            return None
        _local.finding = True
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
        finally:
            _local.finding = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]  # duck-typed loader
        return spec


_finder = _Finder()


def _client_triggers() -> frozenset[str]:
    from .integrations import CLIENTS

    return frozenset(t for _, triggers in CLIENTS.values() for t in triggers)


def _watch_names() -> frozenset[str]:
    names = set(_FRAMEWORKS) | _client_triggers()
    for target, modules in _targets():
        parts = target.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts)))
        names.update(modules)
    return frozenset(names)


# -- public API -------------------------------------------------------------------------------

def patch(on_fork: Optional[str] = None) -> None:
    """Make every connection the installed drivers open from now on a forksafe connection.

    Idempotent and thread-safe. ``on_fork`` sets the policy for the patched connections
    (default: the process-wide one, ``FORKSAFE_ON_FORK``). Call it before the program imports
    names such as ``from MySQLdb import connect``: a reference taken earlier keeps pointing at
    the driver's own function. ``forksafe run`` calls it before the program starts.
    """
    global _active, _on_fork, _watched
    policy = validate(on_fork) if on_fork is not None else None
    from . import connect as _  # noqa: F401  (import before the lock: the wrappers need it)

    with _lock:
        _on_fork = policy
        if _active:
            return  # already patched; the finder covers what was imported since
        _active = True
        _watched = _watch_names()
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
        _apply_locked()
    _frameworks_loaded()


def unpatch() -> None:
    """Put back exactly the objects ``patch()`` replaced, and stop patching later imports.

    Connections already made stay forksafe connections. A name someone else replaced after us
    is left alone (we only restore attributes that still hold our wrapper).
    """
    global _active, _on_fork
    with _lock:
        _active = False
        _on_fork = None
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        for p in reversed(_patches):
            if vars(p.owner).get(p.name) is p.replacement:
                setattr(p.owner, p.name, p.original)
        _patches.clear()
    _clients_uninstall()
    if "forksafe.integrations.sqlalchemy" in sys.modules:
        from .integrations import sqlalchemy as sa_integration

        sa_integration._disable_auto()
    if "forksafe.integrations.django" in sys.modules:
        from .integrations import django as dj_integration

        dj_integration._disable_auto()


def is_patched() -> bool:
    return _active


def patched_names() -> list[str]:
    """The dotted names currently replaced, for diagnostics (``forksafe run --verbose``)."""
    with _lock:
        return [p.target for p in _patches]
