"""The same situation gets the same behaviour and the same message on every driver path.

psycopg2 goes through the driver's own class (``_native``), the other five through the proxy, and
the reference (``conf_kit.unknown_driver_connect``) through the adapter-less generic path. Each
test is one scenario over every driver: the policies (``reconnect``/``warn``/``raise``) whether or
not the parent ever used the connection (the diagnosis of issue 13: "made in another process"),
the ``warn`` warning attributed to the user's own line, warn-once per connection and process, the
no-op ``commit``/``rollback`` before use, the forked-cursor error, and pickling as a recipe.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import warnings
from typing import Any

import pytest
from conf_kit import (
    DRIVER_IDS,
    in_children,
    line_here,
    make_raw,
    normalised,
    open_descriptors,
    scalar,
    unknown_driver_connect,
)
from harness.drivers import DRIVERS, DriverSpec, unique_table
from harness.forking import fork_children

import forksafe

pytestmark = pytest.mark.fork

POLICIES = ["reconnect", "warn", "raise"]


def _first_use_in_child(conn: Any, backend_sql: str) -> dict[str, Any]:
    """Use an inherited connection twice; report what happened, in a driver-neutral form."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = []
        lines = []
        for _ in range(2):
            try:
                lines.append(line_here() + 1)
                cur = conn.cursor()
                cur.execute("SELECT 'child'")
                results.append(["ok", cur.fetchone()[0]])
            except Exception as exc:
                results.append([type(exc).__name__, str(exc)])
    return {
        "results": results,
        "lines": lines,
        "warnings": [[w.category.__name__, w.filename, w.lineno, str(w.message)] for w in caught],
        "backend": scalar(conn, backend_sql) if results[0][0] == "ok" else None,
        "pid": os.getpid(),
        "parent": os.getppid(),
    }


def _normalise_report(report: dict[str, Any], label: str, origin: str) -> list[str]:
    """Every message of a child's report with the driver, pids and origin replaced by names."""
    pids = {report["parent"]: "<parent>", report["pid"]: "<child>"}
    texts = [r[1] for r in report["results"] if r[0] != "ok"] + [w[3] for w in report["warnings"]]
    return [normalised(t, label=label, pids=pids, where={origin: "<origin>"}) for t in texts]


