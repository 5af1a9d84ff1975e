"""One line per headline figure, for ``run_all.py`` to collect into its closing summary.

Each benchmark prints its own tables; for each figure the issue sets a target on, it also prints
one ``@figure`` line (JSON), which ``run_all.py`` gathers and prints again, all together, at the end.
"""

from __future__ import annotations

import json

PREFIX = "@figure "


def figure(name: str, value: float, spread: str, target: str, unit: str = "x") -> None:
    """``name``: what was measured; ``value``: the median; ``spread``: e.g. "1.01-1.06 (quartiles)";
    ``target``: e.g. "<= 1.30x"; ``unit``: "x" for a ratio, "ms" for a duration."""
    print(PREFIX + json.dumps({"name": name, "value": value, "spread": spread, "target": target,
                               "unit": unit}), flush=True)
