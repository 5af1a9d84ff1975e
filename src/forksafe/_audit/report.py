"""Gathering every process's records into one fork audit report (JSON), at the top's exit.

A *crossing* is one place in the user's code (``file:line``, driver or client) whose object a
forked child inherited; for each, the report lists the processes that made it, every child that
met it and what forksafe did there: ``reconnected``, ``warned``, ``raised``, ``kept``, ``reset``,
or ``quarantined`` (inherited, never used: cut off from the server, nothing sent).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
import time
from collections import Counter, defaultdict
from typing import Any, Optional

FORMAT = 1
QUARANTINED = "quarantined"


def read_records(record_dir: str) -> list[dict[str, Any]]:
    """Every record of every process, oldest first; a torn last line (a killed process) is skipped."""
    records: list[dict[str, Any]] = []
    try:
        names = sorted(os.listdir(record_dir))
    except OSError:
        return records
    for name in names:
        if not name.endswith(".jsonl"):
            continue
        try:
            with open(os.path.join(record_dir, name), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    records.sort(key=lambda r: float(r.get("t", 0.0)))
    return records


def build(records: list[dict[str, Any]], top_pid: int, command: Optional[list[str]] = None) -> dict[str, Any]:
    """The report: processes, and one crossing per (origin, label, kind) with every child's action."""
    processes: dict[int, dict[str, Any]] = {}
    actions: dict[tuple[str, str, str], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    made: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    acted: Counter[tuple[int, str, str, str, int]] = Counter()
    inherited: list[tuple[int, dict[str, Any]]] = []
    events = 0
    for r in records:
        pid = int(r.get("pid", 0))
        if r.get("record") == "process":
            processes.setdefault(pid, {"pid": pid, "ppid": r.get("ppid"), "forked": bool(r.get("forked"))})
            inherited += [(pid, lease) for lease in r.get("inherited", [])]
        elif r.get("record") == "event":
            events += 1
            key = (str(r["origin"]), str(r["label"]), str(r["kind"]))
            actions[key][pid].append(str(r["action"]))
            made[key].add(int(r["made_pid"]))
            acted[(pid, key[0], key[1], key[2], int(r["made_pid"]))] += 1
    for pid, lease in inherited:  # inherited and never acted on: quarantined, nothing sent
        key = (str(lease["origin"]), str(lease["label"]), str(lease["kind"]))
        slot = (pid, key[0], key[1], key[2], int(lease["made_pid"]))
        if acted[slot] > 0:
            acted[slot] -= 1
            continue
        actions[key][pid].append(QUARANTINED)
        made[key].add(int(lease["made_pid"]))
    crossings = [_crossing(key, by_pid, made[key]) for key, by_pid in actions.items()]
    crossings.sort(key=lambda c: (-len(c["children"]), c["origin"]))
    return {
        "forksafe_report": FORMAT,
        "forksafe_version": _version(),
        "top_pid": top_pid,
        "command": command if command is not None else list(sys.argv),
        "started": min((float(r.get("t", 0.0)) for r in records), default=time.time()),
        "finished": time.time(),
        "processes": sorted(processes.values(), key=lambda p: int(p["pid"])),
        "events": events,
        "crossings": crossings,
    }


def _crossing(key: tuple[str, str, str], by_pid: dict[int, list[str]], made_pids: set[int]) -> dict[str, Any]:
    origin, label, kind = key
    path, line = split_origin(origin)
    counts: Counter[str] = Counter()
    children = []
    for pid in sorted(by_pid):
        for action in by_pid[pid]:
            counts[action] += 1
        children.append({"pid": pid, "actions": by_pid[pid]})
    return {"origin": origin, "file": path, "line": line, "function": function_at(path, line),
            "label": label, "kind": kind, "made_pids": sorted(made_pids), "children": children,
            "actions": dict(counts.most_common())}


def split_origin(origin: str) -> tuple[str, int]:
    path, sep, line = origin.rpartition(":")
    if sep and line.isdigit():
        return path, int(line)
    return origin, 0


_functions: dict[str, Optional[ast.Module]] = {}


def function_at(path: str, line: int) -> str:
    """The qualified name of the function around ``path:line`` (``<module>`` at top level).

    Found from the source at report time, so recording costs nothing for it.
    """
    if path not in _functions:
        try:
            with open(path, "rb") as f:
                _functions[path] = ast.parse(f.read(), path)
        except (OSError, SyntaxError, ValueError):
            _functions[path] = None
    tree = _functions[path]
    if tree is None or line <= 0:
        return ""
    names: list[str] = []
    body: list[ast.stmt] = tree.body
    while True:
        for node in body:
            if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                    and node.lineno <= line <= (node.end_lineno or node.lineno)):
                names.append(node.name)
                body = node.body
                break
        else:
            return ".".join(names) or "<module>"


def _version() -> str:
    from .. import __version__

    return __version__


def write(report: dict[str, Any], path: str) -> None:
    """Write atomically: a reader never sees half a report."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def load(path: str) -> dict[str, Any]:
    """A saved report (``forksafe report PATH``), or a record directory of a run that died."""
    if os.path.isdir(path):
        return build(read_records(path), top_pid=0, command=[])
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    if not isinstance(data, dict) or data.get("forksafe_report") != FORMAT:
        raise ValueError(f"{path} is not a forksafe fork audit report (written by forksafe run --report)")
    return data


def finish(report_path: str, record_dir: str) -> None:
    """The top process at exit: gather, write the report, print the summary, remove the records."""
    try:
        report = build(read_records(record_dir), os.getpid())
        write(report, report_path)
    except Exception as exc:  # never turn a finished program into a failed one
        print(f"forksafe: could not write the fork audit report {report_path}: {exc}; the records "
              f"stay in {record_dir}", file=sys.stderr)
        return
    shutil.rmtree(record_dir, ignore_errors=True)
    from .table import render

    # The real stderr: engines (Celery) replace sys.stderr with a logger at start-up.
    stream = sys.__stderr__ if sys.__stderr__ is not None else sys.stderr
    try:
        render(report, stream, saved_to=report_path)
    except Exception:
        pass
