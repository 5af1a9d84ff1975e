"""forksafe's loggers load ``logging`` only once the application has: same records, no import cost.

Each case is a real program in a fresh interpreter: a sqlite3 file connection made and used in the
parent, then used in a forked child (a crossing the policy decides on, logged at DEBUG or WARNING).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

PROGRAM = """
import os, sys
import forksafe
assert "logging" not in sys.modules, "import forksafe loaded logging"
{setup}
conn = forksafe.connect(__import__("sqlite3").connect, sys.argv[1], on_fork={policy!r})
conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
conn.commit()
pid = os.fork()
if pid == 0:
    conn.execute("SELECT 1")  # the child's first use: the policy applies and is logged
    os._exit(0)
os.waitpid(pid, 0)
"""


def _run(tmp_path: Path, setup: str, policy: str) -> subprocess.CompletedProcess[str]:
    code = PROGRAM.format(setup=textwrap.dedent(setup), policy=policy)
    return subprocess.run([sys.executable, "-c", code, str(tmp_path / "app.db")], capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})


def test_records_reach_handlers_configured_after_import(tmp_path: Path) -> None:
    out = _run(tmp_path, "import logging; logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)",
               "reconnect")
    assert out.returncode == 0, out.stderr
    assert "DEBUG:forksafe.fork:process" in out.stdout and "crossed a fork" in out.stdout


@pytest.mark.parametrize("imported", [False, True])
def test_no_last_resort_output_without_configuration(tmp_path: Path, imported: bool) -> None:
    """A WARNING record with no handler configured goes nowhere, whether or not the application
    imported logging (forksafe's NullHandler), as with any library."""
    out = _run(tmp_path, "import logging" if imported else "", "warn")
    assert out.returncode == 0, out.stderr
    assert "ForkSafetyWarning" in out.stderr  # the warn policy's warning itself is shown
    assert "crossed a fork; opening its own" not in out.stderr  # the log record is not


def test_control_a_library_logger_without_nullhandler_prints() -> None:
    """Control: a library logger without forksafe's NullHandler, unconfigured, has its WARNING
    printed to stderr by Python's last-resort handler: what the case above must not show."""
    code = "import logging; logging.getLogger('somelib').warning('crossed a fork; opening its own')"
    bare = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "crossed a fork; opening its own" in bare.stderr
