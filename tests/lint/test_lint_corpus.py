"""The labelled corpus: every ``# expect: FS###`` comment is found, and nothing else is reported.

Each bug program has a safe twin (``ok_*``) written the way the fix in the message says, so a rule
that over-reaches shows up as an unexpected finding in an ok file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forksafe.lint import lint_file

CORPUS = Path(__file__).parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*.py"))
_EXPECT = re.compile(r"#\s*expect:\s*((?:FS\d{3}[,\s]*)+)")


def expected(path: Path) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.update((number, code) for code in re.findall(r"FS\d{3}", match.group(1)))
    return found


def test_corpus_is_large_and_labelled() -> None:
    bugs = [p for p in PROGRAMS if p.name.startswith("bug_")]
    oks = [p for p in PROGRAMS if p.name.startswith("ok_")]
    assert len(PROGRAMS) >= 25
    assert len(bugs) >= 12 and len(oks) >= 12
    assert all(expected(p) for p in bugs), "every bug program declares what it expects"
    assert not any(expected(p) for p in oks), "ok programs expect nothing"
    codes = {code for p in bugs for _, code in expected(p)}
    assert codes == {"FS101", "FS102", "FS103", "FS104", "FS105"}


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_program(path: Path) -> None:
    got = {(f.line, f.code) for f in lint_file(str(path))}
    want = expected(path)
    assert got - want == set(), f"false alarms in {path.name}"
    assert want - got == set(), f"missed in {path.name}"


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_corpus_programs_are_valid_python(path: Path) -> None:
    compile(path.read_text(), str(path), "exec")
