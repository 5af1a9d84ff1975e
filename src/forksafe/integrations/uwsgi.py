"""uWSGI: tell forksafe about the workers uWSGI forks, which Python itself is not told about.

uWSGI forks its workers in C. Unless it runs with ``py-call-osafterfork``, it does not call
``PyOS_AfterFork_Child``, so no ``os.register_at_fork`` hook runs in a worker: forksafe's
generation is not bumped and the inherited connection is not quarantined, and every worker goes on
using the master's session (measured: the same cross-talk as with the raw driver). The generic
connection's sampled pid check would notice eventually; psycopg2's connection, which must stay the
driver's own class, would not.

Two fixes, either is enough:

* the uWSGI option ``py-call-osafterfork = true`` (no code; it also lets every other library's
  at-fork handling run, so prefer it when you own the uWSGI config);
* ``forksafe.integrations.uwsgi.install()`` in the app module, which registers a uWSGI post-fork
  hook that runs forksafe's child bookkeeping (:func:`forksafe.check_pid`).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from .._fork import check_pid

__all__ = ["install"]


def _hook() -> None:
    check_pid()


def install() -> bool:
    """Run forksafe's after-fork handling in every uWSGI worker. Safe to call more than once.

    Returns False (and does nothing) when not running under uWSGI, so the same app module also
    runs under gunicorn or a development server. Uses ``uwsgidecorators``' post-fork chain when
    that module is importable (ours goes first, so later hooks can use the database); otherwise
    sets ``uwsgi.post_fork_hook``, calling any hook that was there before.
    """
    try:
        import uwsgi
    except ImportError:
        return False
    try:
        import uwsgidecorators
    except ImportError:
        uwsgidecorators = None
    if uwsgidecorators is not None:
        chain: list[Callable[[], Any]] = uwsgidecorators.postfork_chain
        if _hook not in chain:
            chain.insert(0, _hook)
        return True
    previous: Optional[Callable[[], Any]] = getattr(uwsgi, "post_fork_hook", None)
    if previous is None or getattr(previous, "_forksafe", False):
        uwsgi.post_fork_hook = _hook
        return True

    def chained() -> None:
        _hook()
        previous()

    chained._forksafe = True  # type: ignore[attr-defined]
    uwsgi.post_fork_hook = chained
    return True
