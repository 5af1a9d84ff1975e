"""PEP 249 across the spec, forksafe side by side with the raw driver, for every driver.

Each test runs one probe on the driver's own connection and on ``forksafe.connect``'s for the
same driver (each on a fresh table of its own) and compares the two answers: whatever the raw
driver does (raises, returns, reports), forksafe's connection and cursor must do too. Nothing is
compared to a hard-coded value, except where forksafe adds something on purpose: use after
``close()`` raises an error that is the driver's ``InterfaceError`` *and* a
``forksafe.ConnectionClosedError``.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from conf_kit import DRIVER_IDS, driver_module, make, make_raw
from harness.drivers import DRIVERS, DriverSpec, unique_table

import forksafe

PEP249_ERRORS = ("Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
                 "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError")
TYPE_OBJECTS = ("STRING", "BINARY", "NUMBER", "DATETIME", "ROWID")
CONSTRUCTORS = ("Date", "Time", "Timestamp", "DateFromTicks", "TimeFromTicks", "TimestampFromTicks", "Binary")


def _outcome(action: Callable[[], Any]) -> Any:
    """The value, or the exception's class: comparable between raw and forksafe."""
    try:
        return ("returned", action())
    except Exception as exc:
        return ("raised", type(exc))


def _side_by_side(spec: DriverSpec, server: Any, probe: Callable[[Any, str], Any]) -> tuple[Any, Any]:
    """(the probe's answer on the raw driver, on forksafe), each on a table of its own."""
    answers = []
    for side, connect in (("raw", make_raw), ("safe", make)):
        # SQLite: a file each, so a lock one side's driver keeps after close() cannot stall the other
        conn = connect(spec, f"{server}.{side}" if spec.server == "sqlite" else server)
        table = unique_table("pep")
        cur = conn.cursor()
        cur.execute(spec.create_table(table))
        conn.commit()
        cur.close()
        try:
            answers.append(probe(conn, table))
        finally:
            _outcome(conn.close)
    return answers[0], answers[1]


def _rows(conn: Any, spec: DriverSpec, table: str, n: int = 5) -> Any:
    cur = conn.cursor()
    insert = spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)")
    cur.executemany(insert, [(f"w{i}", i) for i in range(n)])
    conn.commit()
    return cur


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_error_classes_are_the_drivers_own(spec: DriverSpec, server_for: Any) -> None:
    module = driver_module(spec)

    def probe(conn: Any, table: str) -> Any:
        answer: dict[str, Any] = {name: getattr(conn, name, None) for name in PEP249_ERRORS}
        cur = _rows(conn, spec, table, 1)
        for label, sql, params in [
            ("missing table", "SELECT * FROM no_such_table_pep249", None),
            ("syntax", "SELEC 1", None),
            ("duplicate key", f"INSERT INTO {table} (id, who, n) VALUES (%s, %s, %s)", (1, "dup", 1)),
        ]:
            try:
                cur.execute(spec.sql(sql), params) if params else cur.execute(sql)
                answer[label] = None
            except Exception as exc:
                answer[label] = [type(exc), isinstance(exc, module.Error),
                                 isinstance(exc, module.DatabaseError)]
                conn.rollback()
        return answer

    raw, safe = _side_by_side(spec, server_for(spec), probe)
    assert safe == raw
    assert all(isinstance(v, list) and v[1] for k, v in raw.items() if k not in PEP249_ERRORS), raw


# -- closing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_closing_behaves_as_the_driver(spec: DriverSpec, server_for: Any) -> None:
    """``close()`` twice does what the driver does; every use after close raises an error
    ``except driver.Error`` catches, as the driver's does; forksafe's is also the driver's
    ``InterfaceError`` and a ``ConnectionClosedError``."""
    module = driver_module(spec)
    errors: dict[str, list[BaseException]] = {"raw": [], "safe": []}

    def probe(conn: Any, table: str) -> Any:
        side = "safe" if hasattr(conn, "forksafe_recipe") else "raw"
        cur = _rows(conn, spec, table, 2)
        cur.execute(f"SELECT who FROM {table}")
        cur.fetchall()
        answer: dict[str, Any] = {"closed before": _truth(conn)}
        answer["first close"] = _outcome(conn.close)
        answer["closed after"] = _truth(conn)
        answer["second close"] = _outcome(conn.close)
        for label, use in [("cursor()", lambda: conn.cursor().execute("SELECT 1")), ("commit()", conn.commit),
                           ("rollback()", conn.rollback), ("old cursor", lambda: cur.execute("SELECT 1"))]:
            try:
                use()
                answer[label] = "no error"
            except Exception as exc:
                errors[side].append(exc)
                answer[label] = isinstance(exc, module.Error)
        return answer

    raw, safe = _side_by_side(spec, server_for(spec), probe)
    assert safe == raw
    for exc in errors["safe"][:3]:  # cursor(), commit(), rollback() of the closed connection
        assert isinstance(exc, module.InterfaceError) and isinstance(exc, forksafe.ConnectionClosedError), exc
        assert "was closed with close()" in str(exc)


