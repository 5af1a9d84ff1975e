"""Clients that cannot be made fork-safe by forksafe: say so clearly, at the first use after a fork.

grpc and confluent-kafka keep C threads and their own event machinery (grpc's completion queues
and pollers, librdkafka's broker threads and queues) next to their sockets. A forked child gets
none of those threads: a grpc channel made by the parent fails or hangs in the child ("Stream
removed (Closed on fork)", "sendmsg: Wrong file descriptor generation", or no answer at all), and
a Kafka producer accepts ``produce()`` in the child and never delivers, not even a delivery error.
Quarantining their sockets cannot help (the machinery, not only the socket, is the parent's), and
they cannot be re-created behind the user's back (a channel's or producer's configuration is
spread over C state). So forksafe only *detects* the situation and names the line to fix:

* every object of a watched constructor records an :class:`~forksafe._ownership.Ownership`
  (origin: the user's ``file:line``);
* the first call of a method that counts as use, in a process the object was not made in, applies
  the on-fork policy: ``raise`` stops with :class:`~forksafe.ForkedConnectionError`; otherwise a
  :class:`~forksafe.ForkSafetyWarning` (once per object and process) says what to do, and the call
  proceeds as the library does it. Each decision is published as a fork event.

What is watched is data (:data:`FAMILIES`): the constructor class, the methods that count as use,
and for objects made *by* a watched object (a grpc stub's multi-callables) the attribute that
leads back to their maker. Pure-Python classes are patched in place; C types (confluent-kafka's
``Producer``, ``Consumer``) are replaced, under the module attributes users import, by a Python
subclass of the same name. ``install(name)`` / ``uninstall(name)`` restore exactly what they
replaced; the library is imported only inside ``install``.
"""

from __future__ import annotations

import importlib
import os
import threading
import weakref
from typing import Any, Callable, NamedTuple, Optional

from .._fork import state
from .._origin import capture
from .._ownership import Ownership

__all__ = ["FAMILIES", "Family", "Watched", "entry", "install", "is_installed", "uninstall"]


class Watched(NamedTuple):
    """One class of a client library, and what of it counts as use."""

    module: str  # where the class is defined, e.g. "grpc._channel"
    name: str  # its name there
    uses: tuple[str, ...]  # methods whose call counts as use
    makes: bool = False  # its __init__ makes the client the user holds (records the Ownership)
    handle: str = ""  # a maker's attribute that objects made by it keep (grpc: the C channel)
    via: str = ""  # a non-maker's attribute naming its maker's handle
    exported: tuple[str, ...] = ()  # a C type: "module.attr" names rebound to a Python subclass


class Family(NamedTuple):
    name: str  # the import name that triggers it (integrations.CLIENTS)
    label: str
    watched: tuple[Watched, ...]
    advice: str


