"""What the linter knows about libraries, by fully qualified name.

Kept apart from the analysis so that adding a driver or a process API is a one-line change here and
needs no understanding of the data flow. Names are the ones a program reaches after its imports are
resolved (``import psycopg2 as pg; pg.connect`` is ``psycopg2.connect``).
"""

from __future__ import annotations

# Calls that open a database connection (or an engine/client/pool that holds connections) in the
# process that runs them. A forked child that touches the object shares the parent's socket.
CONNECT_CALLS: frozenset[str] = frozenset(
    {
        # MySQLdb (mysqlclient)
        "MySQLdb.connect",
        "MySQLdb.Connect",
        "MySQLdb.Connection",
        "MySQLdb.connections.Connection",
        "_mysql.connect",
        # PyMySQL
        "pymysql.connect",
        "pymysql.Connect",
        "pymysql.Connection",
        "pymysql.connections.Connection",
        # mysql-connector
        "mysql.connector.connect",
        "mysql.connector.Connect",
        "mysql.connector.MySQLConnection",
        "mysql.connector.CMySQLConnection",
        "mysql.connector.connection.MySQLConnection",
        "mysql.connector.pooling.MySQLConnectionPool",
        # psycopg2
        "psycopg2.connect",
        "psycopg2.pool.SimpleConnectionPool",
        "psycopg2.pool.ThreadedConnectionPool",
        # psycopg 3
        "psycopg.connect",
        "psycopg.Connection.connect",
        "psycopg.connection.Connection.connect",
        "psycopg_pool.ConnectionPool",
        # sqlite3
        "sqlite3.connect",
        "sqlite3.dbapi2.connect",
        # SQLAlchemy
        "sqlalchemy.create_engine",
        "sqlalchemy.engine.create_engine",
        # pymongo
        "pymongo.MongoClient",
        "pymongo.mongo_client.MongoClient",
    }
)

# Fork-aware already: never reported. Listed so the rule is explicit and documented, not accidental.
SAFE_CALLS: frozenset[str] = frozenset(
    {
        "forksafe.connect",
        "forksafe.Pool",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.client.Redis",
        "redis.Redis.from_url",
    }
)

# Calls that wrap an already-tracked connection object and share its sockets.
WRAPPING_CALLS: frozenset[str] = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.Session",
    }
)

# Methods on a connection-like object whose result shares the same socket.
DERIVED_METHODS: frozenset[str] = frozenset(
    {"cursor", "connect", "begin", "raw_connection", "get_database", "get_collection",
     "get_default_database", "getconn", "connection"}
)

# Constructors of a process made by fork (unless a spawn/forkserver context is used).
PROCESS_CLASSES: frozenset[str] = frozenset(
    {"multiprocessing.Process", "multiprocessing.process.BaseProcess", "multiprocessing.context.Process",
     "billiard.Process"}
)
POOL_CLASSES: frozenset[str] = frozenset(
    {"multiprocessing.Pool", "multiprocessing.pool.Pool", "billiard.Pool"}
)
EXECUTOR_CLASSES: frozenset[str] = frozenset(
    {"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"}
)
GET_CONTEXT: frozenset[str] = frozenset({"multiprocessing.get_context"})
SET_START_METHOD: frozenset[str] = frozenset({"multiprocessing.set_start_method"})
FORK_CALLS: frozenset[str] = frozenset({"os.fork", "os.forkpty"})
REGISTER_AT_FORK: frozenset[str] = frozenset({"os.register_at_fork"})
PARTIAL: frozenset[str] = frozenset({"functools.partial"})

# Methods of a pool / executor whose first argument runs in a child, and where the child's
# arguments are. Value: "apply" (args, kwds tuples), "map" (iterables), "submit" (*args).
POOL_METHODS: dict[str, str] = {
    "apply": "apply",
    "apply_async": "apply",
    "map": "map",
    "map_async": "map",
    "imap": "map",
    "imap_unordered": "map",
    "starmap": "map",
    "starmap_async": "map",
}
EXECUTOR_METHODS: dict[str, str] = {"submit": "submit", "map": "map"}

# Celery: decorators that make a task; signal whose handlers run in each pool child.
CELERY_TASK_DECORATORS: frozenset[str] = frozenset({"task", "shared_task", "periodic_task"})
CELERY_CHILD_SIGNALS: frozenset[str] = frozenset({"worker_process_init"})
CELERY_CALL_METHODS: frozenset[str] = frozenset({"delay", "apply_async", "s", "si", "signature"})

# RQ: ``queue.enqueue(f, *args)`` and friends; value is the index of the function argument.
RQ_ENQUEUE: dict[str, int] = {"enqueue": 0, "enqueue_call": 0, "enqueue_at": 1, "enqueue_in": 1}
RQ_JOB_DECORATORS: frozenset[str] = frozenset({"rq.decorators.job", "rq.job"})

START_METHODS: frozenset[str] = frozenset({"fork", "spawn", "forkserver"})
# Start methods that do not fork: the child re-imports the module and inherits no socket. (forkserver
# is not one: the server imports the main module once and forks every child from itself.)
NON_FORK_METHODS: frozenset[str] = frozenset({"spawn"})

# Modules whose names must appear in a file for it to make a connection we know. The analysis is per
# module and resolves connect calls through imports, so a file naming none of these can have no finding.
CONNECT_MODULES: frozenset[str] = frozenset(name.split(".")[0] for name in CONNECT_CALLS)
# ... and a file must name at least one way of starting another process. Each entry point above is
# recognised through one of these words appearing in the file (an import, a decorator or a method).
CHILD_WORDS: tuple[str, ...] = (
    "multiprocessing", "billiard", "ProcessPoolExecutor", "fork", "task", "enqueue", r"\brq\b",
    "worker_process_init",
)
