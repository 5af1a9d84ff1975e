"""A finding, and inline suppression with ``# forksafe: ignore`` / ``# forksafe: ignore[FS101,...]``.

Suppression is read from the raw source lines (a regex, not tokenize) only for files that have
findings, so the common clean file pays nothing for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

_IGNORE = re.compile(r"#\s*forksafe:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at ``path:line:col`` (line and col are 1-based, as editors show them)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    made_path: str = ""  # where the client was made (another file for a cross-module finding)
    made_line: int = 0

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"path": self.path, "line": self.line, "col": self.col,
                                    "code": self.code, "message": self.message}
        if self.made_line:
            found["made"] = {"path": self.made_path or self.path, "line": self.made_line}
        return found


def _ignored_codes(line: str) -> Optional[frozenset[str]]:
    """None: not suppressed; empty set: everything suppressed; else the codes suppressed."""
    match = _IGNORE.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return frozenset()
    return frozenset(c.strip().upper() for c in match.group(1).split(",") if c.strip())


def suppress(findings: Iterable[Finding], lines: Sequence[str]) -> list[Finding]:
    """Drop findings whose line carries a matching ignore comment (parse errors are never dropped)."""
    kept: list[Finding] = []
    for f in findings:
        if f.code != "FS001" and 1 <= f.line <= len(lines):
            codes = _ignored_codes(lines[f.line - 1])
            if codes is not None and (not codes or f.code in codes):
                continue
        kept.append(f)
    return kept
