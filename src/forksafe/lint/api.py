"""Lint one source text, one file, or many paths. A file that does not parse becomes an FS001
finding instead of an exception, so one bad file never hides the results for the rest."""

from __future__ import annotations

import ast
import os
import re
import sys
from collections import deque
from dataclasses import replace
from typing import Callable, Iterable, Optional, Sequence, Union

from . import codes, knowledge
from .analysis import Analyzer, Externals
from .config import WORKERS_RESET, Settings, load
from .entries import daemonizing_functions, embeds_server, forking_parameters, runs_rq_worker
from .exporting import import_time_calls, module_exports, resets_at_import
from .files import iter_python_files
from .findings import Finding, suppress
from .project import (
    FileResult,
    ProjectExports,
    expand_star_imports,
    implicit_relative_imports,
    imported_constructions,
    module_aliases,
    module_name,
    module_of,
    split_qualname,
    star_library_imports,
)
from .py312 import readable
from .scopes import (
    ModuleIndex,
    called_in_worker_init,
    class_bases,
    disposed_in_workers,
    document_connectors,
    import_aliases,
    index_scopes,
    nested_imports,
    orm_helpers,
    reconnects_documents_in_child,
    top_level_imports,
)
from .taint import Origin


class _AnyOf:
    """Does a source mention any of these words (regular expressions)? The plain words are looked
    for with ``bytes.__contains__`` and only the rest with ``re``: one alternation of all of them
    made ``re`` try every word at every position, about twice as slow on site-packages."""

    def __init__(self, words: Sequence[str]) -> None:
        self._plain = tuple(w.encode() for w in words if re.escape(w) == w)
        self._patterns = tuple(re.compile(w.encode()) for w in words if re.escape(w) != w)

    def search(self, data: bytes) -> bool:
        return any(w in data for w in self._plain) or any(p.search(data) for p in self._patterns)


_Trie = dict[str, "_Trie"]