@pytest.mark.parametrize("used_in_parent", [True, False], ids=["used-in-parent", "never-used-in-parent"])
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_policy_is_the_same_on_every_driver_path(spec: DriverSpec, policy: str, used_in_parent: bool,
                                                 server_for: Any, tmp_path: Any) -> None:
    """A connection made in the parent and first used in two children: ``reconnect`` opens each
    child's own session silently, ``warn`` does too with one warning per child at the child's
    line, ``raise`` refuses every use; whether or not the parent ever used it. The messages are
    the generic path's, word for word."""
    args, kwargs = spec.connect_args(server_for(spec))
    conn = forksafe.connect(spec.connect_fn, *args, on_fork=policy, **kwargs)
    origin = f"{__file__}:{line_here() - 1}"
    reference = forksafe.connect(unknown_driver_connect, str(tmp_path / "ref.db"), on_fork=policy)
    reference_origin = f"{__file__}:{line_here() - 1}"
    parent_backend = scalar(conn, spec.backend_id_sql()) if used_in_parent else None
    if used_in_parent:
        scalar(reference, "SELECT 1")

    reports = in_children(lambda i: [_first_use_in_child(conn, spec.backend_id_sql()),
                                         _first_use_in_child(reference, "SELECT 0")], n=2)

    for report, ref in reports:
        kinds = [r[0] for r in report["results"]]
        assert kinds == [r[0] for r in ref["results"]], (report, ref)
        assert _normalise_report(report, spec.name, origin) == \
            _normalise_report(ref, "conf_kit.unknown_driver_connect", reference_origin)
        if policy == "raise":
            assert kinds == ["ForkedConnectionError"] * 2, report
            message = report["results"][0][1]
            assert f"made in process {os.getpid()} at {origin}" in message, message
            assert f"forked process {report['pid']}" in message, message
            assert report["warnings"] == []
        else:
            assert report["results"] == [["ok", "child"]] * 2, report
            if spec.server != "sqlite":
                assert report["backend"] != parent_backend
            if policy == "warn":
                ((category, filename, lineno, text),) = report["warnings"]  # once, not per use
                assert (category, filename, lineno) == ("ForkSafetyWarning", __file__, report["lines"][0])
                assert f"made in process {os.getpid()} at {origin}" in text, text
            else:
                assert report["warnings"] == []
    assert reports[0][0]["pid"] != reports[1][0]["pid"]
    if used_in_parent:
        assert scalar(conn, spec.backend_id_sql()) == parent_backend  # the parent's session lives on
    conn.close()


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_warn_once_per_connection_and_process(spec: DriverSpec, server_for: Any) -> None:
    """Two connections, each used three times in a child: two warnings, each at the line that
    first used it and naming the line that made it; a grandchild warns afresh."""
    args, kwargs = spec.connect_args(server_for(spec))
    first = forksafe.connect(spec.connect_fn, *args, on_fork="warn", **kwargs)
    first_origin = f"{__file__}:{line_here() - 1}"
    second = forksafe.connect(spec.connect_fn, *args, on_fork="warn", **kwargs)
    second_origin = f"{__file__}:{line_here() - 1}"

    def use_both() -> list[Any]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            used_at = []
            for _ in range(3):
                for conn in (first, second):
                    used_at.append(line_here() + 1)
                    cur = conn.cursor()
                    cur.execute("SELECT 1")
                    cur.fetchall()
        return [[w.filename, w.lineno, str(w.message)] for w in caught], used_at

    def child(_: int) -> Any:
        mine = use_both()
        grandchildren = in_children(lambda j: use_both(), n=1)
        return [mine, grandchildren[0]]

    for generation in in_children(child, n=2):
        for caught, used_at in generation:
            assert [(f, n) for f, n, _ in caught] == [(__file__, used_at[0]), (__file__, used_at[1])], caught
            assert first_origin in caught[0][2] and second_origin in caught[1][2], caught
    first.close()
    second.close()


