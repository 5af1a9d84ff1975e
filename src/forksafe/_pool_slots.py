"""Opening and closing the pool's connections: leasing, retry with back-off, closing safely.

Kept apart from ``_pool.py`` because none of it is on the hot path: it runs once per connection
(0.6 to 11 ms of connect time, docs/evidence.md "Connect times"), so clarity beats speed here.
"""

from __future__ import annotations

import random
import time
from typing import Generic

from ._drivers import DriverAdapter
from ._fork import state
from ._log import get_logger
from ._proxy import Connection
from ._quarantine import Lease
from ._recipe import Recipe
from ._redact import redact_text
from ._tracking import open_leased
from ._types import C

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

__all__ = ["Slot", "close_slot", "open_slot"]

# Back-off between attempts to open a connection while the server refuses: starts short so a
# server restart costs little, doubles so a dead server is not hammered by every waiting thread.
FIRST_DELAY = 0.05
MAX_DELAY = 2.0
_log = get_logger("forksafe.pool")


class Slot(Generic[C]):
    """One pooled connection and what the pool knows about it.

    ``lease`` is held here, strongly: the at-fork quarantine only covers live leases, and it is
    what cuts this connection off from the server in every child, whether it was idle or lent
    out at fork time. ``expires``/``idle_since`` are 0.0 unless the pool ages connections, so the
    default pool never reads the clock.
    """

    __slots__ = ("conn", "expires", "generation", "idle_since", "lease", "out")

    def __init__(self, conn: C, lease: Lease, expires: float) -> None:
        self.conn = conn
        self.lease = lease
        self.out = False
        self.expires = expires
        self.idle_since = 0.0
        self.generation = state.generation


def _reject_forksafe_connection(raw: Any) -> None:
    if isinstance(raw, Connection) or getattr(raw, "_fs_recipe", None) is not None:
        raise TypeError(
            "the Pool factory returned a forksafe connection; give the pool the driver's own "
            "connect function instead, e.g. Pool(functools.partial(psycopg2.connect, dsn)): "
            "the pool itself keeps connections per process"
        )


def open_slot(
    recipe: Recipe,
    *,
    max_lifetime: Optional[float],
    deadline: float,
    reconnect_timeout: float,
    configure: Optional[Callable[[Any], object]],
    on_error: Callable[[BaseException], None],
    origin: str = "",
) -> tuple[Slot[Any], Optional[DriverAdapter]]:
    """Open one leased connection, retrying a failing factory with back-off.

    Retries stop at the earlier of ``deadline`` (the caller's getconn timeout) and
    ``reconnect_timeout`` after the first failure; then the driver's own last error is raised,
    so the real cause (server down, wrong password) reaches the user unwrapped.
    """
    started = time.monotonic()
    give_up = min(deadline, started + reconnect_timeout)
    delay = FIRST_DELAY
    while True:
        try:
            raw, lease, adapter = open_leased(recipe, origin, driver_object=True)
        except Exception as exc:
            on_error(exc)
            now = time.monotonic()
            if now + delay > give_up:
                raise
            _log.warning("pool: opening a %s connection failed (%s: %s); retrying in %.2f s", recipe.label,
                         type(exc).__name__, redact_text(str(exc)), delay)
            time.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, MAX_DELAY)
            continue
        try:
            _reject_forksafe_connection(raw)
            if configure is not None:
                configure(raw)
        except BaseException:
            close_slot(raw, lease)
            raise
        expires = 0.0
        if max_lifetime is not None:
            # +-5% jitter so connections opened together do not all expire together.
            expires = time.monotonic() + max_lifetime * random.uniform(0.95, 1.05)
        return Slot(raw, lease, expires), adapter


def close_slot(conn: Any, lease: Lease) -> None:
    """Close a connection of this process through its driver; never one inherited through fork.

    An inherited connection's descriptors point at /dev/null already, but closing it could still
    take a driver lock a parent thread held at fork, so such connections are left alone.
    """
    if lease.generation != state.generation:
        return
    lease.release()
    try:
        conn.close()
    except Exception:
        pass  # already broken: the server dropped it; nothing more to do
