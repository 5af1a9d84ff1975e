"""OpenTelemetry metrics for forksafe: every ``Pool``'s figures, and what forksafe did at forks.

``forksafe.integrations.otel.instrument()`` (``pip install 'forksafe[otel]'``) reports, through
the OpenTelemetry meter provider you give it (default: the global one):

Pools, under OpenTelemetry's database-client metric names, each with the attribute
``db.client.connection.pool.name`` (``Pool(name=...)``, default ``pool-N``):

* ``db.client.connection.count`` (``{connection}``, with ``db.client.connection.state`` =
  ``idle`` | ``used``): connections open in this process, read from the pool at collection.
* ``db.client.connection.max``, ``db.client.connection.idle.max`` (both ``max_size``),
  ``db.client.connection.idle.min`` (``min_size``).
* ``db.client.connection.pending_requests`` (``{request}``): callers waiting for a connection.
* ``db.client.connection.timeouts`` (``{timeout}``): ``getconn`` calls that gave up.
* ``db.client.connection.create_time``, ``.wait_time``, ``.use_time`` (histograms, seconds):
  opening a connection (retries included), getting one from ``getconn``, holding it until
  ``putconn``.

Forks (forksafe's own names):

* ``forksafe.fork.events`` (``{event}``): one per object that crossed a fork and was acted on,
  with ``forksafe.action`` (``reconnected``, ``warned``, ``raised``, ``kept``, ``reset``),
  ``forksafe.kind`` (``connection``, ``pool``, ``client``) and ``forksafe.label`` (the driver).
* ``forksafe.fork.quarantined`` (``{connection}``): connections this process inherited at its
  last fork, each cut off from the server there (used or not), when the core can tell.

Cost: nothing until ``instrument()``; the gauges are read only when the SDK collects. Enabled,
``getconn``/``putconn`` pay two clock reads and two histogram records, most of it the SDK's own
``record`` (figures in docs/production.md); ``instrument(durations=False)`` keeps them free.

Forks: a forked child inherits the instruments with the process, but the SDK's exporter and its
accumulated points are the parent's. Set up the child's own meter provider where the engine
starts a worker (Celery ``worker_process_init``, gunicorn ``post_fork``) and call
``instrument(meter_provider=...)`` again there: from then on the child's figures are its own,
and its pools count only its own connections.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterable, Optional

from .._extras import require

require("forksafe.integrations.otel", "otel", "opentelemetry")

from opentelemetry import metrics  # noqa: E402
from opentelemetry.metrics import CallbackOptions, Observation  # noqa: E402

from .. import _events  # noqa: E402
from .. import _pool as pool  # noqa: E402

__all__ = ["instrument", "is_instrumented", "uninstrument"]

POOL_NAME = "db.client.connection.pool.name"
STATE = "db.client.connection.state"
# OpenTelemetry's advice for the database-client duration histograms, in seconds.
DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0]

_lock = threading.Lock()
_active: Optional[_Instruments] = None


def _pools(instruments: _Instruments) -> list[pool.Pool[Any]]:
    """The open pools of this process, for the active instruments only: a provider that was
    replaced (the parent's copy, in a child that called instrument() again) reports nothing."""
    if instruments is not _active:
        return []
    return [p for p in list(pool._pools) if not p.closed]


class _Instruments:
    """The instruments on one meter, and the observer the pools call."""

    def __init__(self, meter: metrics.Meter, durations: bool) -> None:
        self.durations = durations
        def histogram(name: str, description: str) -> Any:
            try:
                return meter.create_histogram(name, unit="s", description=description,
                                              explicit_bucket_boundaries_advisory=DURATION_BUCKETS)
            except TypeError:  # an API older than 1.23 takes no advice
                return meter.create_histogram(name, unit="s", description=description)

        self.create_time = histogram("db.client.connection.create_time",
                                     "Time it took to create a new connection")
        self.wait_time = histogram("db.client.connection.wait_time",
                                   "Time it took to obtain an open connection from the pool")
        self.use_time = histogram("db.client.connection.use_time",
                                  "Time between borrowing a connection and returning it to the pool")
        self.timeouts = meter.create_counter(
            "db.client.connection.timeouts", unit="{timeout}",
            description="Connection attempts that timed out waiting for the pool")
        self.fork_events = meter.create_counter(
            "forksafe.fork.events", unit="{event}",
            description="Objects that crossed a fork and that forksafe acted on, by action")
        meter.create_observable_up_down_counter(
            "db.client.connection.count", callbacks=[self._count], unit="{connection}",
            description="Connections open in this process, by state")
        meter.create_observable_up_down_counter(
            "db.client.connection.max", callbacks=[self._setting("max_size")], unit="{connection}",
            description="Maximum number of open connections allowed")
        meter.create_observable_up_down_counter(
            "db.client.connection.idle.max", callbacks=[self._setting("max_size")], unit="{connection}",
            description="Maximum number of idle open connections allowed")
        meter.create_observable_up_down_counter(
            "db.client.connection.idle.min", callbacks=[self._setting("min_size")], unit="{connection}",
            description="Minimum number of idle open connections kept")
        meter.create_observable_up_down_counter(
            "db.client.connection.pending_requests", callbacks=[self._pending], unit="{request}",
            description="Pending requests for an open connection")
        meter.create_observable_up_down_counter(
            "forksafe.fork.quarantined", callbacks=[self._quarantined], unit="{connection}",
            description="Connections inherited at this process's last fork, cut off from the server")
        self._lent: dict[int, float] = {}  # id(conn) -> when it was lent
        self._attributes: dict[str, dict[str, str]] = {}  # pool name -> its attributes, made once

    def attributes(self, name: str) -> dict[str, str]:
        found = self._attributes.get(name)
        if found is None:
            found = self._attributes[name] = {POOL_NAME: name}
        return found

    # -- gauges, read at collection ------------------------------------------------------------
    def _count(self, options: CallbackOptions) -> Iterable[Observation]:
        for p in _pools(self):
            s = p.stats()
            yield Observation(s["idle"], {POOL_NAME: p.name, STATE: "idle"})
            yield Observation(s["in_use"], {POOL_NAME: p.name, STATE: "used"})

    def _setting(self, attribute: str) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def observe(options: CallbackOptions) -> Iterable[Observation]:
            return [Observation(getattr(p, attribute), {POOL_NAME: p.name}) for p in _pools(self)]

        return observe

    def _pending(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(p.stats()["waiting"], {POOL_NAME: p.name}) for p in _pools(self)]

    def _quarantined(self, options: CallbackOptions) -> Iterable[Observation]:
        from .._audit.record import inherited

        if self is not _active:
            return []
        counts: dict[tuple[str, str], int] = {}
        for label, kind, _origin, _made in inherited():
            counts[(kind, label)] = counts.get((kind, label), 0) + 1
        return [Observation(n, {"forksafe.kind": kind, "forksafe.label": label})
                for (kind, label), n in counts.items()]

    # -- the pool observer (forksafe._pool.set_observer) ----------------------------------------
    def created(self, p: pool.Pool[Any], seconds: float) -> None:
        self.create_time.record(seconds, self.attributes(p.name))

    def timed_out(self, p: pool.Pool[Any]) -> None:
        self.timeouts.add(1, self.attributes(p.name))

    def timed(self, getconn: Callable[..., Any],
              putconn: Callable[..., Any]) -> tuple[Callable[..., Any], Callable[..., Any]]:
        if not self.durations:
            return getconn, putconn  # no wait/use times: the plain methods, no cost at all
        lent = self._lent
        wait_time, use_time = self.wait_time, self.use_time
        attributes = self.attributes
        clock = time.perf_counter

        def timed_getconn(p: pool.Pool[Any], timeout: Optional[float] = None) -> Any:
            asked = clock()
            conn = getconn(p, timeout)
            got = clock()
            lent[id(conn)] = got
            wait_time.record(got - asked, attributes(p.name))
            return conn

        def timed_putconn(p: pool.Pool[Any], conn: Any, _commit: Optional[bool] = None) -> None:
            since = lent.pop(id(conn), None)
            try:
                putconn(p, conn, _commit)
            finally:
                if since is not None:
                    use_time.record(clock() - since, attributes(p.name))

        timed_getconn.__doc__, timed_putconn.__doc__ = getconn.__doc__, putconn.__doc__
        return timed_getconn, timed_putconn

    # -- fork events ----------------------------------------------------------------------------
    def on_event(self, event: _events.ForkEvent) -> None:
        self.fork_events.add(1, {"forksafe.action": event.action, "forksafe.kind": event.kind,
                                 "forksafe.label": event.label})


_unsubscribe: Optional[Callable[[], None]] = None


def instrument(meter_provider: Optional[metrics.MeterProvider] = None, *, durations: bool = True) -> None:
    """Report pool and fork metrics through ``meter_provider`` (default: the global provider).

    ``durations=False`` leaves out ``wait_time`` and ``use_time``, the only figures measured on
    the hot path: ``getconn``/``putconn`` then stay the plain methods, at no cost.
    Calling it again (in a forked child, with the child's own provider) moves every figure to
    the new provider; the previous instruments stop being fed.
    """
    global _active, _unsubscribe
    from .. import __version__

    provider = meter_provider if meter_provider is not None else metrics.get_meter_provider()
    meter = provider.get_meter("forksafe", __version__)
    with _lock:
        uninstrument_locked()
        _active = _Instruments(meter, durations)
        pool.set_observer(_active)
        _unsubscribe = _events.subscribe(_active.on_event)


def uninstrument() -> None:
    """Stop reporting: the pools go back to their plain, untimed methods."""
    with _lock:
        uninstrument_locked()


def uninstrument_locked() -> None:
    global _active, _unsubscribe
    if _unsubscribe is not None:
        _unsubscribe()
        _unsubscribe = None
    if _active is not None:
        pool.set_observer(None)
        _active = None


def is_instrumented() -> bool:
    return _active is not None
