"""The public API's types, as a user's type checker sees them: ``mypy --strict`` on real usage.

``typed/usage.py`` is typed code a user would write (a ``Pool`` of psycopg and of sqlite3
connections, the DB-API protocols, ``forksafe.connect``): it must type-check cleanly, with every
``assert_type`` holding. ``typed/misuse.py`` holds mistakes the types exist to catch: mypy must
report an error on each line marked ``# error:`` and nowhere else.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "typed"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[int, str]]]:
    """file name -> [(line, message)] from one strict run over both files."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    env = dict(os.environ, MYPYPATH=str(SRC))  # this checkout's forksafe, not an installed one
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
         "--config-file", os.devnull, "--cache-dir", str(cache), "--python-version",
         f"{sys.version_info[0]}.{sys.version_info[1]}", "usage.py", "misuse.py"],
        cwd=HERE, env=env, capture_output=True, text=True, timeout=600,
    )
    found: dict[str, list[tuple[int, str]]] = {"usage.py": [], "misuse.py": []}
    for line in out.stdout.splitlines():
        m = re.match(r"(\w+\.py):(\d+): error: (.*)", line)
        if m:
            found.setdefault(m.group(1), []).append((int(m.group(2)), m.group(3)))
    assert out.returncode in (0, 1), out.stdout + out.stderr  # 2: mypy itself failed
    return found


def test_typed_usage_checks_cleanly(mypy_errors: dict[str, list[tuple[int, str]]]) -> None:
    assert mypy_errors["usage.py"] == []


def test_misuse_is_reported_on_each_marked_line(mypy_errors: dict[str, list[tuple[int, str]]]) -> None:
    source = (HERE / "misuse.py").read_text().splitlines()
    marked = {i + 1 for i, text in enumerate(source) if "# error:" in text}
    assert len(marked) == 3
    assert {line for line, _ in mypy_errors["misuse.py"]} == marked, mypy_errors["misuse.py"]