_GRPC_CALLS = ("__call__", "with_call", "future")
FAMILIES: dict[str, Family] = {
    "grpc": Family(
        "grpc", "grpc channel",
        (
            Watched("grpc._channel", "Channel", makes=True, handle="_channel",
                    uses=("unary_unary", "unary_stream", "stream_unary", "stream_stream", "subscribe")),
            Watched("grpc._channel", "_UnaryUnaryMultiCallable", via="_channel", uses=_GRPC_CALLS),
            Watched("grpc._channel", "_UnaryStreamMultiCallable", via="_channel", uses=("__call__",)),
            Watched("grpc._channel", "_SingleThreadedUnaryStreamMultiCallable", via="_channel",
                    uses=("__call__",)),
            Watched("grpc._channel", "_StreamUnaryMultiCallable", via="_channel", uses=_GRPC_CALLS),
            Watched("grpc._channel", "_StreamStreamMultiCallable", via="_channel", uses=("__call__",)),
            Watched("grpc.aio._channel", "Channel", makes=True, handle="_channel",
                    uses=("unary_unary", "unary_stream", "stream_unary", "stream_stream")),
            *(Watched("grpc.aio._channel", name, via="_channel", uses=("__call__",))
              for name in ("UnaryUnaryMultiCallable", "UnaryStreamMultiCallable",
                           "StreamUnaryMultiCallable", "StreamStreamMultiCallable")),
        ),
        "A grpc channel's threads and pollers stay in the process that made it. Make the channel "
        "(and its stubs) in the process that uses it: after the fork, in the worker's start-up "
        "hook (Celery worker_process_init, gunicorn post_fork, a multiprocessing Pool initializer).",
    ),
    "confluent_kafka": Family(
        "confluent_kafka", "confluent_kafka client",
        (
            Watched("confluent_kafka.cimpl", "Producer", makes=True,
                    exported=("confluent_kafka.Producer",),
                    uses=("produce", "produce_batch", "poll", "flush", "purge", "list_topics",
                          "init_transactions", "begin_transaction", "commit_transaction",
                          "abort_transaction", "send_offsets_to_transaction")),
            Watched("confluent_kafka.cimpl", "Consumer", makes=True,
                    exported=("confluent_kafka.Consumer",),
                    uses=("subscribe", "assign", "poll", "consume", "commit", "committed", "position",
                          "seek", "store_offsets", "list_topics", "get_watermark_offsets")),
            Watched("confluent_kafka.serializing_producer", "SerializingProducer", makes=True,
                    uses=("produce", "poll", "flush", "purge", "list_topics")),
            Watched("confluent_kafka.deserializing_consumer", "DeserializingConsumer", makes=True,
                    uses=("subscribe", "poll", "consume", "commit")),
            Watched("confluent_kafka.admin", "AdminClient", makes=True,
                    uses=("poll", "list_topics", "create_topics", "delete_topics", "describe_configs",
                          "alter_configs", "create_partitions", "list_groups")),
        ),
        "librdkafka's broker threads stay in the process that made the client: in a forked child "
        "produce() queues messages that are never delivered and poll() sees nothing. Make the "
        "Producer or Consumer in the process that uses it: after the fork, in the worker's "
        "start-up hook (Celery worker_process_init, gunicorn post_fork, a Pool initializer).",
    ),
}


# -- detection ----------------------------------------------------------------------------------

_handles: dict[int, tuple[weakref.ref[Any], Ownership]] = {}  # id(maker's handle) -> (maker, owner)


def _owner_of(obj: Any, watched: Watched) -> Optional[Ownership]:
    if not watched.via:
        own: Optional[Ownership] = getattr(obj, "_forksafe_own", None)
        return own
    handle = getattr(obj, watched.via, None)
    entry = _handles.get(id(handle))
    if entry is None:
        return None
    maker = entry[0]()
    if maker is None or getattr(maker, "_channel", None) is not handle:
        return None  # a reused id: the maker is gone
    return entry[1]


def _used_after_fork(own: Ownership, family: Family, method: str) -> None:
    """The policy for a client that cannot follow a fork: raise, or warn once and let it proceed."""
    with own.lock():
        own.use_inherited(f"{own.describe()} was used ({method}) in forked process {os.getpid()}. "
                          f"forksafe cannot make a {family.label} safe across fork. {family.advice}")


def _checked(method: Callable[..., Any], name: str, watched: Watched, family: Family) -> Callable[..., Any]:
    def use(self: Any, *args: Any, **kwargs: Any) -> Any:
        own = _owner_of(self, watched)
        if own is not None and own.made_gen != state.generation and own.gen != state.generation:
            _used_after_fork(own, family, f"{watched.name}.{name}")
        return method(self, *args, **kwargs)

    use.__name__ = getattr(method, "__name__", name)
    use.__qualname__ = f"{watched.name}.{name}"
    use.__doc__ = getattr(method, "__doc__", None)
    use.__wrapped__ = method  # type: ignore[attr-defined]
    return use


