"""The finding codes: a small fixed table, so users can suppress and grep them by number.

Each code names one way a connection reaches another process; the fix is part of the table so every
message carries it and docs/lint.md can be checked against this single source.
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    code: str
    title: str
    fix: str


PARSE_ERROR = Code("FS001", "file could not be parsed", "fix the syntax error; the file was not checked")
MODULE_CONN_IN_CHILD = Code(
    "FS101",
    "connection made in the parent is used in a forked child",
    "connect inside the worker or in a Pool initializer, or use forksafe.connect",
)
CONN_PASSED_TO_CHILD = Code(
    "FS102",
    "connection passed to a child process or job",
    "pass the DSN/parameters and connect in the child",
)
INIT_CONN_IN_RUN = Code(
    "FS103",
    "connection made in Process.__init__ (parent) is used in run() (child)",
    "connect in run(), not __init__",
)
CONN_IN_TASK = Code(
    "FS104",
    "connection made at import time is used in a Celery task or RQ job (run in forked workers)",
    "connect in the task or in worker_process_init, or use forksafe.connect",
)
CONN_AFTER_FORK = Code(
    "FS105",
    "connection made before os.fork() is used in the child",
    "connect in the child after fork, or use forksafe.connect",
)
THREAD_CONN_AT_FORK = Code(
    "FS106",
    "a thread holds a connection while the process forks (the child's collector closes it)",
    "join the thread (or close its connection) before forking, or start the children with spawn/forkserver",
)
GRPC_ACTIVE_AT_FORK = Code(
    "FS107",
    "gRPC is active in the parent when it forks: the child's gRPC calls hang",
    "make gRPC clients only after the fork, or close the parent's channels first and set "
    "GRPC_ENABLE_FORK_SUPPORT=1",
)

ALL: tuple[Code, ...] = (
    PARSE_ERROR,
    MODULE_CONN_IN_CHILD,
    CONN_PASSED_TO_CHILD,
    INIT_CONN_IN_RUN,
    CONN_IN_TASK,
    CONN_AFTER_FORK,
    THREAD_CONN_AT_FORK,
    GRPC_ACTIVE_AT_FORK,
)
BY_CODE: dict[str, Code] = {c.code: c for c in ALL}
