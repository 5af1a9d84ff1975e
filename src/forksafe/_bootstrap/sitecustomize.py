"""Start-up hook for interpreters launched by ``forksafe run`` (put first on ``PYTHONPATH``).

Python imports the first ``sitecustomize`` on ``sys.path`` at start-up. This one calls
``forksafe.patch()`` when ``FORKSAFE_PATCH=1`` (the policy comes from ``FORKSAFE_ON_FORK``), then
loads the ``sitecustomize`` that would have run without us (a distribution's or a virtualenv's),
so we add to the start-up rather than replace it. An interpreter that cannot import forksafe (a
different Python on the same ``PYTHONPATH``) starts normally, unpatched.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _chain() -> None:
    """Run the next ``sitecustomize`` on sys.path, under the name ``sitecustomize``."""
    others = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


def _patch() -> None:
    if os.environ.get("FORKSAFE_PATCH", "") not in ("1", "true", "yes"):
        return
    try:
        from forksafe import patch
    except ImportError:
        return  # forksafe is not installed for this interpreter
    patch()


def _record() -> None:
    """Record fork crossings for the run's audit report (forksafe run --report, report_forks())."""
    if not os.environ.get("FORKSAFE_REPORT"):
        return
    try:
        from forksafe._audit.record import start_from_environment
    except ImportError:
        return
    start_from_environment()


# Our directory is only a carrier: take it off sys.path so it shadows nothing else.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
_patch()
_record()
_chain()
