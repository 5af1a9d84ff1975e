"""What the zero-code test programs share beyond the scenario itself."""

from __future__ import annotations

import multiprocessing
import time


def start_and_join(procs: list[multiprocessing.Process], seconds: float) -> list[int | None]:
    """Start ``procs``, wait for them all within ``seconds`` in total, kill what is left.

    Returns the pids of the children that were still running (hung) at the deadline.
    """
    for p in procs:
        p.start()
    deadline = time.monotonic() + seconds
    for p in procs:
        p.join(max(0.1, deadline - time.monotonic()))
    hung = [p.pid for p in procs if p.is_alive()]
    for p in procs:
        if p.is_alive():
            p.kill()
            p.join()
    return hung
