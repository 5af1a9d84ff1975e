"""What a lint run knows beyond the source: the client catalogue (built-in, drivers', the user's), and
which app modules a pre-forking web server loads before it forks (gunicorn ``--preload`` / uWSGI
without ``lazy-apps``).

User entries live in ``pyproject.toml``::

    [tool.forksafe.lint]
    clients = ["mycompany.db.connect", "vendor.Client"]   # or a table: {"vendor.Client" = "vendor client"}
    safe = ["mycompany.db.forksafe_connect"]
    preload = ["myapp.wsgi"]                               # app modules loaded before the fork

Server configuration is read where it is found under the linted paths: ``gunicorn.conf.py`` /
``gunicorn_config.py`` / ``gunicorn*.py`` (``preload_app = True``; a ``post_fork`` hook that disposes
or closes counts as the fix; the modules its imports and master hooks load are in the master before
the fork), ``Procfile`` command lines (``gunicorn --preload app:app``), uWSGI ``*.ini`` files (a
``module``/``wsgi-file`` without ``lazy-apps``/``lazy``).
"""

from __future__ import annotations

import ast
import configparser
import importlib
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from . import knowledge

# what a preloaded app's ``via`` ends with when the server's ``post_fork`` hook resets the workers'
# connections: its request handlers are each worker's own, only threads of the master are not
WORKERS_RESET = ", whose hooks reset the connections the workers inherit"


