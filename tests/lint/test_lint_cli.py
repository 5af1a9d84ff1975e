"""``forksafe lint`` as users run it: exit codes, text and JSON output, suppression, parse errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from forksafe.lint import CODES, lint_source
from forksafe.lint.cli import main
from forksafe.lint.flake8 import Plugin

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
BUG = """\
import multiprocessing
import psycopg2

conn = psycopg2.connect("dbname=app")


def work(n):
    return conn.cursor(){comment}


multiprocessing.Pool(2).map(work, range(3))
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.py", "import os\nprint(os.getpid())\n")
    assert run([str(path)], capsys) == (0, "", "")


def test_finding_text_format_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bug.py", BUG.format(comment=""))
    code, out, _ = run([str(path)], capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:8:12: FS101 PostgreSQL connection 'conn' (psycopg2.connect()")
    assert "fix: " in lines[0]


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bug.py", BUG.format(comment=""))
    code, out, _ = run(["--format", "json", str(path)], capsys)
    assert code == 1
    doc = json.loads(out)
    assert list(doc) == ["findings"]
    (finding,) = doc["findings"]
    assert set(finding) == {"path", "line", "col", "code", "message", "made"}
    assert (finding["path"], finding["line"], finding["col"], finding["code"]) == (str(path), 8, 12, "FS101")
    assert finding["made"] == {"path": str(path), "line": 4}


def test_json_clean_is_empty_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.py", "x = 1\n")
    code, out, _ = run(["--format", "json", str(path)], capsys)
    assert (code, json.loads(out)) == (0, {"findings": []})


@pytest.mark.parametrize("comment", ["  # forksafe: ignore", "  # forksafe: ignore[FS101]",
                                     "  # forksafe:ignore[fs102, FS101]"])
def test_suppression(tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str) -> None:
    path = write(tmp_path, "bug.py", BUG.format(comment=comment))
    assert run([str(path)], capsys)[0] == 0


def test_suppressing_another_code_keeps_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bug.py", BUG.format(comment="  # forksafe: ignore[FS104]"))
    assert run([str(path)], capsys)[0] == 1


def test_parse_error_reported_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a_broken.py", "def f(:\n    pass\n")
    write(tmp_path, "b_bug.py", BUG.format(comment=""))
    code, out, _ = run([str(tmp_path)], capsys)
    assert code == 2
    lines = out.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a_broken.py'}:1:") and " FS001 could not parse" in lines[0]
    assert " FS101 " in lines[1], "the other file is still checked"
    code, out, _ = run(["--format", "json", str(tmp_path)], capsys)
    assert code == 2
    assert [f["code"] for f in json.loads(out)["findings"]] == ["FS001", "FS101"]


def test_parse_error_is_never_suppressed() -> None:
    found = lint_source("x = (  # forksafe: ignore\n", "x.py")
    assert [f.code for f in found] == ["FS001"]


@pytest.mark.parametrize("argv", [[], ["--format", "xml", "x.py"], ["--no-such-flag", "x.py"],
                                  ["--select", "FS999", "."], ["--jobs", "0", "."]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == "" and err


def test_missing_path_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path / "nope.py")], capsys)
    assert code == 2 and "no such file or directory" in err


def test_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "FS101" in out and "FS105" in out


def test_select_and_exclude(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--select", "FS103", str(CORPUS)], capsys)
    assert code == 1 and {line.split()[1] for line in out.splitlines()} == {"FS103"}
    code, out, _ = run(["--exclude", "bug_*", str(CORPUS)], capsys)
    assert (code, out) == (0, "")


def test_parallel_matches_serial(capsys: pytest.CaptureFixture[str]) -> None:
    from forksafe.lint import api

    serial = api.lint_paths([str(CORPUS)], jobs=1)
    old = api._PARALLEL_MIN_FILES
    api._PARALLEL_MIN_FILES = 1
    try:
        parallel = api.lint_paths([str(CORPUS)], jobs=2)
    finally:
        api._PARALLEL_MIN_FILES = old
    assert serial == parallel and serial


def test_python_m_forksafe_lint_subprocess() -> None:
    """The real entry points, in a fresh interpreter: ``python -m forksafe lint`` and ``forksafe lint``."""
    bug = str(CORPUS / "bug_module_pool.py")
    proc = subprocess.run([sys.executable, "-m", "forksafe", "lint", "--format", "json", bug],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["FS101"]
    script = Path(sys.executable).with_name("forksafe")
    proc = subprocess.run([str(script), "lint", str(CORPUS / "ok_pool_initializer.py")],
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_flake8_plugin_runs_same_analysis() -> None:
    import ast

    path = CORPUS / "bug_alias_imports.py"
    text = path.read_text()
    plugin = Plugin(ast.parse(text), str(path), text.splitlines(keepends=True))
    results = list(plugin.run())
    assert [(line, msg.split()[0]) for line, _, msg, _ in results] == [(12, "FS101"), (13, "FS101")]
    assert all(kind is Plugin for *_, kind in results)
    suppressed = (CORPUS / "ok_suppressed.py").read_text()
    assert list(Plugin(ast.parse(suppressed), "x.py", suppressed.splitlines(True)).run()) == []


def _flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8", "--select", "FS", *args, "."], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _lint_lines(cwd: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "forksafe", "lint", "."], cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    return sorted(proc.stdout.splitlines())


@pytest.mark.parametrize("project", ["bug_cross_module_celery", "bug_rq_enqueue_other_module",
                                     "bug_gunicorn_preload_blueprint", "ok_cross_module_celery"])
def test_real_flake8_reads_the_paths_as_one_project(project: str) -> None:
    """Under the real flake8 (its own file discovery and worker processes) the plugin reports exactly
    what ``forksafe lint`` reports for the same tree, cross-module findings included."""
    cwd = CORPUS / "projects" / project
    proc = _flake8(cwd)
    expected = _lint_lines(cwd)
    assert proc.returncode == (1 if expected else 0), proc.stderr
    assert sorted(proc.stdout.splitlines()) == expected
    assert project.startswith("ok_") or expected  # the bug projects do have findings to compare


def test_flake8_file_scope_misses_what_crosses_modules() -> None:
    """The control: one file at a time (flake8's own model) cannot see a connection made in db.py and
    used by a task in tasks.py; that is why project scope is the default."""
    cwd = CORPUS / "projects" / "bug_cross_module_celery"
    assert _lint_lines(cwd)
    proc = _flake8(cwd, "--forksafe-scope=file")
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


def test_flake8_noqa_and_stdin(tmp_path: Path) -> None:
    write(tmp_path, "a.py", BUG.format(comment="  # noqa: FS101"))
    assert _flake8(tmp_path).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "FS", "-"],
                          input=BUG.format(comment=""), capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 1 and "stdin:8:" in proc.stdout and "FS101" in proc.stdout, proc


def test_plugin_and_hook_are_declared() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["entry-points"]["flake8.extension"] == {"FS": "forksafe.lint.flake8:Plugin"}
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "id: forksafe-lint" in hooks and "entry: forksafe lint" in hooks
    assert "pass_filenames: false" in hooks  # the whole project, so cross-module findings are kept


# SARIF 2.1.0 (OASIS standard, section 3): the properties each object must have, and their types.
SARIF_REQUIRED: dict[str, dict[str, type]] = {
    "sarifLog": {"version": str, "runs": list},
    "run": {"tool": dict},
    "tool": {"driver": dict},
    "toolComponent": {"name": str},
    "reportingDescriptor": {"id": str},
    "result": {"message": dict},
    "message": {"text": str},
    "location": {"physicalLocation": dict},
    "physicalLocation": {"artifactLocation": dict},
    "artifactLocation": {"uri": str},
}


def _has(kind: str, obj: dict[str, object]) -> None:
    for key, typ in SARIF_REQUIRED[kind].items():
        assert isinstance(obj.get(key), typ), f"SARIF {kind} lacks {key} ({typ.__name__})"


def _check_location(loc: dict[str, object]) -> None:
    _has("location", loc)
    physical = loc["physicalLocation"]
    assert isinstance(physical, dict)
    _has("physicalLocation", physical)
    _has("artifactLocation", physical["artifactLocation"])
    region = physical["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bug.py", BUG.format(comment=""))
    code, out, _ = run(["--format", "sarif", str(path)], capsys)
    assert code == 1
    doc = json.loads(out)
    _has("sarifLog", doc)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = doc["runs"]
    _has("run", sarif_run)
    _has("tool", sarif_run["tool"])
    driver = sarif_run["tool"]["driver"]
    _has("toolComponent", driver)
    for rule in driver["rules"]:
        _has("reportingDescriptor", rule)
    assert [r["id"] for r in driver["rules"]] == [c.code for c in CODES]
    (result,) = sarif_run["results"]
    _has("result", result)
    _has("message", result["message"])
    assert result["ruleId"] == "FS101" and result["level"] == "error"
    assert driver["rules"][result["ruleIndex"]]["id"] == "FS101"
    (loc,) = result["locations"]
    _check_location(loc)
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "file://" + str(path)
    assert loc["physicalLocation"]["region"] == {"startLine": 8, "startColumn": 12}
    (made,) = result["relatedLocations"]
    _check_location(made)
    assert made["physicalLocation"]["region"]["startLine"] == 4


def test_sarif_clean_has_empty_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.py", "x = 1\n")
    code, out, _ = run(["--format", "sarif", str(path)], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["runs"][0]["results"] == []


def test_python2_source_is_still_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Old scripts (``print x``, ``print >>f, x``, ``except E, e:``, ``0777``) are reported as FS001
    and still analysed."""
    text = BUG.replace("import psycopg2\n", "import psycopg2\nprint >>sys.stderr, 'starting', 0777\n")
    text = text.replace("    return conn.cursor(){comment}", "    try:\n        return conn.cursor()\n"
                        "    except Exception, e:\n        print e")
    path = write(tmp_path, "old.py", text)
    code, out, _ = run([str(path)], capsys)
    lines = out.splitlines()
    assert code == 2 and len(lines) == 2
    assert " FS001 not Python 3 " in lines[0] and "checked as Python 2" in lines[0]
    assert lines[1].startswith(f"{path}:10:16: FS101 PostgreSQL connection 'conn'")


def test_python2_tuple_handlers_and_octal_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``except E, (errno, msg):``, Python 2.6's ``except E as (errno, msg):`` and a file whose only
    Python 2 is an octal literal (``os.umask(0111)``) are still read, and the connection found."""
    path = write(tmp_path, "old.py", "import multiprocessing\nimport os\nimport MySQLdb\n\nos.umask(0111)\n"
                 "conn = MySQLdb.connect(host='db')\n\n\ndef work(n):\n    try:\n        conn.ping()\n"
                 "    except OSError, (errno, text):\n        pass\n    except IOError as (errno, text):\n"
                 "        pass\n\n\nmultiprocessing.Pool(2).map(work, range(3))\n")
    code, out, _ = run([str(path)], capsys)
    lines = out.splitlines()
    assert code == 2 and " FS001 not Python 3 " in lines[0]
    assert lines[1].startswith(f"{path}:11:9: FS101 MySQL connection 'conn'")


PRINT_CONTINUED = {
    "backslash": "print 'connected to', \\\n    'db'\n",
    "brackets": "print 'alive? {a}'.format(\n    a=[1,  # ')' in a comment\n       2])\n",
}


@pytest.mark.parametrize("continued", sorted(PRINT_CONTINUED))
def test_python2_print_continued(tmp_path: Path, capsys: pytest.CaptureFixture[str], continued: str) -> None:
    """A ``print`` statement continued on the next lines, with a backslash or inside brackets
    (``print "x {v}".format(`` and ``v=1)`` below), is rewritten whole, so the file is still read
    and its connection followed (the line numbers stay)."""
    path = write(tmp_path, "old.py", "import multiprocessing\nimport MySQLdb\n\n"
                 f"conn = MySQLdb.connect(host='db')\n{PRINT_CONTINUED[continued]}\n\n"
                 "def work(n):\n    return conn.ping()\n\n\nmultiprocessing.Pool(2).map(work, range(3))\n")
    code, out, _ = run([str(path)], capsys)
    lines = out.splitlines()
    line = 3 + PRINT_CONTINUED[continued].count("\n") + 5
    assert code == 2 and " FS001 not Python 3 " in lines[0]
    assert lines[1].startswith(f"{path}:{line}:12: FS101 MySQL connection 'conn'")


def test_python2_package_named_async(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A package module named ``async`` (a keyword since Python 3.7): the module and its importers are
    read as Python 2 and the client it makes at import is still followed into the pool worker."""
    (tmp_path / "jobs").mkdir()
    write(tmp_path, "jobs/__init__.py", "")
    write(tmp_path, "jobs/async.py", "import pymysql\nconn = pymysql.connect(host='db')\nprint 'ready'\n")
    path = write(tmp_path, "run.py", "import multiprocessing\nfrom jobs.async import conn\n\n\n"
                 "def work(n):\n    return conn.cursor()\n\n\nmultiprocessing.Pool(2).map(work, range(3))\n")
    code, out, _ = run([str(tmp_path)], capsys)
    found = [line for line in out.splitlines() if " FS101 " in line]
    assert code == 2 and len(found) == 1
    assert found[0].startswith(f"{path}:6:12: FS101 MySQL connection 'conn'")
    assert "jobs/async.py:2" in found[0]


PY312 = (
    "import multiprocessing\nimport MySQLdb\n\nconn = MySQLdb.connect(host='db')\n"
    "type Row = dict[str, int]\n\n"
    "def work[T: (int, str)](row: T):\n    label = f'{row['name']!r:>{row['width']}} {f'{row['id']}'}'\n"
    "    text = f\"\"\"\n{row['a']}\n\"\"\"\n    return conn.cursor(){comment}\n\n\n"
    "multiprocessing.Pool(2).map(work, [{'name': 'a', 'width': 3, 'id': 1, 'a': 2}])\n"
)


@pytest.mark.parametrize("comment, found", [("", True), ("  # forksafe: ignore", False)])
def test_python312_syntax_on_any_interpreter(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                comment: str, found: bool) -> None:
    """Python 3.12's f-strings (quotes reused inside a field, nested, spanning lines) and type
    parameters (``def work[T: ...]``, ``type Row = ...``) are valid Python: on an older interpreter
    too the file is read, no parse error is reported, the line numbers stay true and the connection
    is followed into the pool worker."""
    path = write(tmp_path, "modern.py", PY312.replace("{comment}", comment))
    code, out, _ = run([str(path)], capsys)
    lines = out.splitlines()
    if found:
        assert code == 1 and len(lines) == 1
        assert lines[0].startswith(f"{path}:12:12: FS101 MySQL connection 'conn'")
    else:
        assert (code, out) == (0, "")


@pytest.mark.parametrize("source", ["x = f'{1'\n", "x = f'''{y['k']}\n", "x = 'plain'\nprint(\n"])
def test_unterminated_strings_are_still_parse_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     source: str) -> None:
    """A string that does not end is an error in every Python: FS001, the file not checked."""
    path = write(tmp_path, "broken.py", source)
    code, out, _ = run([str(path)], capsys)
    assert code == 2 and " FS001 could not parse" in out


USER_CLIENT = """\
import multiprocessing

import vendorlib

conn = vendorlib.open_session("tcp://db")


def work(n):
    return conn.query(n)


multiprocessing.Pool(2).map(work, range(3))
"""


def test_user_clients_from_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``[tool.forksafe.lint] clients`` teaches the checker a client it does not know."""
    write(tmp_path, "app.py", USER_CLIENT)
    assert run([str(tmp_path)], capsys)[:2] == (0, "")
    table = '[tool.forksafe.lint]\nclients = {"vendorlib.open_session" = "vendor session"}\n'
    write(tmp_path, "pyproject.toml", table)
    code, out, _ = run([str(tmp_path)], capsys)
    assert code == 1 and ":9:12: FS101 vendor session 'conn' (vendorlib.open_session() made at line 5)" in out


def test_user_safe_entries_silence_a_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "bug.py", BUG.format(comment=""))
    write(tmp_path, "pyproject.toml", '[tool.forksafe.lint]\nsafe = ["psycopg2.connect"]\n')
    assert run([str(tmp_path)], capsys)[:2] == (0, "")


def test_bad_pyproject_table_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "bug.py", BUG.format(comment=""))
    write(tmp_path, "pyproject.toml", "[tool.forksafe.lint]\nclients = 3\n")
    code, out, err = run([str(tmp_path)], capsys)
    assert (code, out) == (2, "") and "clients must be a list of dotted names" in err


def test_preload_modules_from_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``preload = ["web"]``: the module is loaded before the server forks, its functions run in workers."""
    write(tmp_path, "web.py", "import pymysql\n\ndb = pymysql.connect(host='db')\n\n\n"
                              "def view():\n    return db.cursor()\n")
    assert run([str(tmp_path)], capsys)[:2] == (0, "")
    write(tmp_path, "pyproject.toml", '[tool.forksafe.lint]\npreload = ["web"]\n')
    code, out, _ = run([str(tmp_path)], capsys)
    assert code == 1 and ":7:12: FS101 MySQL connection 'db'" in out and "preloaded app module" in out
