"""Framework integrations: what a framework keeps besides the driver connection.

A forksafe connection already belongs to one process. Frameworks add bookkeeping around their
connections (SQLAlchemy's pool, Django's per-thread connection handles and its psycopg pool) that
a forked child inherits as is. Each module here makes that bookkeeping start empty in a child and
makes sure connections the framework opened without forksafe are quarantined there too.
``forksafe.patch()`` switches them on automatically when the framework is imported.
"""

from __future__ import annotations

__all__ = ["CLIENTS"]

# Client integrations that zero-code mode (``forksafe.patch()``) installs, as data:
# name -> (the forksafe module that does it, the modules whose import triggers it).
# Each module has ``install()`` and ``uninstall()`` (idempotent; uninstall restores exactly what
# install replaced) and is also the explicit, one-call way in for programs that do not use
# zero-code mode (``forksafe.integrations.urllib3.install()``).
CLIENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "urllib3": ("forksafe.integrations.urllib3", ("urllib3",)),  # and requests, botocore, elasticsearch
    "httpx": ("forksafe.integrations.httpx", ("httpcore",)),  # httpx Client and AsyncClient
    "aiohttp": ("forksafe.integrations.aiohttp", ("aiohttp",)),
    "asyncpg": ("forksafe.integrations.asyncpg", ("asyncpg",)),
    "aiomysql": ("forksafe.integrations.aiomysql", ("aiomysql",)),
    "psycopg-async": ("forksafe.integrations.psycopg_async", ("psycopg",)),
    "psycopg_pool-async": ("forksafe.integrations.psycopg_pool_async", ("psycopg_pool.pool_async",)),
    "redis": ("forksafe.integrations.redis", ("redis",)),
    "grpc": ("forksafe.integrations.unsafe_grpc", ("grpc",)),
    "confluent_kafka": ("forksafe.integrations.unsafe_kafka", ("confluent_kafka",)),
}
