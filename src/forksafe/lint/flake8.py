"""flake8 plugin: ``flake8 --select FS`` runs the same analysis as ``forksafe lint``.

By default the plugin reads the paths flake8 was given as one project, exactly as ``forksafe lint
PATH...`` does, so a connection made in ``db.py`` and used by a task in ``tasks.py`` is reported in
``tasks.py``. flake8 hands plugins one file at a time; the project's findings are computed once per
flake8 process, on the first file, then handed out file by file. A file outside those paths (stdin,
or a file flake8 found some other way) gets the single-file analysis of the tree flake8 parsed, and
``--forksafe-scope=file`` asks for that everywhere (faster on huge trees, blind across modules).

flake8 handles suppression itself (``# noqa: FS101``); ``# forksafe: ignore`` is honoured too so one
comment works under both tools.
"""

from __future__ import annotations

import argparse
import ast
import os
from typing import Iterator, Optional, Protocol, Sequence

from .. import __version__
from .analysis import analyze
from .findings import Finding, suppress

_SCOPES = ("project", "file")


class _OptionManager(Protocol):
    """The part of flake8's ``OptionManager`` the plugin uses (flake8 is not a dependency)."""

    def add_option(self, *args: object, **kwargs: object) -> None: ...


class _Project:
    """The findings of one ``lint_paths`` run over flake8's paths, by absolute path."""

    def __init__(self, paths: Sequence[str], exclude: Sequence[str]) -> None:
        self.paths = list(paths)
        self.exclude = list(exclude)
        self._by_file: Optional[dict[str, list[Finding]]] = None

    def findings_for(self, filename: str) -> Optional[list[Finding]]:
        """The file's findings, or None when the file is not part of the project (fall back)."""
        if self._by_file is None:
            from .api import lint_paths
            from .files import iter_python_files

            self._by_file = {os.path.abspath(p): [] for p in iter_python_files(self.paths, self.exclude)}
            for finding in lint_paths(self.paths, self.exclude, jobs=1):
                self._by_file.setdefault(os.path.abspath(finding.path), []).append(finding)
        return self._by_file.get(os.path.abspath(filename))


class Plugin:
    name = "forksafe"
    version = __version__
    _project: Optional[_Project] = None

    def __init__(self, tree: ast.Module, filename: str = "<string>", lines: Sequence[str] = ()) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = [line.rstrip("\n") for line in lines]

    @classmethod
    def add_options(cls, manager: _OptionManager) -> None:
        manager.add_option("--forksafe-scope", default="project", choices=_SCOPES, parse_from_config=True,
                           help="project (default): read the paths given to flake8 as one project, so "
                                "connections that cross modules are found; file: each file alone")

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        if getattr(options, "forksafe_scope", "project") != "project":
            cls._project = None
            return
        paths = [p for p in (getattr(options, "filenames", None) or ["."]) if p != "-"]
        exclude = [str(p) for key in ("exclude", "extend_exclude")
                   for p in (getattr(options, key, None) or [])]
        # flake8's default excludes (.git, __pycache__, ...) are hidden or skipped by lint itself;
        # user patterns are matched the same way by both (fnmatch against names and paths).
        cls._project = _Project(paths, exclude) if paths else None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        project = type(self)._project
        found = project.findings_for(self.filename) if project is not None else None
        if found is None:
            found = analyze(self.tree, self.filename)
        else:
            found = [f for f in found if f.code != "FS001"]  # flake8 reports its own E999
        for f in suppress(found, self.lines):
            yield f.line, f.col - 1, f"{f.code} {f.message}", type(self)
