"""``forksafe lint``: find connections made in one process and used in another, statically.

Only ``ast`` is used: nothing is imported or executed, so it is safe to run on any tree. Entry points:
``lint_source`` (one file's text), ``lint_paths`` (files and directories), ``forksafe.lint.cli.main``.
"""

from __future__ import annotations

from .api import lint_file, lint_paths, lint_source
from .codes import ALL as CODES
from .findings import Finding

__all__ = ["CODES", "Finding", "lint_file", "lint_paths", "lint_source"]
