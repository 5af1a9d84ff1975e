"""The session recipe: what the user did to a connection that every new session must repeat.

A forked child's first use opens a new server session, and a new session starts from the
server's defaults. Whatever the user set on the parent's connection must be set again, or the
child silently behaves differently: ``conn.autocommit(True)`` in MySQLdb is a method, and a child
relying on it would lose every write (docs/evidence.md, "Settings the child must repeat").

Three kinds of steps, replayed in the order they were last made:

* attribute writes (``conn.autocommit = True``, ``conn.isolation_level = ...``);
* calls of the adapter's ``session_methods`` (``autocommit(True)``, ``select_db("x")``,
  ``set_autocommit(True)``), the latest call per method;
* calls of its ``registration_methods`` (sqlite3's ``create_function("f", ...)``), the latest
  call per method and first argument.

A step is recorded only after the driver accepted it. State the driver keeps in the Python
object rather than the session (registered adapters) is copied by the adapter's
``snapshot``/``restore``, not recorded here.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

__all__ = ["Session"]

_ATTRIBUTE = "attribute"
_CALL = "call"


class Session:
    __slots__ = ("steps",)

    def __init__(self) -> None:
        # key -> (kind, name, args, kwargs); a re-made step moves to the end.
        self.steps: dict[Hashable, tuple[str, str, tuple[Any, ...], dict[str, Any]]] = {}

    def __bool__(self) -> bool:
        return bool(self.steps)

    def _put(self, key: Hashable, step: tuple[str, str, tuple[Any, ...], dict[str, Any]]) -> None:
        self.steps.pop(key, None)
        self.steps[key] = step

    def attribute(self, name: str, value: Any) -> None:
        self._put((_ATTRIBUTE, name), (_ATTRIBUTE, name, (value,), {}))

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], *, keyed: bool) -> None:
        key: Hashable = (_CALL, name, _hashable(args[0]) if keyed and args else None)
        self._put(key, (_CALL, name, args, kwargs))

    def replay(self, raw: Any) -> None:
        """Repeat every step on a new driver connection (raises what the driver raises)."""
        for kind, name, args, kwargs in list(self.steps.values()):
            if kind == _ATTRIBUTE:
                setattr(raw, name, args[0])
            else:
                getattr(raw, name)(*args, **kwargs)

    def recording(self, method: Callable[..., Any], name: str, *, keyed: bool) -> Callable[..., Any]:
        """``method`` that records its call once the driver accepted it."""

        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            self.call(name, args, kwargs, keyed=keyed)
            return result

        call.__name__ = name
        call.__doc__ = getattr(method, "__doc__", None)
        return call


def _hashable(value: Any) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value  # type: ignore[no-any-return]
