"""The labelled corpus: every ``# expect: FS###`` comment is found, and nothing else is reported.

Each bug program has a safe twin (``ok_*``) written the way the fix in the message says, so a rule
that over-reaches shows up as an unexpected finding in an ok file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forksafe.lint import lint_file, lint_paths
from forksafe.lint.files import iter_python_files

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
    assert codes == {"FS101", "FS102", "FS103", "FS104", "FS105", "FS106", "FS107"}


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


PROJECTS = sorted(p for p in (CORPUS / "projects").iterdir() if p.is_dir())


def test_projects_are_paired() -> None:
    names = {p.name for p in PROJECTS}
    bugs = [n for n in names if n.startswith("bug_")]
    assert len(bugs) >= 4 and all(n.startswith(("bug_", "ok_")) for n in names)
    assert len(names) - len(bugs) >= len(bugs), "every project bug has a safe twin"


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project(project: Path) -> None:
    """Whole projects: cross-module values and entries, and server configs (Procfile, gunicorn.conf.py,
    uwsgi.ini) that make a module a preloaded app."""
    findings = lint_paths([str(project)])
    want: dict[tuple[str, int, str], list[str]] = {}
    for name in iter_python_files([str(project)], []):  # also extensionless scripts (bin/worker)
        source = Path(name)
        for (line, code), fragments in expectations(source).items():
            want[(str(source), line, code)] = fragments
    got = {(f.path, f.line, f.code) for f in findings}
    assert got - set(want) == set(), f"false alarms in {project.name}"
    assert set(want) - got == set(), f"missed in {project.name}"
    assert bool(want) == project.name.startswith("bug_")
    for f in findings:
        for fragment in want[(f.path, f.line, f.code)]:
            assert fragment in f.message, f"{f.path}:{f.line}: {fragment!r} not in {f.message!r}"