def _truth(conn: Any) -> Any:
    """``conn.closed`` as a truth value where the driver's class has it (sqlite3 has none).

    ``conn.__class__``: the driver's class for forksafe's proxy too (``type()`` sees the proxy)."""
    return bool(conn.closed) if hasattr(conn.__class__, "closed") else "n/a"


# -- cursor attributes ----------------------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_cursor_attributes_match_the_driver(spec: DriverSpec, server_for: Any) -> None:
    def probe(conn: Any, table: str) -> Any:
        answer: dict[str, Any] = {}
        cur = conn.cursor()
        answer["description before execute"] = cur.description
        answer["rowcount before execute"] = cur.rowcount
        answer["arraysize default"] = cur.arraysize
        cur.execute(spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)"), ("one", 1))
        answer["rowcount insert"] = cur.rowcount
        answer["lastrowid"] = getattr(cur, "lastrowid", "n/a")
        insert = spec.sql(f"INSERT INTO {table} (who, n) VALUES (%s, %s)")
        cur.executemany(insert, [("m", i) for i in range(4)])
        answer["rowcount executemany"] = cur.rowcount
        cur.execute(spec.sql(f"UPDATE {table} SET n = n + 1 WHERE who = %s"), ("m",))
        answer["rowcount update"] = cur.rowcount
        conn.commit()
        cur.execute(f"SELECT id, who, n FROM {table} ORDER BY id")
        answer["description"] = [tuple(col) for col in cur.description]
        answer["rowcount select"] = cur.rowcount
        cur.arraysize = 2
        answer["arraysize set"] = cur.arraysize
        answer["fetchone"] = tuple(cur.fetchone())
        answer["fetchmany()"] = [tuple(r) for r in cur.fetchmany()]
        answer["fetchmany(1)"] = [tuple(r) for r in cur.fetchmany(1)]
        answer["fetchall"] = [tuple(r) for r in cur.fetchall()]
        answer["fetch past the end"] = [cur.fetchone(), list(cur.fetchmany(3)), list(cur.fetchall())]
        cur.execute(f"SELECT who FROM {table} ORDER BY id")
        answer["iteration"] = [tuple(r) for r in cur]
        for name, call in [("nextset", lambda: cur.nextset()),
                           ("setinputsizes", lambda: cur.setinputsizes([10])),
                           ("setoutputsize", lambda: cur.setoutputsize(10)),
                           ("setoutputsize column", lambda: cur.setoutputsize(10, 0))]:
            method = name.split()[0]
            answer[name] = _outcome(call) if hasattr(cur, method) else "absent"
        has_connection[hasattr(conn, "forksafe_recipe")] = hasattr(cur, "connection")
        answer["close"] = _outcome(cur.close)
        answer["execute after cursor close"] = _outcome(lambda: cur.execute("SELECT 1"))
        return answer

    has_connection: dict[bool, bool] = {}
    raw, safe = _side_by_side(spec, server_for(spec), probe)
    for key in raw:
        assert safe[key] == raw[key], key
    assert has_connection[True] or not has_connection[False]  # forksafe's may add it (mysql-connector)
    if has_connection[False]:  # forksafe's cursor leads back to forksafe's connection, not the driver's
        conn = make(spec, server_for(spec))
        assert conn.cursor().connection is conn
        conn.close()


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_callproc_where_the_server_supports_it(spec: DriverSpec, server_for: Any) -> None:
    routine = unique_table("proc")
    definition = {
        "mariadb": f"CREATE PROCEDURE {routine}(IN x INT) SELECT x * 2",
        "postgresql": f"CREATE FUNCTION {routine}(x integer) RETURNS integer AS 'SELECT x * 2' LANGUAGE SQL",
        "sqlite": "",
    }[spec.server]
    if definition:
        raw = make_raw(spec, server_for(spec))
        raw.cursor().execute(definition)
        raw.commit()
        raw.close()

    def probe(conn: Any, table: str) -> Any:
        cur = conn.cursor()
        if not hasattr(cur, "callproc"):
            return "absent"
        returned = _outcome(lambda: cur.callproc(routine, (21,)))
        return [returned, _outcome(lambda: [tuple(r) for r in cur.fetchall()])]

    raw_answer, safe_answer = _side_by_side(spec, server_for(spec), probe)
    assert safe_answer == raw_answer
    if spec.name in ("MySQLdb", "pymysql", "psycopg2"):
        assert raw_answer != "absent" and raw_answer[1] == ("returned", [(42,)]), raw_answer


