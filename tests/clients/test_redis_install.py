"""install() / uninstall() of the redis integration: idempotent, and exactly what was there comes back."""

from __future__ import annotations

from typing import Any

import redis.asyncio.connection as aconn
import redis.connection as sconn

from forksafe.integrations import CLIENTS
from forksafe.integrations import redis as forksafe_redis

CLASSES = [sconn.AbstractConnection, sconn.ConnectionPool, sconn.BlockingConnectionPool,
           aconn.AbstractConnection, aconn.ConnectionPool, aconn.BlockingConnectionPool,
           sconn.Connection, sconn.SSLConnection, sconn.UnixDomainSocketConnection,
           aconn.Connection, aconn.UnixDomainSocketConnection]


def _attributes() -> list[dict[str, Any]]:
    return [dict(vars(cls)) for cls in CLASSES]


def test_install_twice_uninstall_restores_every_attribute() -> None:
    before = _attributes()
    forksafe_redis.install()
    forksafe_redis.install()
    try:
        assert forksafe_redis.is_installed()
        assert sconn.ConnectionPool.__dict__["get_connection"] is not before[1]["get_connection"]
        assert aconn.ConnectionPool.__dict__["get_connection"] is not before[4]["get_connection"]
    finally:
        forksafe_redis.uninstall()
        forksafe_redis.uninstall()
    assert not forksafe_redis.is_installed()
    after = _attributes()
    for cls, old, new in zip(CLASSES, before, after):
        assert old.keys() == new.keys(), f"{cls.__qualname__}: {set(old) ^ set(new)}"
        changed = [name for name in old if old[name] is not new[name]]
        assert not changed, f"{cls.__qualname__} not restored: {changed}"


def test_zero_code_registry_names_the_module() -> None:
    module, triggers = CLIENTS["redis"]
    assert module == "forksafe.integrations.redis" and triggers == ("redis",)


def test_patch_installs_and_unpatch_restores() -> None:
    import forksafe

    original = sconn.ConnectionPool.__dict__["get_connection"]
    forksafe.patch()
    try:
        assert forksafe_redis.is_installed()
    finally:
        forksafe.unpatch()
    assert not forksafe_redis.is_installed()
    assert sconn.ConnectionPool.__dict__["get_connection"] is original
