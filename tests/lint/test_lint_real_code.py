"""False alarms on real code: the installed source of Celery, RQ and SQLAlchemy (see docs/lint.md).

Every finding on these trees was inspected by hand; the figure recorded in the docs is the count of
findings, each a false alarm (none of these libraries shares a DB connection across a fork). The test
pins that figure so a rule change that starts alarming on real code is noticed.
"""

from __future__ import annotations

import os
from pathlib import Path

import celery
import pytest
import rq
import sqlalchemy

from forksafe.lint import lint_paths

PACKAGES = {"celery": celery, "rq": rq, "sqlalchemy": sqlalchemy}
RECORDED_FALSE_ALARMS = {"celery": 0, "rq": 0, "sqlalchemy": 0}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_real_package_false_alarms(name: str) -> None:
    root = Path(os.path.dirname(PACKAGES[name].__file__ or ""))
    files = list(root.rglob("*.py"))
    assert len(files) > 20, f"{name}: expected its source tree at {root}"
    findings = lint_paths([str(root)], jobs=2)
    assert [f for f in findings if f.code == "FS001"] == [], "installed sources parse"
    assert len(findings) == RECORDED_FALSE_ALARMS[name], "\n".join(
        f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings)


def test_finds_the_original_bug_report_program() -> None:
    """A program written by someone else for another purpose (the zero-code tests' copy of the original
    bug report): the checker flags its module-level MySQLdb connection used by Process targets."""
    path = Path(__file__).parents[1] / "zerocode" / "programs" / "original_report.py"
    if not path.exists():
        pytest.fail(f"{path} is gone: point this test at another real program")
    codes = sorted({(f.code, f.message.split("'")[1]) for f in lint_paths([str(path)])})
    assert codes == [("FS101", "db")]