class ConfigError(ValueError):
    """A ``[tool.forksafe.lint]`` table that cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class Settings:
    clients: dict[str, str] = field(default_factory=knowledge.catalogue)
    safe: frozenset[str] = knowledge.SAFE_CALLS
    # (directory of the config, app module) -> how we know it is preloaded; directory "" for anywhere
    preload: dict[tuple[str, str], str] = field(default_factory=dict)
    # the same for modules an RQ worker process loads before it forks its work horses (the Flask app
    # of ``flask rq worker``, the module of ``rq worker --worker-class mod.Worker``)
    rq_workers: dict[tuple[str, str], str] = field(default_factory=dict)
    # the same for app modules gunicorn's workers import after the fork (no ``--preload``) from a master
    # whose config's imports and hooks loaded project modules first: what the workers inherit is only
    # what those modules made
    served_after_fork: dict[tuple[str, str], str] = field(default_factory=dict)
    # clients that open nothing until first used in this project, by its pinned versions (Flask-SQLAlchemy
    # 2.x makes its engine on first use, in whichever process that is): a bug only once the parent used one
    lazy_clients: frozenset[str] = frozenset()
    # directory -> the pools Celery workers described there run with (``--pool=solo``, ``worker_pool =
    # "threads"``, prefork by default): what ``celery_pool`` answers from
    celery_pools: dict[str, frozenset[str]] = field(default_factory=dict)
    # app factories a preloading gunicorn calls in its master (``gunicorn --preload "app:create_app()"``),
    # by qualified name: they run there like a module's import-time calls
    preload_factories: frozenset[str] = frozenset()
    # directory of a gunicorn config that preloads (``preload_app = True``) -> how we know, where no
    # command line under the linted paths names the app (it is started from elsewhere): in a Django
    # project the app is the project's WSGI application, set up in the master
    preloading_configs: dict[str, str] = field(default_factory=dict)

    def connect_modules(self) -> frozenset[str]:
        return knowledge.connect_modules(self.clients)

    def celery_pool(self, path: str) -> str:
        """The one non-forking pool every Celery worker described for the file at ``path`` runs
        (its tasks run in the worker process itself), or "" when one forks or none is described."""
        full = os.path.abspath(path)
        pools = {p for root, found in self.celery_pools.items() if full.startswith(root + os.sep)
                 for p in found}
        return next(iter(pools)) if len(pools) == 1 and not pools & knowledge.CELERY_FORKING_POOLS else ""

    def preloaded(self, path: str, module: str) -> Optional[str]:
        """How we know the module at ``path`` is loaded before the server forks, if it is."""
        return _configured(self.preload, path, module)

    def served_by_forked_workers(self, path: str, module: str) -> Optional[str]:
        """How we know gunicorn's workers import the module at ``path`` after forking from a master that
        loaded other project modules, if they do."""
        return _configured(self.served_after_fork, path, module)

    def rq_worker(self, path: str, module: str) -> Optional[str]:
        """How we know an RQ worker process loads the module at ``path`` before it forks, if it does."""
        return _configured(self.rq_workers, path, module)


def _configured(table: dict[tuple[str, str], str], path: str, module: str) -> Optional[str]:
    """The entry of a (config directory, module) table that names the module at ``path``."""
    if not module or not table:
        return None
    full = os.path.abspath(path)
    for (root, name), via in table.items():
        if name == module and (not root or full.startswith(root + os.sep)):
            return via
        if root:  # ``--wsgi-file server.py`` in web/: imported as ``server``, whatever its package
            stem = os.path.join(root, *name.split("."))
            if full in (stem + ".py", os.path.join(stem, "__init__.py")):
                return via
    return None


def _pyproject(start: str) -> Optional[str]:
    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _user_table(path: str) -> dict[str, object]:
    reader: Any = None
    for name in ("tomllib", "tomli"):  # tomllib from 3.11; without either the catalogue is used as is
        try:
            reader = importlib.import_module(name)
            break
        except ImportError:
            continue
    if reader is None:
        return {}
    with open(path, "rb") as handle:
        doc = reader.load(handle)
    tool = doc.get("tool", {})
    table = tool.get("forksafe", {}).get("lint", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.forksafe.lint] must be a table")
    return table


def _names(value: object, key: str, path: str) -> dict[str, str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: "client" for v in value}
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise ConfigError(f"{path}: [tool.forksafe.lint] {key} must be a list of dotted names, e.g. "
                      f'{key} = ["mylib.connect"]')


_APP = re.compile(r"([A-Za-z_][\w.]*)(?::[\w.()]+)?$")


_FACTORY_SPEC = re.compile(r"([A-Za-z_][\w.]*):([A-Za-z_]\w*)\(")


def _app_factory(spec: str) -> Optional[str]:
    """``app:create_app()`` -> ``app.create_app``: gunicorn calls the factory in the master, after the
    import (with ``--preload``, before it forks the workers)."""
    match = _FACTORY_SPEC.match(spec.strip().strip("'\""))
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _app_module(spec: str) -> Optional[str]:
    spec = spec.strip().strip("'\"")
    if spec.endswith(".py"):
        return spec[:-3].replace("/", ".").lstrip(".")
    match = _APP.match(spec)
    return match.group(1) if match else None


@dataclass(frozen=True)
class _GunicornConf:
    """What a gunicorn config file tells: ``preload_app``, whether a hook resets the connections the
    workers inherit (``engine.dispose()`` in ``post_fork``, or at the end of an ``on_starting`` that
    migrated), and the modules gunicorn's master loads by running it (its top-level imports and those
    of its master hooks), each with how."""

    preload: bool = False
    reset: bool = False
    loads: dict[str, str] = field(default_factory=dict)
    name: str = "gunicorn.conf.py"
    app: str = ""  # the app module its ``wsgi_app`` setting names

    @staticmethod
    def merged(confs: Sequence[_GunicornConf]) -> _GunicornConf:
        """What several configs say together (those of one directory; a directory's and the one a
        command line names)."""
        return _GunicornConf(any(c.preload for c in confs), any(c.reset for c in confs),
                             {m: how for c in confs for m, how in c.loads.items()},
                             " and ".join(c.name for c in confs), next((c.app for c in confs if c.app), ""))


def _gunicorn_conf(path: str) -> _GunicornConf:
    try:
        tree = ast.parse(_text(path))  # (read once per load(): a command line may name it again)
    except (SyntaxError, ValueError):
        return _GunicornConf()
    name = os.path.basename(path)
    preload = reset = False
    app = ""
    loads: dict[str, str] = {}
    for stmt in tree.body:
        setting = stmt.targets[0].id if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
            and isinstance(stmt.targets[0], ast.Name) else ""
        constant = stmt.value.value if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) \
            else None
        if setting == "preload_app":
            preload = bool(constant)
        elif setting == "wsgi_app" and isinstance(constant, str):
            app = _app_module(constant) or ""
        hook = isinstance(stmt, ast.FunctionDef) and stmt.name in knowledge.GUNICORN_MASTER_HOOKS
        if isinstance(stmt, ast.FunctionDef) and stmt.name in knowledge.PRELOAD_SERVER_HOOKS | \
                knowledge.GUNICORN_MASTER_HOOKS:
            reset = reset or any(isinstance(n, ast.Attribute) and n.attr in knowledge.RESET_BEFORE_FORK
                                 for n in ast.walk(stmt))
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) or hook:
            how = f"{name}'s {stmt.name} hook" if isinstance(stmt, ast.FunctionDef) else name
            for node in ast.walk(stmt):
                for module in _imported_modules(node):
                    loads.setdefault(module, f"loaded in gunicorn's master ({how} imports it)")
    return _GunicornConf(preload, reset, loads, name, app)


def _imported_modules(node: ast.AST) -> list[str]:
    """The modules an import statement may load (``from app import db``: ``app``, and ``app.db`` if
    that is a module)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module] + [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return []


_UWSGI_APP_FLAGS = ("--module", "-w", "--wsgi", "--wsgi-file", "--file", "--mount", "--pypy-wsgi",
                    "--pypy-wsgi-file")
_UWSGI_LAZY_FLAGS = ("--lazy-apps", "--lazy")


def _server_words(line: str) -> list[str]:
    """A command line's words, also from a Dockerfile's JSON form (``CMD ["gunicorn", "app:app"]``)."""
    if line.lstrip().startswith("#"):
        return []  # a comment (a disabled command)
    return re.sub(r'[\[\]",]', " ", line).split()


def _named_gunicorn_conf(words: list[str], here: str, top: str) -> Optional[tuple[str, _GunicornConf]]:
    """The config a gunicorn command line names (``-c deploy/prod.py``, ``--config=conf/web.py``,
    ``-c python:settings.gunicorn``), whatever its file is called, with the directory its imports
    are found from (the command's, where gunicorn puts its working directory on ``sys.path``)."""
    rest = _gunicorn_args(words)
    value = ""
    for i, word in enumerate(rest):
        flag, eq, given = word.partition("=")
        if flag in ("-c", "--config"):
            value = given if eq else (rest[i + 1] if i + 1 < len(rest) else "")
        elif word.startswith("-c") and len(word) > 2 and not word.startswith("--"):
            value = word[2:]
    if not value:
        return None
    path: Optional[str]
    if value.startswith("python:"):  # a module on the path: its file under the command's directory
        module = value[len("python:"):]
        path = os.path.join(_app_root(here, module, top), module.replace(".", os.sep) + ".py")
    else:
        path = _config_file(value, here, top)
    if not path or not os.path.isfile(path):
        return None
    return here, _gunicorn_conf(path)


def _config_file(value: str, here: str, top: str) -> Optional[str]:
    """A file a command line names, as the tree holds it: relative to the command's directory or the
    tree's top, else (``/app/deploy/gunicorn_conf.py`` in a Dockerfile) the one file of the tree whose
    path ends the same way."""
    for base in () if os.path.isabs(value) else (here, top):
        candidate = os.path.normpath(os.path.join(base, value))
        if os.path.isfile(candidate):
            return candidate
    parts = [p for p in value.replace("\\", "/").split("/") if p not in ("", ".")]
    for length in range(len(parts), 0, -1):
        tail = os.path.join(*parts[-length:])
        holders = [os.path.join(d, parts[-1]) for d, files in _walk(top) if parts[-1] in files
                   and os.path.join(d, parts[-1]).endswith(os.sep + tail)]
        if len(holders) == 1:
            return holders[0]
        if holders:
            return None
    return None


def _gunicorn_args(words: list[str]) -> list[str]:
    """The words after ``gunicorn`` on its command line."""
    return words[next(i for i, w in enumerate(words) if os.path.basename(w) == "gunicorn") + 1:]


def _gunicorn_app(words: list[str]) -> tuple[Optional[str], bool]:
    """(the app module of a gunicorn command line, whether ``--preload`` is on it)."""
    rest = _gunicorn_args(words)
    return _gunicorn_app_module(rest), "--preload" in rest


def _gunicorn_app_module(words: list[str]) -> Optional[str]:
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
            continue
        if word.startswith("-"):
            skip_next = "=" not in word and word not in ("--preload", "--reload", "--daemon", "-D")
            continue
        return _app_module(word)
    return None


def _uwsgi_app(words: list[str]) -> Optional[str]:
    start = next(i for i, w in enumerate(words) if os.path.basename(w) in ("uwsgi", "pyuwsgi")) + 1
    rest = words[start:]
    if any(w.split("=", 1)[0] in _UWSGI_LAZY_FLAGS for w in rest):
        return None
    for i, word in enumerate(rest):
        flag, _, value = word.partition("=")
        if flag in _UWSGI_APP_FLAGS:
            value = value or (rest[i + 1] if i + 1 < len(rest) else "")
            if flag == "--mount":
                value = value.split("=", 1)[-1]
            if value.endswith(".py"):
                return os.path.splitext(os.path.basename(value))[0]
            return _app_module(value)
    return None


def _app_root(config_dir: str, module: str, top: str) -> str:
    """The directory a command line's app module is found from: the nearest directory, from the
    config's own up to ``top``, holding that module (a supervisor conf in ``config/`` starts
    ``wsgi`` from the directory above)."""
    relative = module.replace(".", os.sep)
    here = config_dir
    while True:
        for base in (here, os.path.join(here, "src")):  # also the src/ layout
            candidate = os.path.join(base, relative)
            if os.path.isfile(candidate + ".py") or os.path.isdir(candidate):
                return base
        if here == top or os.path.dirname(here) == here or not here.startswith(top):
            break
        here = os.path.dirname(here)
    # ``--chdir /srv/app/current/web --module wsgi``: the one directory of the tree that holds it
    holders = [d for d, _ in _walk(top) if os.path.isfile(os.path.join(d, relative + ".py"))]
    return holders[0] if len(holders) == 1 else config_dir


_FLASK_APP = re.compile(r"FLASK_APP\s*[=:]\s*[\"']?([\w./:-]+)")


_SKIPPED_DIRS = ("node_modules", "__pycache__", "site-packages")


_LISTINGS: dict[str, list[tuple[str, list[str]]]] = {}  # one walk per root for each load()


def _walk(root: str) -> list[tuple[str, list[str]]]:
    """(directory, its file names, sorted) under ``root``, hidden and vendored directories skipped:
    the one walk every config reader uses, done once per ``load()`` (the readers, and the app-module
    and ``FLASK_APP`` look-ups of each command line, all read the same listing)."""
    listing = _LISTINGS.get(root)
    if listing is None:
        listing = _LISTINGS[root] = []
        for here, dirs, files in os.walk(root) if os.path.isdir(root) else ():
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
            listing.append((here, sorted(files)))
    return listing


_TEXTS: dict[str, str] = {}  # one read per file for each load() (several readers look at the same files)


def _text(path: str) -> str:
    """A config file's text ("" if it cannot be read)."""
    text = _TEXTS.get(path)
    if text is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            text = ""
        _TEXTS[path] = text
    return text


_ENV_FILES = re.compile(r"(?:\.env|\.flaskenv|.*compose.*\.ya?ml.*|Dockerfile.*|Procfile|.*\.sh)$")


def _flask_app(root: str) -> Optional[str]:
    """``FLASK_APP`` as a project sets it for its commands: in a ``.env`` / ``.flaskenv``, a compose
    file (also a ``docker-compose.yml.example``), a Dockerfile, a Procfile or a script."""
    for here, files in _walk(root):
        for name in files:
            match = _FLASK_APP.search(_text(os.path.join(here, name))) if _ENV_FILES.match(name) else None
            if match:
                return match.group(1)
    return None


def _rq_worker_module(words: list[str], text: str) -> Optional[str]:
    """The module an RQ worker command loads in the worker process before it forks: the class of
    ``rq worker -w mod.Worker`` / ``manage.py rqworker --worker-class mod.Worker``, or the Flask
    app of Flask-RQ2's ``flask rq worker`` (``FLASK_APP``, else Flask's own ``app`` / ``wsgi``)."""
    for i, word in enumerate(words):
        flag, _, value = word.partition("=")
        if flag in ("-w", "--worker-class"):
            value = value or (words[i + 1] if i + 1 < len(words) else "")
            return value.rsplit(".", 1)[0] if "." in value else None
    if any(os.path.basename(w) == "flask" for w in words):
        match = _FLASK_APP.search(text)
        return _app_module((match.group(1) if match else "app").split(":")[0])
    return None


_ASSIGNMENT = re.compile(r"^(?:export\s+)?([A-Za-z_]\w*)\s*[:?]?=\s*(.*?)\s*$", re.M)
_REFERENCE = re.compile(r"\$(?:\(([A-Za-z_]\w*)\)|\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))")


def _expanded(text: str) -> str:
    """A script's or Makefile's lines with the variables it sets substituted (``APP_MODULE = rbac.asgi``
    then ``gunicorn "$(APP_MODULE)" --preload``), so a command line reads as it runs."""
    values = {m.group(1): m.group(2).strip("'\"") for m in _ASSIGNMENT.finditer(text)}
    if not values:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        return values.get(name, match.group(0))

    return _REFERENCE.sub(value, _REFERENCE.sub(value, text))  # twice: values that name others


@dataclass
class _Servers:
    """What server command lines and configs say: (config directory, module) -> how we know."""

    preload: dict[tuple[str, str], str] = field(default_factory=dict)  # loaded in a master that forks
    rq_workers: dict[tuple[str, str], str] = field(default_factory=dict)  # loaded by RQ workers
    served_after_fork: dict[tuple[str, str], str] = field(default_factory=dict)  # see Settings
    factories: set[str] = field(default_factory=set)  # see Settings.preload_factories
    preloading_configs: dict[str, str] = field(default_factory=dict)  # see Settings


def _command_lines(path: str, conf: _GunicornConf, root: str) -> _Servers:
    """Server command lines in a Procfile, a supervisor ``.conf``, a Dockerfile, a compose file or a
    shell script: ``gunicorn --preload app:app`` and ``uwsgi --module wsgi`` (without
    ``--lazy-apps``) load the app module in the master, which then forks the workers; RQ worker
    commands load their worker class or Flask app before forking work horses; ``gunicorn app:app``
    without preload, from a master whose config ``conf`` loads modules, serves an app the workers
    import after the fork."""
    servers = _Servers()
    found, workers = servers.preload, servers.rq_workers
    text = _text(path)
    lines = _expanded(text).splitlines(keepends=True)
    if "FLASK_APP" not in text and "flask" in text:
        flask_app = _flask_app(root)
        text += f"\nFLASK_APP={flask_app}" if flask_app else ""
    for number, line in enumerate(lines, start=1):
        words = _server_words(line)
        if "rqworker" in words or any(a == "rq" and b == "worker" for a, b in zip(words, words[1:])):
            module = _rq_worker_module(words, text)
            if module:
                here = os.path.dirname(os.path.abspath(path))
                workers[(_app_root(here, module, root), module)] = \
                    f"RQ worker ({os.path.basename(path)} line {number})"
            continue
        if "gunicorn" not in line and "uwsgi" not in line:
            continue
        line = line.split("=", 1)[1] if line.startswith(("ExecStart=", "command=", "command =")) else line
        words = _server_words(line)
        names = {os.path.basename(w) for w in words}
        where = f"{os.path.basename(path)} line {number}"
        here = os.path.dirname(os.path.abspath(path))
        if "gunicorn" in names:
            module, preload = _gunicorn_app(words)
            named = _named_gunicorn_conf(words, here, root)
            line_conf, reset = conf, ""
            if named:
                imports_from, given = named
                line_conf = _GunicornConf.merged([conf, given] if conf.name else [given])
                reset = WORKERS_RESET if given.reset and not conf.reset else ""
                found.update(((_app_root(imports_from, m, root), m), f"{how}{reset}")
                             for m, how in given.loads.items())
            if module and (preload or line_conf.preload):
                found[(_app_root(here, module, root), module)] = f"gunicorn --preload ({where}){reset}"
                servers.factories.update(f for w in _gunicorn_args(words) if (f := _app_factory(w)))
            elif module and line_conf.loads and not line_conf.reset:
                servers.served_after_fork[(_app_root(here, module, root), module)] = \
                    f"served by gunicorn's workers ({where}), forked from a master where " \
                    f"{line_conf.name}'s imports loaded the client's module first"
        elif "uwsgi" in names or "pyuwsgi" in names:
            module = _uwsgi_app(words)
            if module:
                found[(_app_root(here, module, root), module)] = f"uWSGI without lazy-apps ({where})"
    return servers


def _uwsgi(path: str, top: str) -> dict[tuple[str, str], str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return {}
    if not parser.has_section("uwsgi"):
        return {}
    return _uwsgi_section(dict(parser["uwsgi"]), path, top)


_YAML_KEY = re.compile(r"^([ \t]+)([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*(?:#.*)?$")


def _uwsgi_yaml(path: str, top: str) -> dict[tuple[str, str], str]:
    """uWSGI's YAML form (``uwsgi -y conf.yml``): the ``uwsgi:`` mapping's ``key: value`` lines, read
    without a YAML library (the core has no dependencies; these files are flat)."""
    section: dict[str, str] = {}
    inside = False
    for line in _text(path).splitlines():
        if re.match(r"^uwsgi[ \t]*:[ \t]*(?:#.*)?$", line):
            inside = True
            continue
        match = _YAML_KEY.match(line) if inside else None
        if match:
            section.setdefault(match.group(2), match.group(3).strip("'\""))
        elif inside and line.strip() and not line[:1].isspace():
            break
    return _uwsgi_section(section, path, top) if section else {}


def _uwsgi_section(section: dict[str, str], path: str, top: str) -> dict[tuple[str, str], str]:
    """The app module a ``[uwsgi]`` section loads in the master, unless it sets lazy-apps."""
    lazy = any(section.get(k, "false").strip().lower() in ("true", "1", "yes", "on")
               for k in ("lazy-apps", "lazy"))
    if lazy:
        return {}
    root = os.path.dirname(os.path.abspath(path))
    via = f"uWSGI without lazy-apps ({os.path.basename(path)})"
    for key in ("module", "wsgi"):
        value = section.get(key)
        module = _app_module(value) if value else None
        if module:  # an ini in deployment/ names ``api.server``: found from the directory above
            return {(_app_root(root, module, top), module): via}
    value = section.get("wsgi-file")
    if value:  # a script: imported by its file name, from its own directory
        return {(root, os.path.splitext(os.path.basename(value.strip()))[0]): via}
    return {}


# base images that run uWSGI on the app they are given: ``module = main`` in ``/app``, no lazy-apps
_UWSGI_IMAGES = re.compile(r"^\s*FROM\s+(?:\S+/)?tiangolo/uwsgi-nginx(?:-flask)?(?::\S+)?\s", re.I | re.M)
_COPY_TO_APP = re.compile(r"^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(\S+)\s+/app/?\s*$", re.I | re.M)


def _uwsgi_image(path: str) -> dict[tuple[str, str], str]:
    """A Dockerfile built on tiangolo's uwsgi-nginx(-flask) image: uWSGI loads ``main`` from the
    directory copied to ``/app`` in the master, then forks the workers (the image sets no
    lazy-apps; a ``uwsgi.ini`` of the app's own is read like any other)."""
    text = _text(path)
    if not _UWSGI_IMAGES.search(text + "\n"):
        return {}
    here = os.path.dirname(os.path.abspath(path))
    copied = _COPY_TO_APP.search(text)
    app_dir = os.path.normpath(os.path.join(here, copied.group(1))) if copied else here
    if os.path.isfile(os.path.join(app_dir, "uwsgi.ini")):
        return {}
    return {(app_dir, "main"): f"uWSGI of the tiangolo/uwsgi-nginx image, without lazy-apps "
                               f"({os.path.basename(path)})"}


_COMMAND_FILES = re.compile(r"(?:Dockerfile.*|.*\.dockerfile|docker-compose.*\.ya?ml|compose\.ya?ml|.*\.conf"
                            r"|.*\.sh|.*\.service|Makefile|.*\.mk"  # ... and systemd units (ExecStart=)
                            # ... and hosting platforms' start commands: Render, App Engine, Fly, Railway
                            r"|render\.ya?ml|app\.ya?ml|fly\.toml|railway\.(?:json|toml)|nixpacks\.toml)$")


def _server_configs(roots: Iterable[str]) -> _Servers:
    """What the server configs and command lines under ``roots`` say."""
    found = _Servers()
    for root in roots:
        for here, files in _walk(root):
            conf = _GunicornConf.merged([_gunicorn_conf(os.path.join(here, name)) for name in sorted(files)
                                         if knowledge.gunicorn_config(name)])
            # a hook that resets the workers' connections is the fix for them; the master still loads
            # the app, and a thread it starts there keeps running across the forks
            reset = WORKERS_RESET if conf.reset else ""
            found.preload.update(((os.path.abspath(here), module), f"{how}{reset}")
                                 for module, how in conf.loads.items())
            if conf.preload and conf.app:  # ``wsgi_app = "proj.wsgi:application"``
                app_root = _app_root(os.path.abspath(here), conf.app, os.path.abspath(root))
                found.preload[(app_root, conf.app)] = f"preload_app = True in {conf.name}{reset}"
            elif conf.preload:
                found.preloading_configs[os.path.abspath(here)] = f"preload_app = True in {conf.name}{reset}"
            for name in files:
                if name.endswith(".ini"):
                    found.preload.update(_uwsgi(os.path.join(here, name), os.path.abspath(root)))
                    continue
                if name.endswith((".yml", ".yaml")) and "uwsgi" in name.lower():
                    found.preload.update(_uwsgi_yaml(os.path.join(here, name), os.path.abspath(root)))
                if name == "Procfile":  # the app module sits beside the Procfile
                    top = os.path.abspath(here)
                elif _COMMAND_FILES.match(name):  # started from elsewhere
                    top = os.path.abspath(root)
                else:
                    continue
                if name.startswith("Dockerfile"):
                    found.preload.update(_uwsgi_image(os.path.join(here, name)))
                servers = _command_lines(os.path.join(here, name), conf, top)
                found.rq_workers.update(servers.rq_workers)
                found.preload.update((k, f"{v}{reset}") for k, v in servers.preload.items())
                found.factories.update(servers.factories)
                if not conf.reset:
                    found.served_after_fork.update(servers.served_after_fork)
    return found


_COMPOSE_FILES = re.compile(r"(?:docker-compose.*|compose)\.ya?ml$")
# a command that starts a worker (``celery -A app worker``), not a compose service named ``celery_worker:``
_CELERY_WORKER_LINE = re.compile(r"\bcelery\b.*\bworker\b")
_CELERY_POOL_FLAG = re.compile(r"(?:^|\s)(?:-P|--pool)(?:=|\s+)[\"']?(\w+)")
_CELERY_POOL_SETTING = re.compile(r"\b(?:worker_pool|CELERYD_POOL)\s*=\s*[\"'](\w+)[\"']")
_CELERY_CONFIGS = re.compile(r"(?:celery\w*|settings\w*|config\w*)\.py$")
_READMES = re.compile(r"README.*", re.IGNORECASE)


def _celery_pools(roots: Iterable[str]) -> dict[str, frozenset[str]]:
    """The pools Celery workers run with, by the directory they are described for: command lines (a
    Procfile's, a README's and a compose file's apply to their directory; a Dockerfile's or a
    script's to the whole tree) and config modules (``worker_pool``)."""
    found: dict[str, set[str]] = {}
    for root in roots:
        for here, files in _walk(root):
            for name in files:
                commands = name == "Procfile" or _COMMAND_FILES.match(name) or _READMES.match(name)
                config = _CELERY_CONFIGS.match(name)
                if not (commands or config):
                    continue
                text = _text(os.path.join(here, name))
                if "celery" not in text.lower() and "CELERYD_POOL" not in text:
                    continue
                # a compose file runs the services of its own directory (their ``build: .``)
                local = name == "Procfile" or _READMES.match(name) or config or _COMPOSE_FILES.match(name)
                pools = found.setdefault(os.path.abspath(here if local else root), set())
                for line in text.splitlines():
                    worker = bool(_CELERY_WORKER_LINE.search(line)) and not line.lstrip().startswith("#")
                    if commands and worker:
                        flag = _CELERY_POOL_FLAG.search(line)
                        pools.add(flag.group(1) if flag else "prefork")
                    setting = _CELERY_POOL_SETTING.search(line) if config else None
                    if setting:
                        pools.add(setting.group(1))
    return {where: frozenset(pools) for where, pools in found.items() if pools}


_PINS = re.compile(r"(?:\.txt|\.in|setup\.py|setup\.cfg|pyproject\.toml|Pipfile)$")


def _lazy_by_version(roots: Iterable[str]) -> frozenset[str]:
    """Clients the project's pinned versions make lazy (``Flask-SQLAlchemy==2.3.2`` in a requirements
    file: its engine is made on first use)."""
    found: set[str] = set()
    for root in roots:
        for here, files in _walk(root):
            for name in files:
                pins = _PINS.search(name) and ("requirements" in name.lower() or not name.endswith(".txt"))
                if not pins:
                    continue
                text = _text(os.path.join(here, name))
                for pattern, clients in knowledge.LAZY_BY_VERSION:
                    if re.search(pattern, text, re.IGNORECASE):
                        found.update(clients)
    return frozenset(found)


_POOLLESS_SETTING = re.compile(r"SQLALCHEMY_ENGINE_OPTIONS.{0,400}?(?:[\"']poolclass[\"']\s*:|poolclass\s*=)"
                               r"\s*(?:\w+\.)*NullPool\b", re.S)
_SETTINGS_MODULES = re.compile(r"(?:\w*(?:settings|config|conf)\w*|app)\.py$")


def _poolless_by_settings(roots: Iterable[str]) -> frozenset[str]:
    """Clients a project's settings build without a pool: Flask-SQLAlchemy given
    ``SQLALCHEMY_ENGINE_OPTIONS = {"poolclass": NullPool}`` in a settings or config module (or
    ``app.py``) keeps no connection between uses, so none is left open when the process forks."""
    for root in roots:
        for here, files in _walk(root):
            for name in files:
                path = os.path.join(here, name)
                if _SETTINGS_MODULES.match(name) and _POOLLESS_SETTING.search(_text(path)):
                    return knowledge.FLASK_SQLALCHEMY
    return frozenset()


def load(paths: Iterable[str]) -> Settings:
    """Settings for linting ``paths``: the nearest pyproject.toml's table and the server configs."""
    paths = list(paths)
    _LISTINGS.clear()  # the tree may have changed since the last load()
    _TEXTS.clear()
    clients = knowledge.catalogue()
    safe = set(knowledge.SAFE_CALLS)
    servers = _server_configs(paths)
    preload = servers.preload
    pyproject = _pyproject(paths[0]) if paths else None
    if pyproject is not None:
        table = _user_table(pyproject)
        clients.update(_names(table.get("clients", []), "clients", pyproject))
        safe.update(_names(table.get("safe", []), "safe", pyproject))
        for module in _names(table.get("preload", []), "preload", pyproject):
            preload[("", module)] = f"preloaded app module ({os.path.basename(pyproject)})"
    safe.update(_poolless_by_settings(paths))
    for name in safe:
        clients.pop(name, None)
    settings = Settings(clients, frozenset(safe), preload, servers.rq_workers, servers.served_after_fork,
                        _lazy_by_version(paths), _celery_pools(paths), frozenset(servers.factories),
                        servers.preloading_configs)
    _TEXTS.clear()  # the texts were only needed while reading the configs
    return settings