def _recording_init(init: Callable[..., Any], watched: Watched, family: Family) -> Callable[..., Any]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        own = Ownership(family.label.split()[0] + " " + watched.name, kind="client", origin=capture())
        own.claim()
        self._forksafe_own = own
        if watched.handle:
            handle = getattr(self, watched.handle, None)
            if handle is not None:
                _handles[id(handle)] = (weakref.ref(self), own)
                weakref.finalize(self, _handles.pop, id(handle), None)  # no entry outlives its maker

    __init__.__wrapped__ = init  # type: ignore[attr-defined]
    __init__.__doc__ = getattr(init, "__doc__", None)
    return __init__


# -- install / uninstall ------------------------------------------------------------------------

_lock = threading.Lock()
# per family: (object, attribute, previous value or _ABSENT)
_undo: dict[str, list[tuple[Any, str, Any]]] = {}
_ABSENT = object()


def _set(log: list[tuple[Any, str, Any]], owner: Any, name: str, value: Any) -> None:
    log.append((owner, name, vars(owner).get(name, _ABSENT)))
    setattr(owner, name, value)


def _init_of(cls: type) -> Callable[..., Any]:
    init: Callable[..., Any] = vars(cls).get("__init__") or next(
        vars(k)["__init__"] for k in cls.__mro__ if "__init__" in vars(k))
    return init


def _subclass(base: type, watched: Watched, family: Family) -> type:
    namespace: dict[str, Any] = {"__module__": base.__module__, "__qualname__": base.__qualname__,
                                 "__doc__": base.__doc__,
                                 "__init__": _recording_init(_init_of(base), watched, family)}
    for name in watched.uses:
        if hasattr(base, name):
            namespace[name] = _checked(getattr(base, name), name, watched, family)
    return type(base.__name__, (base,), namespace)


def _install_family(family: Family) -> list[tuple[Any, str, Any]]:
    log: list[tuple[Any, str, Any]] = []
    try:
        for watched in family.watched:
            try:
                module = importlib.import_module(watched.module)
            except ImportError:
                continue  # an older or newer release without this module
            cls = getattr(module, watched.name, None)
            if not isinstance(cls, type):
                continue
            if watched.exported:  # a C type: a Python subclass under the names users import
                replacement = _subclass(cls, watched, family)
                for dotted in watched.exported:
                    owner_name, attr = dotted.rsplit(".", 1)
                    owner = importlib.import_module(owner_name)
                    if getattr(owner, attr, None) is cls:
                        _set(log, owner, attr, replacement)
                continue
            if watched.makes:
                _set(log, cls, "__init__", _recording_init(_init_of(cls), watched, family))
            for name in watched.uses:
                method = getattr(cls, name, None)
                if method is not None:
                    _set(log, cls, name, _checked(method, name, watched, family))
    except BaseException:
        _restore(log)
        raise
    return log


def _restore(log: list[tuple[Any, str, Any]]) -> None:
    while log:
        owner, name, previous = log.pop()
        if previous is _ABSENT:
            if name in vars(owner):
                delattr(owner, name)
        else:
            setattr(owner, name, previous)


def install(name: Optional[str] = None) -> None:
    """Watch one family (``"grpc"``, ``"confluent_kafka"``) or, without a name, every installed one."""
    names = [name] if name is not None else [n for n in FAMILIES if _importable(n)]
    with _lock:
        for family_name in names:
            if family_name not in _undo:
                _undo[family_name] = _install_family(FAMILIES[family_name])


def uninstall(name: Optional[str] = None) -> None:
    with _lock:
        for family_name in [name] if name is not None else list(_undo):
            _restore(_undo.pop(family_name, []))


def is_installed(name: Optional[str] = None) -> bool:
    return name in _undo if name is not None else bool(_undo)


def entry(name: str) -> tuple[Callable[[], None], Callable[[], None], Callable[[], bool]]:
    """``install``, ``uninstall``, ``is_installed`` for one family (its ``integrations.CLIENTS`` entry)."""
    if name not in FAMILIES:
        raise ValueError(f"no unsafe-client family {name!r}; known: {', '.join(FAMILIES)}")
    return (lambda: install(name)), (lambda: uninstall(name)), (lambda: is_installed(name))


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _fresh_lock_in_child() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)
