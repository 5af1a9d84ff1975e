"""SQLite: the quarantine takes exactly the connection's own files, and nothing that merely shares
their name's prefix.

The parent has a forksafe SQLite connection open (in WAL mode, or in rollback-journal mode with a
write transaction open, so ``-wal``/``-shm`` or ``-journal`` are open at the fork) and, beside the
database, files of its own whose names start with the database's: ``app.db.log``,
``data.sqlite.bak``, ``data.sqlite-export.csv``, even ``app.db-journal.old``. A forked child
writes to every one of those through the descriptors it inherited, and all of it lands. The
control, in the same child: the descriptors on the database and its journal/WAL files point at
``/dev/null`` (quarantined), so nothing the child does can corrupt the parent's database.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from conf_kit import in_children

import forksafe

NEIGHBOUR_SUFFIXES = (".log", ".bak", "-export.csv", "-journal.old", "-wal.bak", "x")


def _descriptors_on(paths: set[str]) -> dict[int, str]:
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target in paths:
            found[int(name)] = target
    return found


@pytest.mark.fork
@pytest.mark.parametrize("journal", ["wal", "delete"])
@pytest.mark.parametrize("name", ["app.db", "data.sqlite"])
def test_child_writes_to_files_sharing_the_prefix_land(name: str, journal: str, tmp_path: Any) -> None:
    import sqlite3

    db = os.path.realpath(str(tmp_path / name))
    conn = forksafe.connect(sqlite3.connect, db)
    cur = conn.cursor()
    cur.execute(f"PRAGMA journal_mode={journal}")
    cur.execute("CREATE TABLE t (who TEXT)")
    conn.commit()
    cur.execute("INSERT INTO t VALUES ('parent, uncommitted')")  # opens -journal (delete) / writes -wal
    own = {db + suffix for suffix in ("", "-journal", "-wal", "-shm")}
    own_fds = _descriptors_on(own)
    expected = {"delete": {db, db + "-journal"}, "wal": {db, db + "-wal", db + "-shm"}}[journal]
    assert set(own_fds.values()) == expected, own_fds  # the scenario has what it claims at the fork

    neighbours = {db + suffix: open(db + suffix, "a", buffering=1) for suffix in NEIGHBOUR_SUFFIXES}
    for f in neighbours.values():
        f.write("parent\n")

    def child(_: int) -> dict[str, Any]:
        for f in neighbours.values():
            f.write(f"child {os.getpid()}\n")
            f.flush()
        return {
            "own": {path: os.readlink(f"/proc/self/fd/{fd}") for fd, path in own_fds.items()},
            "neighbours": {p: os.readlink(f"/proc/self/fd/{f.fileno()}") for p, f in neighbours.items()},
            "pid": os.getpid(),
        }

    reports = in_children(child, n=2)
    for f in neighbours.values():
        f.close()
    for report in reports:
        assert report["own"] == dict.fromkeys(own_fds.values(), os.devnull), report  # control: quarantined
        assert report["neighbours"] == {path: path for path in neighbours}, report
    for path in neighbours:
        with open(path) as f:
            lines = f.read().splitlines()
        children = sorted(f"child {r['pid']}" for r in reports)
        assert lines[0] == "parent" and sorted(lines[1:]) == children, path
    conn.commit()  # the parent's connection and its transaction are intact
    assert conn.cursor().execute("SELECT who FROM t").fetchall() == [("parent, uncommitted",)]
    conn.close()