@pytest.mark.parametrize("which", ["forksafe", "raw"])
@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_commit_and_rollback_before_use_in_child(spec: DriverSpec, which: str, server_for: Any) -> None:
    """The parent has an open transaction at fork; a child commits and rolls back before using the
    connection. With forksafe both are no-ops that open nothing (``warn``: no warning; ``raise``:
    the first use is reported, whatever it is) and the parent's rows stay uncommitted. Control:
    the raw driver's child commits the parent's transaction (SQLite: fails on a lock it thinks it
    holds, POSIX locks being per process; a short busy timeout makes that quick)."""
    server = server_for(spec)
    table = unique_table()
    args, kwargs = spec.connect_args(server)
    if which == "raw":
        conn = spec.connect_fn(*args, **dict(kwargs, timeout=1) if spec.server == "sqlite" else kwargs)
    else:
        conn = forksafe.connect(spec.connect_fn, *args, **kwargs)
    cur = conn.cursor()
    cur.execute(spec.create_table(table))
    conn.commit()
    cur.execute(spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)"), ("parent", 1))

    def child(_: int) -> Any:
        outcomes = {}
        for policy in POLICIES:
            if which == "forksafe":
                forksafe.set_on_fork(policy)
            before = open_descriptors()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ends = []
                for end in (conn.commit, conn.rollback):
                    try:
                        ends.append(["ok", end()])
                    except Exception as exc:
                        ends.append([type(exc).__name__, ""])
            outcomes[policy] = [ends, len(caught), open_descriptors() == before]
            if which == "raw":
                break
        return outcomes

    outcome = fork_children(child, 1, timeout=30 if which == "forksafe" else 8)
    if which == "raw" and outcome.hung:
        return  # sqlite3: the child blocks on a lock it thinks it holds (POSIX locks are per process)
    assert outcome.ok, outcome.summary()
    outcomes = outcome.children[0].report
    outsider = make_raw(spec, server)
    committed = scalar(outsider, f"SELECT COUNT(*) FROM {table}")
    outsider.close()
    if which == "raw":
        child_commit = outcomes["reconnect"][0][0][0]
        assert committed == 1 or child_commit != "ok", "control: the raw child's commit was a harmless no-op"
        return
    assert committed == 0, "a child's commit() committed the parent's transaction"
    assert outcomes["reconnect"] == [[["ok", None], ["ok", None]], 0, True]
    assert outcomes["warn"] == [[["ok", None], ["ok", None]], 0, True]
    assert outcomes["raise"] == [[["ForkedConnectionError", ""], ["ForkedConnectionError", ""]], 0, True]
    conn.rollback()  # the parent still owns its transaction
    assert scalar(conn, f"SELECT COUNT(*) FROM {table}") == 0
    conn.close()


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_forked_cursor_error_is_the_same_everywhere(spec: DriverSpec, server_for: Any, tmp_path: Any) -> None:
    conn = forksafe.connect(spec.connect_fn, *spec.connect_args(server_for(spec))[0],
                            **spec.connect_args(server_for(spec))[1])
    reference = forksafe.connect(unknown_driver_connect, str(tmp_path / "ref.db"))
    cur = conn.cursor()
    cur_at = f"{__file__}:{line_here() - 1}"
    ref_cur = reference.cursor()
    ref_at = f"{__file__}:{line_here() - 1}"
    for c in (cur, ref_cur):
        c.execute("SELECT 'parent'")
        c.fetchone()

    def child(_: int) -> list[Any]:
        found = []
        generic = "conf_kit.unknown_driver_connect"
        for c, label, where in ((cur, spec.name, cur_at), (ref_cur, generic, ref_at)):
            out = []
            for use in (lambda c=c: c.execute("SELECT 'child'"), c.fetchone, c.fetchall, lambda c=c: list(c)):
                try:
                    use()
                    out.append(["ok", ""])
                except Exception as exc:
                    pids = {os.getppid(): "<parent>", os.getpid(): "<child>"}
                    out.append([type(exc).__name__, normalised(str(exc), label=label, pids=pids,
                                                               where={where: "<origin>"})])
            c.close()  # a no-op in the child: must not raise
            found.append(out)
        return found

    ((mine, ref),) = in_children(child)
    assert mine == ref
    assert {kind for kind, _ in mine} == {"ForkedConnectionError"}
    assert "cursor made in process <parent> at <origin> was used in forked process <child>" in mine[0][1]
    cur.execute(spec.sql("SELECT %s"), ("parent again",))  # the parent's cursor still works
    assert cur.fetchone()[0] == "parent again"
    conn.close()


def _use_unpickled(conn: Any, sql: str) -> list[Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        backend = scalar(conn, sql)
    return [os.getpid(), backend, type(conn).__name__, len(caught)]


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_pickles_as_a_recipe_into_a_spawn_child(spec: DriverSpec, server_for: Any) -> None:
    """A spawn child unpickles its own connection: same class, its own session, and the policy
    (``raise`` here) does not fire, since the connection was made in the child. The pickle holds
    no socket: pickling opens nothing and the parent's session is untouched."""
    args, kwargs = spec.connect_args(server_for(spec))
    conn = forksafe.connect(spec.connect_fn, *args, on_fork="raise", **kwargs)
    parent_backend = scalar(conn, spec.backend_id_sql())
    before = open_descriptors()
    data = pickle.dumps(conn)
    assert open_descriptors() == before  # pickling opens nothing
    clone = pickle.loads(data)
    assert type(clone) is type(conn) and clone is not conn
    if spec.server != "sqlite":
        assert scalar(clone, spec.backend_id_sql()) != parent_backend  # a connection of its own
    clone.close()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pid, backend, cls, warned = pool.apply(_use_unpickled, (conn, spec.backend_id_sql()))
    assert pid != os.getpid() and cls == type(conn).__name__ and warned == 0
    if spec.server != "sqlite":
        assert backend != parent_backend
    assert scalar(conn, spec.backend_id_sql()) == parent_backend
    # ...and the policy travelled with the recipe: in a forked child the clone refuses.
    clone = pickle.loads(pickle.dumps(conn))
    scalar(clone, "SELECT 1")
    (kind,) = in_children(lambda i: type(_raises(lambda: clone.cursor())).__name__)
    assert kind == "ForkedConnectionError"
    conn.close()


def _raises(action: Any) -> BaseException | None:
    try:
        action()
    except Exception as exc:
        return exc
    return None
