"""The docs site builds without a warning, and its code samples are valid and, where marked, run.

Convention for everyone writing in docs/ (also in docs/index.md, "Contributing to these docs"):

* Every fenced block tagged ``python`` (or ``py``) must be valid Python: each is compiled here.
  Use ``text``, ``pycon`` or ``sh`` for anything that is not (output, tracebacks, shell commands).
* A ``python`` block whose previous non-blank line is ``<!-- docs-test: run -->`` is **executed** as a
  program of its own: saved as ``sample.py`` in an empty temp dir and run there by a fresh ``python``
  (a file, so spawn and forkserver children can import its functions), in its own process
  group, 120 s limit, exit status 0 required. Make it self-contained and have it assert what it claims.
* ``<!-- docs-test: run-with-previous -->`` appends the block to the previous executed block on the same
  page (one program built up across several blocks).
* ``<!-- docs-test: fragment: REASON -->`` marks a deliberate fragment (a line of a larger program, a
  settings excerpt, code that runs only inside an engine) and says why it is not executed. Every
  ``python`` block in docs/ and README.md carries one of these three markers: an unmarked block fails
  ``test_every_sample_runs_or_says_why_not``.
* Executed samples reach the test servers through environment variables, and a server is started only
  if some sample names its variable: ``FORKSAFE_PG_DSN`` (libpq ``key=value``), ``FORKSAFE_PG_URL``,
  ``FORKSAFE_MYSQL_URL``, ``FORKSAFE_MYSQL_HOST``/``_PORT``/``_USER``/``_PASSWORD``/``_DATABASE``,
  ``FORKSAFE_REDIS_URL``. Read them with a readable default:
  ``os.environ.get("FORKSAFE_PG_DSN", "dbname=app")``.

The site build runs on a copy of docs/ in which any page that ``nav`` lists but nobody has written
yet is a stub, so the pages that exist are checked while others are being written;
``test_every_nav_page_is_written_and_every_page_is_in_nav`` is the final check that nothing is
stubbed. Every mkdocs warning fails the build test (what ``--strict`` does), except a link from a
page to an existing file of the repository outside docs/ (``../../examples/app.py``): it works where
the pages are read on the code host, and mkdocs cannot know that.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
RUN_TIMEOUT = 120

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<lang>[\w+.-]*)")
_MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<what>[\w-]+)(?::(?P<reason>.*?))?\s*-->\s*$")
_PYTHON = {"python", "py", "python3"}
_MARKERS = {"run", "run-with-previous"}
FRAGMENT = "fragment"
README = ROOT / "README.md"


@dataclass
class Block:
    page: str  # relative to docs/ (README.md: ../README.md)
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    marker: str = ""
    reason: str = ""


@dataclass
class Program:
    page: str
    line: int
    code: str
    lines: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks(path: Path) -> list[Block]:
    page = os.path.relpath(path, DOCS)
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    previous = ""  # the last non-blank line before the current one
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                previous = lines[i]
            i += 1
            continue
        indent, fence, lang = m.group("indent"), m.group("fence"), m.group("lang").lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence[0] * len(fence))
                                      and set(lines[i].strip()) == {fence[0]}):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        marker = _MARKER.match(previous)
        what = marker.group("what") if marker else ""
        reason = (marker.group("reason") or "").strip() if marker else ""
        blocks.append(Block(page, start + 1, lang, "\n".join(body) + "\n", what, reason))
        previous = lines[i] if i < len(lines) else ""
        i += 1
    return blocks


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _all_blocks() -> list[Block]:
    """Every fenced block of docs/ and of README.md (whose samples follow the same rules)."""
    return [b for page in [*_pages(), README] for b in _blocks(page)]


def _programs() -> list[Program]:
    programs: list[Program] = []
    last_on_page: dict[str, Program] = {}
    for b in _all_blocks():
        if b.lang not in _PYTHON or b.marker not in _MARKERS:
            continue
        if b.marker == "run-with-previous" and b.page in last_on_page:
            prog = last_on_page[b.page]
            prog.code += "\n" + b.code
            prog.lines.append(b.line)
            continue
        prog = Program(b.page, b.line, b.code, [b.line])
        programs.append(prog)
        last_on_page[b.page] = prog
    return programs


def _nav_pages(nav: Any) -> list[str]:
    found: list[str] = []
    if isinstance(nav, str):
        if not re.match(r"^[a-z]+://", nav):
            found.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            found += _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += _nav_pages(value)
    return found


def _config() -> dict[str, Any]:
    with open(CONFIG, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


# ---------------------------------------------------------------- the site


def _build(tmp_path: Path, docs_dir: Path) -> subprocess.CompletedProcess[str]:
    config = _config()
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(tmp_path / "site")
    # Not --strict: we fail on every warning ourselves, bar one accepted kind (_repo_file_link),
    # and a strict build would abort before writing the pages we then check.
    config["strict"] = False
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)


_LINK_WARNING = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but the target")


def _repo_file_link(warning: str) -> bool:
    """A link from a page to a file of this repository outside docs/ (``../../examples/x.py``).

    Accepted: it works where these pages are read on the code host, and the target is checked to
    exist. mkdocs cannot know that, so it warns; every other warning fails the build test.
    """
    m = _LINK_WARNING.search(warning)
    if not m:
        return False
    target = ((DOCS / m.group("page")).parent / m.group("link").split("#", 1)[0]).resolve()
    return target.exists() and DOCS not in target.parents and ROOT in target.parents


def test_site_builds_strict_with_every_page_present(tmp_path: Path) -> None:
    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy)
    stubbed = []
    for page in _nav_pages(_config()["nav"]):
        target = copy / page
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {Path(page).stem}\n\nNot written yet.\n", encoding="utf-8")
            stubbed.append(page)
    proc = _build(tmp_path, copy)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-5000:]
    warnings = [w for w in re.findall(r"^WARNING +- +(.*)$", output, re.M) if not _repo_file_link(w)]
    assert not warnings, "\n".join(warnings) + "\n\n" + output[-3000:]
    built = tmp_path / "site"
    for page in _nav_pages(_config()["nav"]):
        html = built / (page[: -len(".md")] + "/index.html" if not page.endswith("index.md") else
                        page[: -len(".md")] + ".html")
        assert html.exists(), f"{page} was not built ({html})"
    if stubbed:
        print(f"stubbed (not written yet): {', '.join(stubbed)}")


def test_every_nav_page_is_written_and_every_page_is_in_nav() -> None:
    nav = set(_nav_pages(_config()["nav"]))
    missing = sorted(p for p in nav if not (DOCS / p).exists())
    assert not missing, f"mkdocs.yml nav lists pages nobody has written yet: {missing}"
    orphans = sorted(str(p.relative_to(DOCS)) for p in _pages() if str(p.relative_to(DOCS)) not in nav)
    assert not orphans, f"pages in docs/ missing from the nav in mkdocs.yml: {orphans}"


# ---------------------------------------------------------------- the samples


def test_docs_test_markers_are_used_correctly() -> None:
    problems = []
    for page in [*_pages(), README]:
        lines = page.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            m = _MARKER.match(line)
            if not m:
                continue
            what, reason = m.group("what"), (m.group("reason") or "").strip()
            where = os.path.relpath(page, DOCS)
            if what not in _MARKERS | {FRAGMENT}:
                problems.append(f"{where}:{n}: unknown marker {what!r}")
            elif what == FRAGMENT and not reason:
                problems.append(f"{where}:{n}: a fragment must say why: <!-- docs-test: fragment: REASON -->")
            elif what != FRAGMENT and m.group("reason") is not None:
                problems.append(f"{where}:{n}: only a fragment marker takes a reason")
    for b in _all_blocks():
        if b.marker and b.lang not in _PYTHON:
            problems.append(f"{b.page}:{b.line}: docs-test marker on a {b.lang or 'plain'} block")
    assert not problems, "\n".join(problems)
    assert _programs(), "no executed sample at all: the docs test would check nothing"


def test_every_sample_runs_or_says_why_not() -> None:
    """A python block either executes (run, run-with-previous) or is a fragment that says why."""
    unmarked = [f"{b.page}:{b.line}" for b in _all_blocks() if b.lang in _PYTHON and not b.marker]
    assert not unmarked, (
        "python samples neither executed nor marked as fragments (put <!-- docs-test: run --> before "
        "the block and make it self-contained, or <!-- docs-test: fragment: REASON -->):\n"
        + "\n".join(unmarked))


@pytest.mark.parametrize("block", [b for b in _all_blocks() if b.lang in _PYTHON],
                         ids=lambda b: f"{b.page}:{b.line}")
def test_python_sample_is_valid_python(block: Block) -> None:
    compile(block.code, f"docs/{block.page}:{block.line}", "exec")


def _sample_env(code: str, request: pytest.FixtureRequest) -> dict[str, str]:
    env = dict(os.environ)
    if "FORKSAFE_PG_" in code:
        pg = request.getfixturevalue("postgresql")
        env["FORKSAFE_PG_DSN"] = pg.pg_dsn
        env["FORKSAFE_PG_URL"] = pg.url
    if "FORKSAFE_MYSQL_" in code:
        my = request.getfixturevalue("mariadb")
        env["FORKSAFE_MYSQL_URL"] = my.url
        for key, value in my.mysql_kwargs.items():
            env[f"FORKSAFE_MYSQL_{key.upper()}"] = str(value)
    if "FORKSAFE_REDIS_" in code:
        env["FORKSAFE_REDIS_URL"] = request.getfixturevalue("redis_server").url
    return env


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("program", _programs(), ids=lambda p: p.id)
def test_runnable_sample_runs(program: Program, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    env = _sample_env(program.code, request)
    (tmp_path / "sample.py").write_text(program.code, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "sample.py"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        pytest.fail(f"docs/{program.id} did not finish in {RUN_TIMEOUT} s:\n{output[-3000:]}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # Whatever the sample started must be gone with it; a forkserver or resource tracker notices
    # its parent's exit on its own a moment later, so it gets a few seconds to do so.
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), f"docs/{program.id} left processes running"
    assert proc.returncode == 0, (
        f"docs/{program.id} (blocks at lines {program.lines}) failed:\n{output[-3000:]}")
