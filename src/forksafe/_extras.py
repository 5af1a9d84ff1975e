"""Optional dependencies: say which extra to install instead of a bare ModuleNotFoundError.

forksafe's core needs nothing; the demo, the rich summary and the OpenTelemetry integration need
packages that come with an extra (``pip install 'forksafe[demo]'``). This module only looks
(``find_spec`` imports nothing), so checking costs no start-up time.
"""

from __future__ import annotations

import importlib.util

from .errors import MissingExtra

__all__ = ["MissingExtra", "message", "missing", "require"]


def missing(*modules: str) -> list[str]:
    """The top-level modules among ``modules`` that cannot be imported here."""
    absent = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            absent.append(name)
    return absent


def message(what: str, extra: str, absent: list[str]) -> str:
    """``forksafe demo needs rich, which comes with the demo extra: pip install 'forksafe[demo]'``."""
    names = ", ".join(absent)
    verb = "comes" if len(absent) == 1 else "come"
    return f"{what} needs {names}, which {verb} with the {extra} extra: pip install 'forksafe[{extra}]'"


def require(what: str, extra: str, *modules: str) -> None:
    absent = missing(*modules)
    if absent:
        raise MissingExtra(message(what, extra, absent), name=absent[0])
