"""A Pool crosses spawn and forkserver as its recipe: the child builds its own, empty pool and the
parent's keeps its connections."""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
from typing import Any

import pytest

import forksafe


def _use(pool: forksafe.Pool) -> list[Any]:
    with pool.connection() as conn:
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    return [os.getpid(), backend, pool.stats()["opened"], pool.max_size, pool.name]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_pool_pickles_as_its_recipe(method: str, postgresql: Any) -> None:
    import psycopg2

    pool = forksafe.Pool(functools.partial(psycopg2.connect, postgresql.pg_dsn), max_size=3, name="shared")
    _, parent_backend, _, _, _ = _use(pool)
    copy = pickle.loads(pickle.dumps(pool))
    assert copy is not pool and copy.stats()["opened"] == 0 and copy.max_size == 3
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as workers:
        results = workers.map(_use, [pool] * 4, chunksize=1)
    for pid, backend, opened, max_size, name in results:
        assert pid != os.getpid() and backend != parent_backend
        assert opened == 1 and max_size == 3 and name == "shared"
    assert _use(pool)[1] == parent_backend
    pool.close()
