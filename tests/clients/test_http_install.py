"""install() / uninstall(): idempotent, and uninstall puts back exactly what install replaced."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

TARGETS = {
    "forksafe.integrations.urllib3": [
        "urllib3.connection.HTTPConnection", "urllib3.connectionpool.HTTPConnectionPool",
        "urllib3.connectionpool.HTTPSConnectionPool", "urllib3.poolmanager.PoolManager",
    ],
    "forksafe.integrations.httpx": [
        "httpcore.ConnectionPool", "httpcore.AsyncConnectionPool",
        "httpcore._backends.sync.SyncBackend", "httpcore._backends.sync.SyncStream",
        "httpcore._backends.anyio.AnyIOBackend", "httpcore._backends.anyio.AnyIOStream",
    ],
    "forksafe.integrations.aiohttp": [
        "aiohttp.ClientSession", "aiohttp.connector.BaseConnector", "aiohttp.connector.TCPConnector",
        "aiohttp.client_proto.ResponseHandler",
    ],
}


def _resolve(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("integration", sorted(TARGETS))
def test_uninstall_restores_exactly(integration: str) -> None:
    mod = importlib.import_module(integration)
    classes = [_resolve(t) for t in TARGETS[integration]]
    before = [dict(vars(cls)) for cls in classes]
    assert not mod.is_installed()
    mod.install()
    mod.install()  # idempotent
    try:
        assert mod.is_installed()
        changed = [cls.__name__ for cls, old in zip(classes, before) if dict(vars(cls)) != old]
        assert len(changed) == len(classes), f"install() left some classes as they were: {changed}"
    finally:
        mod.uninstall()
        mod.uninstall()
    assert not mod.is_installed()
    after = [dict(vars(cls)) for cls in classes]
    for cls, old, new in zip(classes, before, after):
        assert new.keys() == old.keys(), f"{cls.__name__}: {set(new) ^ set(old)}"
        assert all(new[k] is old[k] for k in old), f"{cls.__name__}: an attribute was not put back"


def test_patch_installs_every_http_integration_and_unpatch_removes_them() -> None:
    """Zero-code mode: ``forksafe.patch()`` switches on the integration of each HTTP client
    already imported (and of those imported later); ``unpatch()`` switches them off."""
    import aiohttp  # noqa: F401
    import httpx  # noqa: F401
    import requests  # noqa: F401

    import forksafe

    mods = [importlib.import_module(m) for m in TARGETS]
    assert not any(m.is_installed() for m in mods)
    forksafe.patch()
    try:
        assert all(m.is_installed() for m in mods), [m.__name__ for m in mods if not m.is_installed()]
    finally:
        forksafe.unpatch()
    assert not any(m.is_installed() for m in mods)
