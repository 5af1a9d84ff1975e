"""``forksafe.integrations.otel`` against the real OpenTelemetry SDK and its in-memory reader: the
pool figures under the database-client metric names, the fork events, and a forked child whose
own meter provider starts from nothing and sees only the child's connections."""

from __future__ import annotations

import functools
from typing import Any, Iterator

import pytest
from harness.drivers import BY_NAME, DriverSpec
from harness.forking import fork_children
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

import forksafe
from forksafe import _pool as pool_module
from forksafe.integrations import otel

DRIVERS = [BY_NAME[n] for n in ("psycopg2", "pymysql")]
POOL = "db.client.connection.pool.name"


def _factory(spec: DriverSpec, server: Any) -> Any:
    args, kwargs = spec.connect_args(server)
    return functools.partial(spec.connect_fn, *args, **kwargs)


def _points(reader: InMemoryMetricReader) -> dict[str, list[Any]]:
    """metric name -> its data points, from one collection."""
    data = reader.get_metrics_data()
    found: dict[str, list[Any]] = {}
    for rm in data.resource_metrics if data else []:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                found.setdefault(m.name, []).extend(m.data.data_points)
    return found


def _value(points: dict[str, list[Any]], name: str, **attrs: str) -> Any:
    """The one point of ``name`` whose attributes include ``attrs`` (``pool``, ``state``, or
    ``forksafe_action``-style names): its value, or its histogram's count."""
    short = {"pool": POOL, "state": "db.client.connection.state"}
    want = {short.get(k, k.replace("_", ".")): v for k, v in attrs.items()}
    match = [p for p in points.get(name, []) if all(p.attributes.get(k) == v for k, v in want.items())]
    assert len(match) == 1, (name, attrs, points.get(name))
    p = match[0]
    return p.count if hasattr(p, "bucket_counts") else p.value


def _meter() -> tuple[MeterProvider, InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    return MeterProvider(metric_readers=[reader]), reader


@pytest.fixture
def instrumented() -> Iterator[InMemoryMetricReader]:
    provider, reader = _meter()
    otel.instrument(provider)
    yield reader
    otel.uninstrument()
    provider.shutdown()


@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_pool_figures_under_the_database_client_names(spec: DriverSpec, server_for: Any,
                                                      instrumented: InMemoryMetricReader) -> None:
    p = forksafe.Pool(_factory(spec, server_for(spec)), min_size=1, max_size=3, name="orders")
    a, b = p.getconn(), p.getconn()
    p.putconn(b)
    with p.connection():
        pass  # b again: a wait, a use, no new connection
    c = p.getconn()
    d = p.getconn()
    with pytest.raises(forksafe.PoolTimeout):
        p.getconn(timeout=0.05)
    got = _points(instrumented)
    assert _value(got, "db.client.connection.count", pool="orders",
                  state="used") == 3
    assert _value(got, "db.client.connection.count", pool="orders",
                  state="idle") == 0
    assert _value(got, "db.client.connection.max", pool="orders") == 3
    assert _value(got, "db.client.connection.idle.max", pool="orders") == 3
    assert _value(got, "db.client.connection.idle.min", pool="orders") == 1
    assert _value(got, "db.client.connection.pending_requests", pool="orders") == 0
    assert _value(got, "db.client.connection.timeouts", pool="orders") == 1
    assert _value(got, "db.client.connection.create_time", pool="orders") == 3
    assert _value(got, "db.client.connection.wait_time", pool="orders") == 5
    assert _value(got, "db.client.connection.use_time", pool="orders") == 2
    create = next(pt for pt in got["db.client.connection.create_time"] if pt.attributes[POOL] == "orders")
    assert create.sum > 0 and create.explicit_bounds[0] == 0.001  # seconds, the advised buckets
    for conn in (a, c, d):
        p.putconn(conn)
    assert _value(_points(instrumented), "db.client.connection.count", pool="orders",
                  state="idle") == 3
    p.close()


def test_uninstrumented_pools_run_their_plain_methods(instrumented: InMemoryMetricReader) -> None:
    """Off costs nothing: getconn/putconn are the very functions the class defines."""
    assert forksafe.Pool.getconn is not pool_module._plain_methods[0]
    otel.uninstrument()
    assert (forksafe.Pool.getconn, forksafe.Pool.putconn) == pool_module._plain_methods
    assert pool_module._observer is None and not otel.is_instrumented()


def test_forked_child_meter_starts_fresh(mariadb: Any, instrumented: InMemoryMetricReader) -> None:
    spec = BY_NAME["pymysql"]
    p = forksafe.Pool(_factory(spec, mariadb), max_size=4, name="jobs")
    held = [p.getconn(), p.getconn()]
    for conn in held:
        p.putconn(conn)
    args, kwargs = spec.connect_args(mariadb)
    shared = forksafe.connect(spec.connect_fn, *args, **kwargs)
    shared.cursor().execute("SELECT 1")

    def child(index: int) -> dict[str, Any]:
        inherited = _points(instrumented)  # the parent's provider, inherited: gauges are the child's
        provider, reader = _meter()
        otel.instrument(provider)
        with p.connection() as conn:
            conn.cursor().execute("SELECT 1")
        shared.cursor().execute("SELECT 1")
        got = _points(reader)
        return {
            "inherited_idle": _value(inherited, "db.client.connection.count", pool="jobs",
                                     state="idle"),
            "created": _value(got, "db.client.connection.create_time", pool="jobs"),
            "idle": _value(got, "db.client.connection.count", pool="jobs",
                           state="idle"),
            "reconnected": _value(got, "forksafe.fork.events", forksafe_action="reconnected",
                                  forksafe_label="pymysql"),
            "quarantined": sorted((p.attributes["forksafe.label"], p.value)
                                  for p in got.get("forksafe.fork.quarantined", [])),
        }

    outcome = fork_children(child, 2, timeout=60)
    assert outcome.ok, outcome.summary()
    for c in outcome.children:
        # The parent had 2 connections; the child sees its own single one, and one reconnect.
        assert (c.report["inherited_idle"], c.report["created"], c.report["idle"]) == (0, 1, 1), c.report
        assert c.report["reconnected"] == 1, c.report
        # Inherited at fork and cut off there: the pool's two and the shared connection.
        assert c.report["quarantined"] == [["pymysql", 3]], c.report  # (JSON from the child)
    parent = _points(instrumented)
    assert _value(parent, "db.client.connection.create_time", pool="jobs") == 2
    assert _value(parent, "db.client.connection.count", pool="jobs",
                  state="idle") == 2
    assert "forksafe.fork.events" not in parent  # the children's events stayed theirs
    p.close()
    shared.close()
