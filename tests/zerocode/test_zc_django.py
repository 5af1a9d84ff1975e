"""Django's ORM across fork: a minimal project (settings, one app, ``migrate`` against the real
server), the parent queries, forked children create and query model rows.

Configurations: PostgreSQL through psycopg2, psycopg 3, psycopg 3 with Django's pool
(``OPTIONS: {"pool": True}``, Django 5.1+), and MariaDB through MySQLdb. Forms: under
``forksafe run`` (patch), with the one settings line (``ForkSafeConfig`` in INSTALLED_APPS) under
plain python, and the control: the same program under plain python without it.
"""

from __future__ import annotations

import json
import os

import django
import pytest
import zc_helpers as zc
from harness.drivers import unique_table
from harness.servers import DATABASE, PASSWORD, USER

PROGRAM = os.path.join(zc.PROGRAMS, "django_fork.py")
CONFIGS = {
    "psycopg2": ("postgresql", "psycopg2", {}),
    "psycopg": ("postgresql", "psycopg", {}),
    "psycopg-pool": ("postgresql", "psycopg", {"pool": True}),
    "MySQLdb": ("mariadb", "MySQLdb", {}),
}


def test_django_has_the_pool() -> None:
    assert django.VERSION >= (5, 1), "Django's psycopg pool needs Django 5.1+"


def _env(request: pytest.FixtureRequest, config: str, deadline: str, **extra: str) -> dict[str, str]:
    kind, driver, options = CONFIGS[config]
    server = request.getfixturevalue(kind)
    engine = "django.db.backends.postgresql" if kind == "postgresql" else "django.db.backends.mysql"
    db = {"ENGINE": engine, "NAME": DATABASE, "USER": USER, "PASSWORD": PASSWORD, "HOST": "127.0.0.1",
          "PORT": str(server.port), "OPTIONS": options}
    return zc.clean_env(FS_DJANGO_DB=json.dumps(db), FS_DJANGO_DRIVER=driver,
                        FS_DJANGO_TABLE=unique_table("dj"), FS_DEADLINE=deadline, **extra)


def _assert_fork_safe(ran: zc.Ran, config: str) -> None:
    assert ran.returncode == 0, ran.explain()
    s = ran.summary
    assert s["pooled"] == (config == "psycopg-pool"), s
    assert s["exitcodes"] == [0] * 8 and not s["hung"], ran.explain()
    assert s["parent_ok"] and s["same_session"] and s["rows"] == s["expected"], ran.explain()


@pytest.mark.parametrize("config", list(CONFIGS))
def test_django_under_forksafe_run(request: pytest.FixtureRequest, config: str) -> None:
    ran = zc.forksafe_run([PROGRAM], _env(request, config, "90"))
    _assert_fork_safe(ran, config)
    assert ran.summary["connection_type"].startswith("forksafe."), ran.summary


@pytest.mark.parametrize("config", list(CONFIGS))
def test_django_with_one_settings_line(request: pytest.FixtureRequest, config: str) -> None:
    ran = zc.plain_python([PROGRAM], _env(request, config, "90", FS_DJANGO_INSTALL="1"))
    _assert_fork_safe(ran, config)
    assert not ran.summary["connection_type"].startswith("forksafe."), ran.summary  # not patched


@pytest.mark.parametrize("config", list(CONFIGS))
def test_control_django_breaks_across_fork(request: pytest.FixtureRequest, config: str) -> None:
    ran = zc.plain_python([PROGRAM], _env(request, config, "6"))
    s = ran.summary
    assert ran.returncode == 1, ran.explain()
    assert (any(c != 0 for c in s["exitcodes"]) or s["hung"] or not s["parent_ok"]
            or s["rows"] != s["expected"]), ran.explain()
