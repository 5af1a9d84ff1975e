"""What a metrics observer of the pools provides (``forksafe._pool.set_observer``).

Kept out of ``_pool.py`` so the pool imports it for type checking only: with no observer the pool
pays nothing, not even an import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from ._pool import Pool


class PoolObserver(Protocol):
    def created(self, pool: Pool[Any], seconds: float) -> None:
        """A connection was opened for ``pool`` in ``seconds`` (retries included)."""

    def timed_out(self, pool: Pool[Any]) -> None:
        """A ``getconn`` on ``pool`` gave up waiting (called outside the pool's lock)."""

    def timed(self, getconn: Callable[..., Any],
              putconn: Callable[..., Any]) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """The lending methods to install while observing: timed versions, or the same ones."""
