"""``forksafe run`` as a launcher: the program sees what ``python`` would give it, console
commands are exec'd with the bootstrap on PYTHONPATH, and interpreters started later (spawn,
forkserver, subprocess) are patched too."""

from __future__ import annotations

import json
import os
import stat

import pytest
import zc_helpers as zc
from harness.drivers import BY_NAME

BEHAVES = os.path.join(zc.PROGRAMS, "behaves.py")
SPAWN = os.path.join(zc.PROGRAMS, "spawn_children.py")
FORKSAFE_SCRIPT = os.path.join(os.path.dirname(zc.PYTHON), "forksafe")


def _mysql_env(mariadb, **extra: str) -> dict[str, str]:
    _, kwargs = BY_NAME["MySQLdb"].connect_args(mariadb)
    return zc.clean_env(FS_MYSQL=json.dumps(kwargs), **extra)


@pytest.mark.parametrize("how", ["", "raise", "exit3", "message"])
@pytest.mark.parametrize("form", ["script", "module"])
def test_program_sees_what_python_gives_it(form: str, how: str) -> None:
    target = ["behaves.py"] if form == "script" else ["-m", "behaves"]
    args = [*target, *([how] if how else []), "--flag", "x y"]
    env = zc.clean_env()
    under_python = zc.plain_python(args, env)
    under_forksafe = zc.forksafe_run(args, env)
    assert under_forksafe.returncode == under_python.returncode, (under_python.explain(),
                                                                  under_forksafe.explain())
    assert under_forksafe.stdout == under_python.stdout
    assert under_forksafe.stderr == under_python.stderr  # same traceback, none of our frames


@pytest.mark.parametrize("argv,code,message", [
    ([], 2, "nothing to run"),
    (["--on-fork", "sometimes", "x.py"], 2, "--on-fork must be one of reconnect, raise, warn"),
    (["--on-fork"], 2, "--on-fork needs a value"),
    (["--bogus", "x.py"], 2, "unknown option '--bogus'"),
    (["no-such-command-zc"], 127, "command not found: 'no-such-command-zc'"),
    (["missing_file.py"], 2, "can't open file 'missing_file.py'"),
])
def test_bad_input_says_what_to_do(argv: list[str], code: int, message: str) -> None:
    ran = zc.forksafe_run(argv, zc.clean_env())
    assert ran.returncode == code, ran.explain()
    assert message in ran.stderr, ran.explain()


def test_spawn_and_forkserver_children_and_subprocesses_are_patched(mariadb) -> None:
    ran = zc.forksafe_run(["--on-fork", "warn", SPAWN], _mysql_env(mariadb))
    assert ran.returncode == 0, ran.explain()
    s = ran.summary
    for method in ("spawn", "forkserver"):
        assert isinstance(s[method], list) and len(s[method]) == 8, (method, ran.explain())
        assert all(r["patched"] and r["policy"] == "warn" and r["type"].startswith("forksafe.")
                   for r in s[method]), s[method]
    assert s["subprocess_patched"]


def test_control_spawn_and_forkserver_children_unpatched_under_python(mariadb) -> None:
    ran = zc.plain_python([SPAWN], _mysql_env(mariadb, FS_DEADLINE="30"))
    s = ran.summary
    for method in ("spawn", "forkserver"):
        assert all(not r["patched"] and r["policy"] is None and not r["type"].startswith("forksafe.")
                   for r in s[method]), s
    assert not s["subprocess_patched"]


@pytest.fixture
def console_command(tmp_path) -> dict[str, str]:
    """A console script as pip installs one for ``zc-console = zc_console_app:main``, on PATH,
    and a pre-existing sitecustomize that must still run."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "zc-console"
    script.write_text(f"#!{zc.PYTHON}\nimport sys\nfrom zc_console_app import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "sitecustomize.py").write_text("MARKER = 'the site customization ran'\n")
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "SITE": str(site_dir)}


def _console_env(mariadb, console_command: dict[str, str], **extra: str) -> dict[str, str]:
    env = _mysql_env(mariadb, PATH=console_command["PATH"], **extra)
    env["PYTHONPATH"] += os.pathsep + console_command["SITE"]
    return env


def test_console_command_under_forksafe_run(mariadb, console_command) -> None:
    env = _console_env(mariadb, console_command)
    ran = zc.run([FORKSAFE_SCRIPT, "run", "zc-console", "--some", "arg"], env)  # the forksafe console script
    assert ran.returncode == 0, ran.explain()
    s = ran.summary
    assert s["argv"] == ["--some", "arg"] and s["patched"] and s["ok"] and s["parent_ok"], s
    assert s["chained_sitecustomize"] == "the site customization ran", s


def test_control_console_command_without_forksafe(mariadb, console_command) -> None:
    env = _console_env(mariadb, console_command, FS_DEADLINE="8")
    ran = zc.run(["zc-console", "--some", "arg"], env, timeout=120)
    s = ran.summary
    assert ran.returncode == 1 and not s["patched"] and not (s["ok"] and s["parent_ok"]), ran.explain()
    assert s["chained_sitecustomize"] == "the site customization ran"
