"""What forksafe may know about a driver, and nothing more.

The core never imports a driver. An adapter is a small record of functions, each optional:
without one the general mechanism still keeps a child away from its parent's session (the
descriptors a connection opened while it was being made are recorded and quarantined), and an
adapter only sharpens it: exact descriptors, a local transaction check that saves a pool a round
trip, a cheap liveness check, or an object of the driver's own class where the driver's C
functions refuse anything else (psycopg2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional

if TYPE_CHECKING:
    from ..recipe import Recipe


class DriverAdapter(NamedTuple):
    """Knowledge about one DB-API driver.

    ``modules``: top-level module names whose connections this adapter describes (matched against
    the connect function's and the connection class's ``__module__``).
    ``connect_functions``: dotted names of the driver's connect callables, for zero-code mode.
    ``fds(conn)``: the descriptors the connection talks to the server through.
    ``in_transaction(conn)``: whether a transaction is open, known locally (no I/O); None if unknown.
    ``is_closed(conn)``: whether the driver already knows the connection is dead (no I/O).
    ``ping(conn)``: raise if the server cannot be reached (one round trip at most).
    ``build(recipe, origin, on_fork)``: make the forksafe connection itself instead of the generic
    proxy, for drivers whose own functions accept only their own class.
    """

    name: str
    modules: tuple[str, ...]
    connect_functions: tuple[str, ...] = ()
    fds: Optional[Callable[[Any], list[int]]] = None
    in_transaction: Optional[Callable[[Any], Optional[bool]]] = None
    is_closed: Optional[Callable[[Any], bool]] = None
    ping: Optional[Callable[[Any], None]] = None
    build: Optional[Callable[[Recipe, str, Optional[str]], Any]] = None