def _literals(words: Iterable[str]) -> bytes:
    """An expression matching any of ``words`` (literal), factored into a trie: ``re`` matches
    ``(?:py(?:mysql|mongo))`` about three times as fast as ``pymysql|pymongo`` over a large tree,
    and with the same matches."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def expression(node: _Trie) -> str:
        branches = [re.escape(char) + expression(rest) for char, rest in sorted(node.items()) if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{group})?" if "" in node else group

    return expression(trie).encode()


_CHILDREN = _AnyOf(knowledge.CHILD_WORDS)
_STARTS = _AnyOf(knowledge.START_WORDS)
_GATES: dict[frozenset[str], re.Pattern[bytes]] = {}
# ``client.connect(host, ...)`` on an object of a library the catalogue does not know (taint._connected)
_CONNECTS = re.compile(rb"\.(?:" + b"|".join(m.encode() for m in sorted(knowledge.CONNECTING_METHODS))
                       + rb")\(\s*[^)\s]")
_DEFAULT: Optional[Settings] = None


def _default_settings() -> Settings:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Settings()
    return _DEFAULT


def _connect_gate(settings: Settings) -> re.Pattern[bytes]:
    """A byte scan proving a file can make no known client (the analysis is then skipped)."""
    names = settings.connect_modules()
    gate = _GATES.get(names)
    if gate is None:
        gate = _GATES[names] = re.compile(_literals(names))
    return gate


def _parse_error(path: str, exc: Exception) -> Finding:
    line = getattr(exc, "lineno", None) or 1
    col = getattr(exc, "offset", None) or 1
    msg = getattr(exc, "msg", None) or str(exc)
    text = f"could not parse: {msg}; {codes.PARSE_ERROR.fix}"
    return Finding(path, line, col, codes.PARSE_ERROR.code, text)


def check(data: bytes, path: str, settings: Settings, module: str = "", package: bool = False,
          externals: Optional[Externals] = None, extra: Sequence[tuple[str, str, str]] = (),
          project: bool = False, preload: Optional[str] = None,
          at_import: frozenset[str] = frozenset(), want_exports: bool = False,
          rq_loaded: bool = False) -> FileResult:
    """Pass one (``externals`` None) or pass two of one file."""
    try:
        tree = ast.parse(data, filename=path)
        data += _rewrite_imports(tree, data, path, settings, module, package, externals)
    except (SyntaxError, ValueError) as exc:
        modern = _python312_tree(data, path)
        if modern is not None:  # valid Python, newer than this interpreter: nothing to report
            tree, data = modern
            data += _rewrite_imports(tree, data, path, settings, module, package, externals)
            return _analyse(tree, data, path, settings, module, package, externals, extra, project, preload,
                            at_import, want_exports, rq_loaded)
        legacy = _python2_tree(data, path)
        if legacy is None:
            return FileResult(path, module, [_parse_error(path, exc)])
        tree, data = legacy  # reported as FS001 too: the file is not Python 3
        data += _rewrite_imports(tree, data, path, settings, module, package, externals)
        again = _analyse(tree, data, path, settings, module, package, externals, extra, project, preload,
                         at_import, want_exports, rq_loaded)
        first = _parse_error(path, exc)
        note = f"not Python 3 ({getattr(exc, 'msg', exc)}); checked as Python 2 (print/except rewritten)"
        again.findings.insert(0, Finding(first.path, first.line, first.col, first.code, note))
        return again
    return _analyse(tree, data, path, settings, module, package, externals, extra, project, preload,
                    at_import, want_exports, rq_loaded)


def _libraries(settings: Settings) -> frozenset[str]:
    """Top-level names that are libraries, not a package's own modules: the standard library's and
    those of every library the catalogue and the entry points know."""
    catalogued = settings.connect_modules()
    known = _LIBRARIES.get(catalogued)
    if known is None:
        stdlib = getattr(sys, "stdlib_module_names", frozenset(sys.builtin_module_names))
        known = _LIBRARIES[catalogued] = frozenset(stdlib) | catalogued | knowledge.LIBRARY_ROOTS
    return known


_LIBRARIES: dict[frozenset[str], frozenset[str]] = {}


def _rewrite_imports(tree: ast.Module, data: bytes, path: str, settings: Settings, module: str,
                     package: bool, externals: Optional[Externals]) -> bytes:
    """Imports the later steps can resolve like any other: implicit relative ones, star imports.
    Gives the text of the imports a star brought in, for the byte scans that gate the analysis
    (``import sqlalchemy as db`` read from ``from .imports import *``)."""
    added = b""
    if module and ("." in module or package):
        implicit_relative_imports(tree, path, module, package, _libraries(settings))
    if b"import *" in data:
        added = star_library_imports(tree, path, module, package, _libraries(settings))
        expand_star_imports(tree, module, package, _star_names(settings, externals))
    return added


def _star_names(settings: Settings, externals: Optional[Externals]) -> Callable[[str], list[str]]:
    """What ``from M import *`` binds that matters: M's clients in the catalogue (``from peewee
    import *`` gives ``SqliteDatabase``), and what a project module M exports (pass two)."""
    def names(module: str) -> list[str]:
        known = [q[len(module) + 1:] for q in settings.clients
                 if q.startswith(module + ".") and "." not in q[len(module) + 1:]]
        return known + (externals.star_names(module) if externals is not None else [])

    return names


# (a statement continued with a backslash is taken whole: ``print >>sys.stderr, "%s" % \``)
_PRINT = re.compile(rb"^([ \t]*)print(?:[ \t]+((?:[^\n]*\\\n)*.*?))?[ \t]*(#.*)?$", re.M)
_EXCEPT = re.compile(rb"^([ \t]*except[ \t]+[\w.() ,]+?)[ \t]*,[ \t]*(\w+)[ \t]*:", re.M)
# ``except OSError, (errno, msg):`` and Python 2.6's ``except OSError as (errno, msg):``
_EXCEPT_TUPLE = re.compile(rb"^([ \t]*except[ \t]+[\w.]+?)[ \t]*(?:,|[ \t]as)[ \t]*\([\w, ]*\)[ \t]*:", re.M)
_RAISE = re.compile(rb"^([ \t]*raise[ \t]+[\w.]+)[ \t]*,[ \t]*(.+?)[ \t]*$", re.M)
_OCTAL = re.compile(rb"(?<![\w.])0([0-7]+)(?![\w.])")
# ``async`` / ``await`` as names (a module ``pkg.async``, keywords only since Python 3.7): renamed as
# ``project.module_name`` names such a module
_KEYWORD_NAME = re.compile(rb"\b(async|await)\b(?!\s+(?:def|with|for)\b)")


def _print_call(match: re.Match[bytes]) -> bytes:
    """``print x, y`` -> ``print(x, y)``; ``print >>f, x`` -> ``print(x, file=f)``."""
    args = match.group(2) or b""
    if args.startswith(b">>"):
        stream, _, rest = args[2:].partition(b",")
        args = (rest.strip() + b", " if rest.strip() else b"") + b"file=" + stream.strip()
    return match.group(1) + b"print(" + args + b")"


def _python312_tree(data: bytes, path: str) -> Optional[tuple[ast.Module, bytes]]:
    """A file that uses Python 3.12's syntax (``f'{row['id']}'``, ``class Repo[T]:``), read by an
    older interpreter: parsed as ``py312.readable`` rewrites it, line numbers kept."""
    if sys.version_info >= (3, 12) or not _PY312.search(data):
        return None
    blanked = readable(data.decode("utf-8", "replace"))
    if blanked is None:
        return None
    try:
        return ast.parse(blanked, filename=path), blanked.encode("utf-8")
    except (SyntaxError, ValueError):
        return None


# an f-string's start, a class's or function's type parameters, a ``type`` alias
_PY312 = re.compile(rb"(?<![\w])[rRbBuU]?[fF][rR]?['\"]|(?:class|def)\s+\w+\s*\[|^\s*type\s+\w+\s*[\[=]",
                    re.M)


_PRINT_START = re.compile(rb"^[ \t]*print[ \t]+[^=\s]")


def _joined_prints(data: bytes) -> bytes:
    """A ``print`` statement continued inside brackets (``print "x: {v}".format(`` then ``v=1)`` on
    the next line) gets a backslash at the end of each line but its last, so that ``_PRINT`` takes
    it whole, as it does a statement continued with backslashes."""
    lines = data.split(b"\n")
    i = 0
    while i < len(lines):
        if _PRINT_START.match(lines[i]):
            depth = _bracket_depth(lines[i])
            while depth > 0 and i + 1 < len(lines):
                lines[i] += b" \\"
                i += 1
                depth += _bracket_depth(lines[i])
        i += 1
    return b"\n".join(lines)


def _bracket_depth(line: bytes) -> int:
    """Brackets a line opens minus those it closes, outside its strings and its comment."""
    depth, quote, i = 0, 0, 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == 0x5C:  # a backslash escapes the next character
                i += 1
            elif char == quote:
                quote = 0
        elif char in b"'\"":
            quote = char
        elif char == 0x23:  # ``#``: the rest is a comment
            break
        elif char in b"([{":
            depth += 1
        elif char in b")]}":
            depth -= 1
        i += 1
    return depth


def _python2_tree(data: bytes, path: str) -> Optional[tuple[ast.Module, bytes]]:
    """Python 2 sources (``print x``, ``print >>f, x``, ``except E, e:``, ``raise E, "text"``, ``0777``,
    ``import pkg.async``) are still common in old scripts: rewrite those statements line for line (line
    numbers are kept) and parse again."""
    if b"print" not in data and b"except" not in data and b"raise" not in data and b"async" not in data \
            and not _OCTAL.search(data):
        return None
    text = _PRINT.sub(_print_call, _joined_prints(data))
    text = _EXCEPT_TUPLE.sub(lambda m: m.group(1) + b" as _error:", text)
    text = _EXCEPT.sub(lambda m: m.group(1) + b" as " + m.group(2) + b":", text)
    text = _RAISE.sub(lambda m: m.group(1) + b"(" + m.group(2) + b")", text)
    text = _OCTAL.sub(lambda m: b"0o" + m.group(1), text)
    text = _KEYWORD_NAME.sub(lambda m: m.group(1) + b"_", text)
    try:
        return ast.parse(text, filename=path), text
    except (SyntaxError, ValueError):
        return None


def _client_call_gate(settings: Settings) -> re.Pattern[bytes]:
    """A byte scan for a call of a known client by its last name (``connect(``, ``MongoClient(``): a
    file with none makes no connection itself, so it exports nothing and can only be affected by what
    other modules make (pass two)."""
    key = frozenset(settings.clients)
    gate = _CALL_GATES.get(key)
    if gate is None:
        last = sorted({q.rsplit(".", 1)[-1] for q in settings.clients})
        names = _literals(last)
        mods = _literals(settings.connect_modules())
        # ... or the client is imported under another name (``from MySQLdb import connect as c``)
        renamed = (rb"(?:from\s+(?:" + mods + rb")[\w.]*\s+import[^\n]*\bas\b|import\s+(?:" + mods
                   + rb")[\w.]*\s+as\b)")
        # ... or a class extends one (``class MyPool(ThreadedConnectionPool)``)
        subclass = rb"class\s+\w+\([^)]*\b(?:" + names + rb")\b"
        gate = _CALL_GATES[key] = re.compile(rb"\b(?:" + names + rb")\s*\(|django|" + renamed
                                             + b"|" + subclass)
    return gate


_CALL_GATES: dict[frozenset[str], re.Pattern[bytes]] = {}


def _analyse(tree: ast.Module, data: bytes, path: str, settings: Settings, module: str, package: bool,
             externals: Optional[Externals], extra: Sequence[tuple[str, str, str]],
             project: bool, preload: Optional[str] = None,
             at_import: frozenset[str] = frozenset(), want_exports: bool = False,
             rq_loaded: bool = False) -> FileResult:
    preload = preload or settings.preloaded(path, module)
    pools = _imported_pools(tree, data, path, module, package, settings) \
        if project or externals is not None else {}
    # ... or (pass two) it calls another module's function that forks what it is given (``parallel(ids,
    # worker)``)
    children = bool(_CHILDREN.search(data)) or bool(extra) or preload is not None or bool(pools) \
        or (externals is not None and bool(externals.forking()) and externals.calls_forking(
            frozenset(import_aliases(tree, module, package).values())))
    # an object the program connects itself counts in the module that starts children with it
    makes = (bool(_connect_gate(settings).search(data)) and bool(_client_call_gate(settings).search(data))) \
        or (children and (bool(_CONNECTS.search(data)) or b"create_all(" in data))  # taint._engines_by_use
    serving = project and bool(settings.preload)  # a preloaded app: every module may be part of it
    aliases = import_aliases(tree, module, package) if project else {}
    imports = frozenset(aliases.values()) | top_level_imports(tree) | nested_imports(tree, module, package) \
        if project else frozenset()
    starts = project and children and bool(_STARTS.search(data))
    rq_worker = project and b"rq" in data and b"Worker" in data and runs_rq_worker(tree, aliases)
    orm = orm_helpers(tree) if project and b".objects" in data else frozenset()
    connectors = document_connectors(tree, aliases) if project and b"mongoengine" in data else frozenset()
    connects = _connects_at_import(data, aliases, module) if project and b"connect" in data else frozenset()
    embedded = project and b"Application" in data and b"gunicorn" in data and embeds_server(tree, aliases)
    django = project and b"django" in data
    serving = serving or embedded  # the module that runs gunicorn: its import-time calls matter
    base = FileResult(path, module, [], aliases=aliases, imports=imports, children=children, starts=starts,
                      rq_worker=rq_worker, orm_helpers=orm, orm_connectors=connectors,
                      connects_at_import=connects, celery_app=project and b"Celery(" in data, django=django,
                      top_imports=(frozenset(aliases.values()) | top_level_imports(tree)) if project
                      else frozenset(),
                      disposes_in_workers=disposed_in_workers(tree, aliases) if project
                      and b"worker_process_init" in data and b"dispose" in data else frozenset(),
                      renews_in_workers=called_in_worker_init(tree, aliases, module) if project
                      and b"worker_process_init" in data else frozenset(),
                      daemonizers=daemonizing_functions(tree, aliases, module) if project
                      and b"fork(" in data else frozenset(),
                      forking=forking_parameters(tree, aliases, module) if starts else frozenset(),
                      class_bases=class_bases(tree, aliases, module) if project and b"class " in data else {},
                      embedded=embedded, reconnects_documents=project and b"worker_process_init" in data
                      and b"mongoengine" in data and reconnects_documents_in_child(tree, aliases))
    if externals is None and not makes and not serving:
        # Nothing here makes a connection: only pass two (with what other modules export) can find
        # anything, and only if this module starts children or serves helpers to modules that do.
        return _with_import_calls(base, tree, data, package, settings, project)
    if not children and not (project and makes) and not serving and not want_exports:
        quiet = replace(base, children=False, starts=False)
        return _with_import_calls(quiet, tree, data, package, settings, project)
    index_scopes(tree)
    analyzer = Analyzer(tree, path, settings, module, package, externals, extra,
                        want_exports=(project and makes) or want_exports, preload=preload,
                        at_import=at_import, rq_loaded=rq_loaded, imported_pools=pools)
    found = analyzer.findings()
    if found:
        found = suppress(found, data.decode("utf-8", "replace").splitlines())
    result = replace(base, findings=found, has_entries=not analyzer.empty, remote=analyzer.remote_entries())
    if project or want_exports:
        if makes or want_exports:
            exports = module_exports(analyzer, module)
            result.exports = exports if exports else None
        result.imports = imports | frozenset(analyzer.index.imports.values())
        result.resets_at_import = resets_at_import(analyzer)
        if serving or settings.lazy_clients or _runs_calls_at_import(data):  # what runs at import runs in
            # the parent (a master) runs them, not the workers
            result.import_calls, result.function_calls = import_time_calls(analyzer.index)
    return result


_POOL_USE = re.compile(rb"\.(?:submit|map|imap|imap_unordered|starmap|apply|apply_async|map_async)\(")


def _imported_pools(tree: ast.Module, data: bytes, path: str, module: str, package: bool,
                    settings: Settings) -> dict[str, tuple[str, int]]:
    """Process pools this module imports from another module of the project (``from .drivers
    import executor``) and hands work to: local name -> (constructor, the import's line)."""
    if not _POOL_USE.search(data):
        return {}
    made = imported_constructions(tree, path, module, package, _libraries(settings))
    return {name: (qual, line) for name, (qual, line) in made.items()
            if qual in knowledge.POOL_CLASSES or qual in knowledge.EXECUTOR_CLASSES}


_LINE_CALL = re.compile(rb"^([A-Za-z_][\w.]*)\s*\(", re.M)
# ``app = create_app()`` at the top level: an app factory's run at import binds the Flask extensions
# (``db.init_app(app)``) in the importing process (``knowledge.BOUND_BY``)
_APP_FACTORY_CALL = re.compile(rb"^[A-Za-z_]\w*\s*=\s*[\w.]*(?i:app)\w*\s*\(", re.M)
_INDENTED_CALL = re.compile(rb"^[ \t]+([A-Za-z_][\w.]*)\s*\(", re.M)
_MAIN_GUARD = re.compile(rb"^if\s+__name__\s*==\s*[\"']__main__[\"']\s*:[^\n]*\n", re.M)
_MAIN_BLOCK = re.compile(rb"(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*")  # the indented block after it
# a compound statement at the top level (``if DB_ENV == "server":`` / ``else:`` / ``try:`` in a
# settings module): the calls in its block run at import too
_TOP_BLOCK = re.compile(rb"^(?:if|elif|else|try|except|finally|with)\b[^\n]*:[ \t]*(?:#[^\n]*)?\n", re.M)


def _connects_at_import(data: bytes, aliases: dict[str, str], module: str) -> frozenset[tuple[str, int]]:
    """Qualified names of the calls a module makes at import that may connect: a line that starts
    with ``name(`` and whose name says ``connect`` (``connect_mongo("worker")``), found without an
    analysis of the module (most modules have none)."""
    found: set[tuple[str, int]] = set()
    guard = _MAIN_GUARD.search(data)  # ... and under ``if __name__ == "__main__":`` (the parent too)
    block = _MAIN_BLOCK.match(data, guard.end()) if guard else None
    matches = list(_LINE_CALL.finditer(data))
    if block is not None:
        matches += list(_INDENTED_CALL.finditer(data, block.start(), block.end()))
    for opening in _TOP_BLOCK.finditer(data):
        body = _MAIN_BLOCK.match(data, opening.end())
        if body is not None:
            matches += [m for m in _INDENTED_CALL.finditer(data, body.start(), body.end())
                        if not _in_nested_def(data, body.start(), m.start())]
    for match in matches:
        name = match.group(1).decode()
        if "connect" not in name or _LAZY_CONNECT.search(_call_text(data, match.end() - 1)):
            continue  # ``connect(..., connect=False)``: a lazy client, opened by whoever queries first
        head, _, rest = name.partition(".")
        imported = re.search(rb"^\s*import\s+" + re.escape(head.encode()) + rb"\s*$", data, re.M)
        # ``import mongoengine`` binds the library; another name is this module's own function
        qual = aliases.get(head, head if imported or not module else f"{module}.{head}")
        found.add((qual + (f".{rest}" if rest else ""), data.count(b"\n", 0, match.start()) + 1))
    return frozenset(found)


_LAZY_CONNECT = re.compile(rb"\bconnect\s*=\s*False\b")


def _call_text(data: bytes, opening: int) -> bytes:
    """The lines of a call from its opening parenthesis at ``opening`` to the line that closes it
    (the call may span lines; ``_bracket_depth`` skips strings and comments): enough to read a
    keyword argument."""
    lines: list[bytes] = []
    depth = 0
    for line in data[opening:].split(b"\n"):
        lines.append(line)
        depth += _bracket_depth(line)
        if depth <= 0 or len(lines) > 50:
            break
    return b"\n".join(lines)


def _in_nested_def(data: bytes, start: int, at: int) -> bool:
    """Is the line at ``at`` inside a ``def`` or ``class`` that a top-level block (from ``start``)
    defines? Its calls run when it is called, not at import."""
    indent = len(data[at:at + 200]) - len(data[at:at + 200].lstrip(b" \t"))
    for line in reversed(data[start:at].splitlines()):
        stripped = line.lstrip(b" \t")
        if stripped and len(line) - len(stripped) < indent \
                and stripped.startswith((b"def ", b"async def ", b"class ")):
            return True
    return False


def _runs_calls_at_import(data: bytes) -> bool:
    """Does the module call something at its top level that may matter to other modules: a bare call
    (``connection.initialize()``) or an app factory (``app = create_app()``)?"""
    return bool(_LINE_CALL.search(data) or _APP_FACTORY_CALL.search(data)) \
        or any(signal.encode() in data for signal in knowledge.CELERY_PARENT_SIGNALS)


def _with_import_calls(result: FileResult, tree: ast.Module, data: bytes, package: bool,
                       settings: Settings, project: bool) -> FileResult:
    """A project with clients that open only on first use (``Settings.lazy_clients``) needs to know
    what every module's import runs, to tell whether the parent used one; so does gunicorn's config
    module, whatever the project: its master hooks run project code before the workers fork; and so
    does a module with a call at its top level (``connection.initialize()``), which may set another
    module's global client at import, or build the app (``app = create_app()``, binding its
    extensions in this process)."""
    server_config = knowledge.gunicorn_config(os.path.basename(result.path))
    if project and (settings.lazy_clients or server_config or _runs_calls_at_import(data)):
        index = ModuleIndex(tree, result.module, package)
        result.import_calls, result.function_calls = import_time_calls(index)
    return result


def lint_source(source: Union[str, bytes], path: str = "<string>",
                settings: Optional[Settings] = None, module: str = "") -> list[Finding]:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return check(data, path, settings or _default_settings(), module).findings


def _read(path: str) -> Union[bytes, Finding]:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return Finding(path, 1, 1, codes.PARSE_ERROR.code, f"could not read: {exc.strerror}")


def lint_file(path: str, settings: Optional[Settings] = None) -> list[Finding]:
    data = _read(path)
    if isinstance(data, Finding):
        return [data]
    module, package = module_name(path)
    return check(data, path, settings or _default_settings(), module, package).findings


_WORKER_SETTINGS: Optional[Settings] = None


def _worker_init(settings: Settings) -> None:
    """Each lint process gets the settings once (not pickled with every file)."""
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings


def _pass_one_in_worker(path: str) -> FileResult:
    assert _WORKER_SETTINGS is not None
    return _pass_one(path, _WORKER_SETTINGS)


def _pass_one(path: str, settings: Settings) -> FileResult:
    data = _read(path)
    module, package = module_name(path)
    if isinstance(data, Finding):
        return FileResult(path, module, [data])
    return check(data, path, settings, module, package, project=True)


def lint_paths(paths: Iterable[str], exclude: Iterable[str] = (), jobs: int = 1,
               settings: Optional[Settings] = None) -> list[Finding]:
    """Lint every Python file under ``paths`` as one project; ``jobs > 1`` spreads pass one over
    processes (parsing is CPU-bound and holds the GIL), results in the same order as ``jobs=1``."""
    paths = list(paths)
    settings = settings or load(paths)
    files = list(iter_python_files(paths, list(exclude)))
    if jobs > 1 and len(files) >= _PARALLEL_MIN_FILES:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(settings,)) as pool:
            results = list(pool.map(_pass_one_in_worker, files, chunksize=32))
    else:
        results = [_pass_one(path, settings) for path in files]
    _pass_two(results, settings)
    return [f for r in results for f in r.findings]


def _module_table(results: list[FileResult], settings: Settings) -> dict[str, FileResult]:
    """Every module by its package name, then by the other names it may be imported by (namespace
    packages, scripts run from their directory); the first file to claim a name keeps it."""
    table: dict[str, FileResult] = {r.module: r for r in results if r.module}
    for r in results:
        for name in module_aliases(r.path, r.module):
            table.setdefault(name, r)
    libraries = _libraries(settings)
    for r in results:  # ``app/app.py`` run from app/ imports ``util.client`` (``app.util.client``)
        inner = r.module.split(".")[1:]
        if inner and inner[0] not in libraries:
            table.setdefault(".".join(inner), r)
    return table


_HELPER_DEPTH = 6


def _refresh_exports(results: list[FileResult], modules: dict[str, FileResult], settings: Settings,
                     externals: ProjectExports) -> None:
    """Helpers of helpers (``controller -> model -> db``): modules that the child-starting modules
    import, and that import an exporting module, export what they reach through it: up to six modules
    away from the one that forks (a preloaded app's ``api -> search.server -> substring_search -> db ->
    utils``), one round per level. The modules that call into a child-starting module are refreshed
    too: what they pass it (``start_workers(conn)``, ``conn`` from another module's factory) is known
    only with their imports' exports."""
    starting = [r for r in results if r.has_entries or r.starts or settings.preloaded(r.path, r.module)]
    starters = {id(r) for r in starting}
    wanted: dict[str, FileResult] = {}
    todo = deque((q, 1) for r in starting for q in sorted(r.imports))
    for r in results:  # the modules that call into another module that starts children
        imported = (modules[found[0]] for q in r.imports if (found := module_of(q, modules)) is not None)
        if r.module and any(id(m) in starters and m is not r for m in imported):
            todo.append((r.module, 1))
    while todo:  # breadth first: a module is expanded from the depth it is nearest at
        qual, depth = todo.popleft()
        found = module_of(qual, modules)
        if found is None or found[0] in wanted:
            continue
        target = modules[found[0]]
        wanted[found[0]] = target
        if depth < _HELPER_DEPTH:
            todo.extend((q, depth + 1) for q in sorted(target.imports))
            todo.extend((p, depth + 1) for p in _packages(found[0], modules))
    changed: Optional[dict[str, object]] = None  # modules whose exports the last round changed
    for _ in range(_HELPER_DEPTH - 1):
        now: dict[str, object] = {}
        for name, r in wanted.items():
            if not externals.touches(r.imports):
                continue
            if changed is not None and not any(  # its imports exported the same as last round
                    q in changed or split_qualname(q, changed) is not None for q in r.imports):
                continue
            data = _read(r.path)
            if isinstance(data, Finding):
                continue
            module, package = module_name(r.path)
            again = check(data, r.path, settings, module, package, externals, want_exports=True)
            if again.exports and again.exports != externals.by_module.get(name):
                for key in {module, name}:
                    externals.set_exports(key, again.exports)
                    now[key] = True
                # the packages that re-export it (``from .bio import *``), by every name they are
                # imported by (``models`` for ``website.models``): their importers see it change too
                packages = {id(modules[p]) for p in _packages(module, modules) if any(
                    v == module or v.startswith(module + ".") for v in modules[p].aliases.values())}
                if packages:
                    now.update((alias, True) for alias, result in modules.items() if id(result) in packages)
        if not now:
            break
        changed = now


def _preloaded_closure(results: list[FileResult], settings: Settings,
                       modules: dict[str, FileResult]) -> dict[str, str]:
    """Modules a preloaded app imports (transitively, within the project): their functions also run in
    the forked workers. An app module that disposes or closes its connections at import end is the
    documented fix, and preloads nothing here."""
    starts: list[tuple[str, str]] = []
    for r in results:
        via = settings.preloaded(r.path, r.module)
        if via is None and r.embedded:
            via = f"gunicorn run by the program itself ({os.path.basename(r.path)})"
        if via is not None and not r.resets_at_import:
            starts.append((r.module, via))
    return _loaded_with(starts, modules)


def _loaded_with(starts: list[tuple[str, str]], modules: dict[str, FileResult]) -> dict[str, str]:
    """The project modules importing each start module loads (canonical names, the starts included):
    the packages it is in, then what it imports, transitively; each with how it came to be loaded."""
    todo = list(starts)
    closure: dict[str, str] = {}
    while todo:
        module, via = todo.pop()
        if module not in modules or modules[module].module in closure:
            continue
        canonical = modules[module].module
        closure[canonical] = via
        todo.extend((package, f"{via}, package of {canonical}") for package in _packages(canonical, modules))
        for qual in sorted(modules[module].imports):  # sorted: the same chain from every worker
            found = split_qualname(qual, modules)
            target = qual if qual in modules else found[0] if found is not None else None
            if target is not None:  # ``import app.jobs`` loads app.jobs (after its package)
                todo.append((target, f"{via}, imported by {canonical}"))
    return closure


def _set_up_by_django(results: list[FileResult], settings: Settings, modules: dict[str, FileResult],
                      served: dict[str, str]) -> dict[str, str]:
    """The modules ``django.setup()`` loads in a preforking server's master — every app's ``apps`` and
    ``models`` modules, with what they import — where the master sets Django up before it forks: a
    preloaded module calls ``get_wsgi_application()`` at import, or a gunicorn config in the project
    preloads an app it does not name (a Django project's is its WSGI application). Each app's
    ``AppConfig.ready()`` runs there too. Not where the server's hooks reset the workers' connections."""
    # the directory a preloaded module that sets Django up is imported from -> how we know
    setups = {_import_root(r): f"{served[r.module]}, whose import of {r.module} runs django.setup()"
              for r in results if r.module in served and r.import_calls & knowledge.DJANGO_SETUP_CALLS}
    if not setups and not settings.preloading_configs:
        return {}
    configs = {root: f"{how}, serving the Django project's WSGI application"
               for root, how in settings.preloading_configs.items()}
    starts: list[tuple[str, str]] = []
    for r in results:
        if not r.django or r.module.rsplit(".", 1)[-1] not in knowledge.DJANGO_SETUP_MODULES:
            continue
        full = os.path.abspath(r.path)
        via = next((how for table in (setups, configs) for root, how in table.items()
                    if full.startswith(root + os.sep)), None)
        if via is not None and WORKERS_RESET not in via:
            starts.append((r.module, f"{via}, which imports {r.module}"))
    return {m: via for m, via in _loaded_with(starts, modules).items() if m not in served}


def _import_root(result: FileResult) -> str:
    """The directory a module is imported from (``proj/`` above ``proj/site/wsgi.py`` for ``site.wsgi``)."""
    root = os.path.dirname(os.path.abspath(result.path))
    for _ in range(result.module.count(".") + (os.path.basename(result.path) == "__init__.py")):
        root = os.path.dirname(root)
    return root


def _served_after_fork(results: list[FileResult], settings: Settings, modules: dict[str, FileResult],
                       served: dict[str, str]) -> dict[str, str]:
    """The modules gunicorn's workers load when they import the app after the fork (not those the
    master loaded already), each with how we know."""
    starts = [(r.module, via) for r in results
              if (via := settings.served_by_forked_workers(r.path, r.module)) is not None]
    return {m: via for m, via in _loaded_with(starts, modules).items() if m not in served} if starts else {}


def _run_at_import(results: list[FileResult], modules: dict[str, FileResult],
                   factories: frozenset[str] = frozenset()) -> frozenset[str]:
    """Qualified names of the functions a preloaded app's import runs in the master: what modules
    call at import (and the app factories gunicorn calls there), and what those functions call in
    turn (within the project)."""
    todo = [q for r in results for q in r.import_calls] + sorted(factories)
    done: set[str] = set()
    while todo:
        qual = todo.pop()
        if qual in done:
            continue
        done.add(qual)
        found = split_qualname(qual, modules)
        if found is not None:
            module = modules[found[0]]
            canonical = f"{module.module}.{found[1]}"
            done.add(canonical)
            todo.extend(module.function_calls.get(found[1], ()))
    return frozenset(done)


def _packages(module: str, modules: dict[str, FileResult]) -> list[str]:
    """The project packages importing ``module`` imports first (``api`` for ``api.server``: its
    ``__init__.py`` runs, with whatever it imports, before the module itself)."""
    parts = module.split(".")
    return [name for name in (".".join(parts[:i]) for i in range(1, len(parts))) if name in modules]


def _remote_extras(results: list[FileResult],
                   modules: dict[str, FileResult]) -> dict[str, list[tuple[str, str, str]]]:
    extra: dict[str, list[tuple[str, str, str]]] = {}
    for result in results:
        for qual, kind, via in result.remote:
            found = split_qualname(qual, modules)
            target = modules[found[0]].module if found is not None else ""  # by its own name
            if found is not None and target != result.module:  # (``src.scraper`` is ``scraper``)
                extra.setdefault(target, []).append((found[1], kind, f"{via} in {result.module}"))
    return extra


def _pass_two(results: list[FileResult], settings: Settings) -> None:
    """Re-check, with what the project exports, the modules that start children and import an exporting
    module, the modules a preloaded app is made of, and then the modules other modules fork into."""
    modules = _module_table(results, settings)
    exported = {name: r.exports for name, r in modules.items() if r.exports is not None}
    served = _preloaded_closure(results, settings, modules) \
        if settings.preload or any(r.embedded for r in results) else {}
    served.update(_set_up_by_django(results, settings, modules, served))
    workers = [r for r in results if r.rq_worker or settings.rq_worker(r.path, r.module)]
    rq_loaded = set(_loaded_with([(r.module, "") for r in workers if r.module], modules))
    orm = {name: r.orm_helpers for name, r in modules.items() if r.orm_helpers}
    connectors = {name: r.orm_connectors for name, r in modules.items() if r.orm_connectors}
    # a module that makes the Celery app first: the worker imports it before forking its pool
    connecting = sorted((not r.celery_app, q, r.path, line)
                        for r in results for q, line in r.connects_at_import)
    if not exported and not served and not rq_loaded and not orm and not connectors \
            and not any(r.remote or r.forking for r in results):
        return
    aliases = {name: r.aliases for name, r in modules.items() if r.aliases}
    externals = ProjectExports({k: v for k, v in exported.items() if v is not None}, aliases, orm, connectors,
                               django=any(r.django for r in results), modules=modules,
                               class_bases={n: r.class_bases for n, r in modules.items() if r.class_bases})
    _refresh_exports(results, modules, settings, externals)
    at_import = _run_at_import(results, modules, settings.preload_factories)
    externals.set_at_import(at_import)
    canonical = {name: r.module for name, r in modules.items()}
    externals.set_top_imports(frozenset(
        canonical[found[0]] for r in results for q in r.top_imports
        if (found := module_of(q, canonical)) is not None), canonical)
    externals.set_disposed_in_workers((q for r in results for q in r.disposes_in_workers),
                                      (q for r in results for q in r.renews_in_workers))
    externals.set_daemonizers(frozenset(q for r in results for q in r.daemonizers))
    externals.set_forking(p for r in results for p in r.forking)
    after_fork = _served_after_fork(results, settings, modules, served)
    externals.set_served_after_fork(after_fork, frozenset(os.path.abspath(modules[m].path) for m in served))
    externals.set_documents_connected(next(
        (Origin("", line, "mongoengine.connect() at import" if q in knowledge.DOCUMENT_ORM_CONNECTS
                else f"mongoengine.connect() by {q.rsplit('.', 1)[-1]}() at import", path=path,
                kind="MongoDB client") for _, q, path, line in connecting
         if q in knowledge.DOCUMENT_ORM_CONNECTS or externals.orm_connector(q)), None)
        if not any(r.reconnects_documents for r in results) else None)
    extra = _remote_extras(results, modules)
    done: dict[int, int] = {}  # index -> how many extras it was checked with
    for round_ in range(2):  # a second round for the entries the first round found in other modules
        for i, result in enumerate(results):
            wanted = extra.get(result.module, [])
            preload = served.get(result.module) or after_fork.get(result.module)
            starts = result.has_entries or result.children
            loaded = result.module in rq_loaded and not result.rq_worker  # a worker module knew already
            if round_ == 0 and not wanted and preload is None and not (loaded and result.children) \
                    and not (result.rq_worker and orm) and not externals.calls_forking(result.imports) \
                    and not (starts and (externals.touches(result.imports)
                                         or externals.receives(result.module)
                                         or externals.documents_connected() is not None)):
                continue
            if round_ == 1 and len(wanted) <= done.get(i, -1 if wanted else 0):
                continue
            data = _read(result.path)
            if isinstance(data, Finding):
                continue
            module, package = module_name(result.path)
            again = check(data, result.path, settings, module, package, externals, wanted, preload=preload,
                          at_import=at_import, rq_loaded=result.module in rq_loaded)
            results[i] = replace(result, module=module, findings=again.findings, remote=again.remote)
            done[i] = len(wanted)
        extra = _remote_extras(results, modules)


_PARALLEL_MIN_FILES = 64
