"""psycopg_pool's ``AsyncConnectionPool`` under zero-code mode (the work is in
:mod:`forksafe.integrations.psycopg_async`; this module is its own entry in ``CLIENTS`` triggered
by ``psycopg_pool.pool_async``: psycopg, which triggers the other, finishes importing in the
middle of psycopg_pool's own import, before the pool class exists)."""

from __future__ import annotations

from .psycopg_async import install_pool as install
from .psycopg_async import pool_is_installed as is_installed
from .psycopg_async import uninstall_pool as uninstall

__all__ = ["install", "is_installed", "uninstall"]
