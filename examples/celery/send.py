"""Send N tasks to the worker started from tasks.py and wait for them (at most 120 s)."""

from __future__ import annotations

import sys

from tasks import record

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    results = [record.delay(f"event {i}") for i in range(n)]
    pids = {r.get(timeout=120) for r in results}
    print(f"{n} tasks done by {len(pids)} pool processes: {sorted(pids)}")
