"""flake8 plugin: ``flake8 --select FS`` runs the same analysis on the tree flake8 already parsed.

flake8 handles suppression itself (``# noqa: FS101``); ``# forksafe: ignore`` is honoured too so one
comment works under both tools.
"""

from __future__ import annotations

import ast
from typing import Iterator, Sequence

from .. import __version__
from .analysis import analyze
from .findings import suppress


class Plugin:
    name = "forksafe"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str = "<string>", lines: Sequence[str] = ()) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = [line.rstrip("\n") for line in lines]

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        found = analyze(self.tree, self.filename)
        for f in suppress(found, self.lines):
            yield f.line, f.col - 1, f"{f.code} {f.message}", type(self)
