"""Which files to lint: given files as they are, directories walked for ``*.py`` in sorted order
(stable output), skipping hidden directories, ``__pycache__`` and ``--exclude`` globs."""

from __future__ import annotations

import fnmatch
import os
from typing import Iterable, Iterator


def _excluded(path: str, patterns: list[str]) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in patterns)


def iter_python_files(paths: Iterable[str], exclude: list[str]) -> Iterator[str]:
    for path in paths:
        if not os.path.isdir(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                             and not _excluded(os.path.join(root, d), exclude))
            for name in sorted(files):
                full = os.path.join(root, name)
                if name.endswith(".py") and not _excluded(full, exclude):
                    yield full
