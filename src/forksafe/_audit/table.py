"""The fork audit's short summary: one line per crossing, rich on a terminal, plain otherwise.

    forksafe: 1 connection crossed a fork (11 processes; report: forks.json)
      app.py:12 (<module>) MySQLdb, made by 4242, used in 10 children: reconnected
"""

from __future__ import annotations

import os
from typing import IO, Any, Optional

from .report import QUARANTINED

_PLURALS = {"process": "processes", "child": "children"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {_PLURALS.get(word, word + 's')}"


def headline(report: dict[str, Any]) -> str:
    crossings = report.get("crossings", [])
    processes = len(report.get("processes", []))
    if not crossings:
        return f"forksafe: nothing crossed a fork ({_plural(processes, 'process')})"
    kinds: dict[str, int] = {}
    for c in crossings:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    what = " and ".join(_plural(n, kind) for kind, n in kinds.items())
    return f"forksafe: {what} crossed a fork ({_plural(processes, 'process')})"


def _where(c: dict[str, Any]) -> str:
    path = c.get("file", "")
    short = os.path.relpath(path) if path.startswith(os.sep) else path
    if short.startswith(".."):  # outside the current directory: the full path says more
        short = path
    where = f"{short}:{c['line']}" if c.get("line") else c["origin"]
    return f"{where} ({c['function']})" if c.get("function") else where


def outcome(c: dict[str, Any]) -> str:
    """'used in 10 children: reconnected', 'inherited by 4 children: quarantined', or a mix."""
    used = [ch for ch in c["children"] if any(a != QUARANTINED for a in ch["actions"])]
    actions = c.get("actions", {})
    described = ", ".join(a if len(actions) == 1 else f"{a} {n}" for a, n in actions.items())
    if used:
        return f"used in {_plural(len(used), 'child')}: {described}"
    n = len(c["children"])
    return f"inherited by {_plural(n, 'child')}, never used: {described}"


def line(c: dict[str, Any]) -> str:
    made = ", ".join(str(p) for p in c.get("made_pids", []))
    return f"{_where(c)} {c['label']}, made by {made}, {outcome(c)}"


def plain(report: dict[str, Any], saved_to: Optional[str] = None) -> str:
    head = headline(report) + (f"; report: {saved_to}" if saved_to else "")
    return "\n".join([head, *("  " + line(c) for c in report.get("crossings", []))])


def render(report: dict[str, Any], stream: IO[str], saved_to: Optional[str] = None) -> None:
    """Print the summary: a rich table when ``stream`` is a terminal and rich is installed."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty() and report.get("crossings"):
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            pass
        else:
            console = Console(file=stream, highlight=False)
            table = Table(title=headline(report), title_justify="left",
                          caption=f"report: {saved_to}" if saved_to else None, caption_justify="left")
            for column in ("made at", "what", "made by", "children", "what forksafe did"):
                table.add_column(column)
            for c in report["crossings"]:
                table.add_row(_where(c), c["label"], ", ".join(map(str, c["made_pids"])),
                              str(len(c["children"])), outcome(c).split(": ", 1)[1])
            console.print(table)
            return
    print(plain(report, saved_to), file=stream)
