"""Which files to lint: given files as they are, directories walked for ``*.py`` in sorted order
(stable output), skipping hidden directories, ``__pycache__`` and ``--exclude`` globs. Scripts with
no extension whose first line is a Python ``#!`` line (``bin/worker``) are Python files too: the
program that forks is often exactly such a script. (Only lower-case names are opened to look:
``LICENSE``, ``Makefile``, ``RECORD`` are not scripts, and a large tree has thousands of them.)"""

from __future__ import annotations

import fnmatch
import os
from typing import Iterable, Iterator


def _excluded(path: str, patterns: list[str]) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in patterns)


def _python_script(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


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
                if (name.endswith(".py") or ("." not in name and name.islower() and _python_script(full))) \
                        and not _excluded(full, exclude):
                    yield full