# -- the connection -------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_connection_attributes_match_the_driver(spec: DriverSpec, server_for: Any) -> None:
    """Every public name of the driver's connection is there, as callable or not as the driver's,
    and ``isinstance`` against the driver's class holds."""
    server = server_for(spec)
    raw = make_raw(spec, server)
    safe = make(spec, server)
    safe.cursor().close()  # opened: attribute reads now see a live connection on both
    names = [n for n in dir(raw) if not n.startswith("_")]
    assert set(names) <= set(dir(safe))
    raw_kinds = {n: _kind(raw, n) for n in names}
    safe_kinds = {n: _kind(safe, n) for n in names}
    assert safe_kinds == raw_kinds
    assert isinstance(safe, type(raw))
    for name in ("autocommit", "in_transaction", "isolation_level", "closed", "open"):
        if name in raw_kinds and raw_kinds[name] == "value":
            assert getattr(safe, name) == getattr(raw, name), name
    raw.close()
    safe.close()


def _kind(conn: Any, name: str) -> Any:
    try:
        value = getattr(conn, name)
    except Exception as exc:
        return type(exc)
    return "callable" if callable(value) else "value"


# -- type objects and constructors ----------------------------------------------------------------

@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_type_objects_and_constructors_work_through_forksafe(spec: DriverSpec, server_for: Any) -> None:
    module = driver_module(spec)
    constructors = {name: getattr(module, name) for name in CONSTRUCTORS}
    type_objects = {name: getattr(module, name) for name in TYPE_OBJECTS if hasattr(module, name)}

    def probe(conn: Any, table: str) -> Any:
        cur = conn.cursor()
        values = (constructors["Date"](2024, 2, 29), constructors["Timestamp"](2024, 2, 29, 12, 30, 5),
                  constructors["Binary"](b"bin\x00ary"), "text", 42)
        cur.execute(spec.sql("SELECT %s, %s, %s, %s, %s"), values)
        row = cur.fetchone()
        codes = [col[1] for col in cur.description]
        matches = {name: [code == obj for code in codes] for name, obj in type_objects.items()}
        return [[type(v).__name__ for v in row], [bytes(v) if isinstance(v, (bytes, bytearray, memoryview))
                                                 else v for v in row], matches]

    raw, safe = _side_by_side(spec, server_for(spec), probe)
    assert safe == raw


MODULE_NAMES = ("apilevel", "threadsafety", "paramstyle", *PEP249_ERRORS, *CONSTRUCTORS, *TYPE_OBJECTS)


@pytest.mark.parametrize("spec", DRIVERS, ids=DRIVER_IDS)
def test_module_names_are_untouched_by_zero_code_mode(spec: DriverSpec) -> None:
    """Under ``forksafe.patch()`` the driver module still offers every PEP 249 name, the same
    objects as before; only its connect function changed (the control that patching happened)."""
    import json
    import subprocess
    import sys

    from conf_kit import program_env

    code = (f"import importlib, json, forksafe\nm = importlib.import_module({spec.module!r})\n"
            f"names = [n for n in {MODULE_NAMES!r} if hasattr(m, n)]\n"
            "before = {n: id(getattr(m, n)) for n in names}\nconnect = m.connect\nforksafe.patch()\n"
            "changed = [n for n in names if id(getattr(m, n)) != before[n]]\n"
            "patched = m.connect is not connect\n"
            "print(json.dumps({'names': names, 'changed': changed, 'connect_patched': patched}))\n")
    ran = subprocess.run([sys.executable, "-c", code], env=program_env(), capture_output=True, text=True,
                         timeout=60)
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    module = driver_module(spec)
    assert found["names"] == [n for n in MODULE_NAMES if hasattr(module, n)]
    assert found["changed"] == [] and found["connect_patched"]
