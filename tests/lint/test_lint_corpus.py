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
_EXPECT = re.compile(r"#\s*expect:\s*((?:FS\d{3}[,\s]*)+)(.*)$")


def expectations(path: Path) -> dict[tuple[int, str], list[str]]:
    """(line, code) -> the fragments (``"returned by get_db()"``) its message must contain."""
    found: dict[tuple[int, str], list[str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            fragments = re.findall(r'"([^"]+)"', match.group(2))
            for code in re.findall(r"FS\d{3}", match.group(1)):
                found[(number, code)] = fragments
    return found


def expected(path: Path) -> set[tuple[int, str]]:
    return set(expectations(path))


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
    findings = lint_file(str(path))
    got = {(f.line, f.code) for f in findings}
    want = expectations(path)
    assert got - set(want) == set(), f"false alarms in {path.name}"
    assert set(want) - got == set(), f"missed in {path.name}"
    for f in findings:
        for fragment in want[(f.line, f.code)]:
            assert fragment in f.message, f"{path.name}:{f.line}: {fragment!r} not in {f.message!r}"


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_corpus_programs_are_valid_python(path: Path) -> None:
    compile(path.read_text(), str(path), "exec")
