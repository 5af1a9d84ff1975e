"""psycopg_pool's ``AsyncConnectionPool`` under zero-code mode (the work is in
:mod:`forksafe.integrations.psycopg_async`; this module is its own entry in ``CLIENTS`` because
psycopg_pool finishes importing after psycopg, which triggers the other)."""

from __future__ import annotations

from .psycopg_async import install_pool as install
from .psycopg_async import pool_is_installed as is_installed
from .psycopg_async import uninstall_pool as uninstall

__all__ = ["install", "is_installed", "uninstall"]
