"""Lint one source text, one file, or many paths. A file that does not parse becomes an FS001
finding instead of an exception, so one bad file never hides the results for the rest."""

from __future__ import annotations

import ast
import re
from typing import Iterable, Union

from . import codes, knowledge
from .analysis import analyze
from .files import iter_python_files
from .findings import Finding, suppress

# Cheap byte scans that prove a file can have no finding, so the tree walks are skipped (the file is
# still parsed, so syntax errors are still reported).
_CONNECTS = re.compile("|".join(sorted(knowledge.CONNECT_MODULES)).encode())
_CHILDREN = re.compile("|".join(knowledge.CHILD_WORDS).encode())


def lint_source(source: Union[str, bytes], path: str = "<string>") -> list[Finding]:
    data = source.encode("utf-8") if isinstance(source, str) else source
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or 1
        col = getattr(exc, "offset", None) or 1
        msg = getattr(exc, "msg", None) or str(exc)
        text = f"could not parse: {msg}; {codes.PARSE_ERROR.fix}"
        return [Finding(path, line, col, codes.PARSE_ERROR.code, text)]
    if not (_CONNECTS.search(data) and _CHILDREN.search(data)):
        return []
    found = analyze(tree, path)
    if not found:
        return found
    return suppress(found, data.decode("utf-8", "replace").splitlines())


def lint_file(path: str) -> list[Finding]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return [Finding(path, 1, 1, codes.PARSE_ERROR.code, f"could not read: {exc.strerror}")]
    return lint_source(data, path)


def lint_paths(paths: Iterable[str], exclude: Iterable[str] = (), jobs: int = 1) -> list[Finding]:
    """Lint every Python file under ``paths``; ``jobs > 1`` spreads large trees over processes
    (parsing is CPU-bound and holds the GIL), results in the same order as ``jobs=1``."""
    files = list(iter_python_files(paths, list(exclude)))
    findings: list[Finding] = []
    if jobs > 1 and len(files) >= _PARALLEL_MIN_FILES:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for found in pool.map(lint_file, files, chunksize=16):
                findings.extend(found)
        return findings
    for path in files:
        findings.extend(lint_file(path))
    return findings


_PARALLEL_MIN_FILES = 64
