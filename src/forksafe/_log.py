"""forksafe's loggers (``forksafe`` and its children), made once someone can be listening.

``import logging`` costs more than the rest of ``import forksafe`` together (it loads ``re``,
``traceback``, ``string``...; docs/benchmarks.md, "import forksafe"), and every process a forking
server or ``forksafe run`` starts would pay it. A record reaches a handler only if the
application configured logging, which it cannot do without importing ``logging``; until then
forksafe's records would end in the ``NullHandler`` a library puts on its logger. So each logger
here is a stand-in: while ``logging`` is not loaded a record is dropped (what the NullHandler
would have done), and from the first record after it is loaded, the real
``logging.getLogger(name)`` takes over, with the usual levels, handlers and propagation.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is for the type checker only: it costs ~8 ms to import
if TYPE_CHECKING:
    import logging

__all__ = ["DEBUG", "Logger", "get_logger"]

DEBUG = 10  # logging.DEBUG


class Logger:
    """``logging.getLogger(name)`` on first use once ``logging`` is loaded; nothing before."""

    __slots__ = ("_name", "_real")

    def __init__(self, name: str) -> None:
        self._name = name
        self._real: logging.Logger | None = None

    def _logger(self) -> logging.Logger | None:
        real = self._real
        if real is None:
            logging = sys.modules.get("logging")
            if logging is None:
                return None
            top = logging.getLogger("forksafe")
            if not any(isinstance(h, logging.NullHandler) for h in top.handlers):
                # A library logs, the application decides where: no "last resort" to stderr.
                top.addHandler(logging.NullHandler())
            real = self._real = logging.getLogger(self._name)
        return real

    def isEnabledFor(self, level: int) -> bool:
        real = self._logger()
        return real is not None and real.isEnabledFor(level)

    def debug(self, msg: str, *args: object) -> None:
        real = self._logger()
        if real is not None:
            real.debug(msg, *args, stacklevel=2)

    def info(self, msg: str, *args: object) -> None:
        real = self._logger()
        if real is not None:
            real.info(msg, *args, stacklevel=2)

    def warning(self, msg: str, *args: object) -> None:
        real = self._logger()
        if real is not None:
            real.warning(msg, *args, stacklevel=2)

    def error(self, msg: str, *args: object) -> None:
        real = self._logger()
        if real is not None:
            real.error(msg, *args, stacklevel=2)

    def exception(self, msg: str, *args: object) -> None:
        """At ERROR with the exception being handled, as ``logging.Logger.exception``."""
        real = self._logger()
        if real is not None:
            real.exception(msg, *args, stacklevel=2)


def get_logger(name: str) -> Logger:
    """The logger ``name`` (``forksafe.fork``, ``forksafe.pool``...): use it like logging's."""
    return Logger(name)
