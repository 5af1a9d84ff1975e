"""Per-process recording for the fork audit report.

Every process of the tree appends one JSON line per event to a file of its own, named by its
pid, in the run's record directory: appends by one process to its own file need no lock, so a
thousand workers never contend, and a process killed mid-run loses at most its last line.

Who is who travels in the environment, so forked, forkserver and spawn children and
subprocesses all find it:

* ``FORKSAFE_REPORT``: where the JSON report goes (set by ``forksafe run --report`` or the user).
* ``FORKSAFE_REPORT_DIR`` and ``FORKSAFE_REPORT_OWNER``: set by the first interpreter that starts
  recording (it "claims" the run): the record directory, and the pid that writes the report at
  exit. Every process started later inherits them and only records.

Cost: nothing until an event (events are at most one per object per process and fork); then
one small file append. A forked child also writes one line at fork naming the connections it
inherited (when the core can tell), so those it never used show as "quarantined".
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import time
from typing import Any, Callable, MutableMapping, Optional

REPORT_ENV = "FORKSAFE_REPORT"
DIR_ENV = "FORKSAFE_REPORT_DIR"
OWNER_ENV = "FORKSAFE_REPORT_OWNER"

_unsubscribe: Optional[Callable[[], None]] = None
_record_dir = ""
_fork_hook_installed = False
_owner_registered = False


def fresh_report_environment(env: MutableMapping[str, str], report: str) -> None:
    """Make ``env`` start a new audited run writing ``report`` (claimed by its first interpreter).

    Unless this very process already owns a run for that report (``forksafe run -X ...`` starts
    an interpreter whose start-up hook claimed it before ``run`` parsed its options again).
    """
    report = os.path.abspath(report)
    record_dir = env.get(DIR_ENV, "")
    if env.get(OWNER_ENV) == str(os.getpid()) and env.get(REPORT_ENV) == report and record_dir \
            and os.path.isdir(record_dir):
        return
    env[REPORT_ENV] = report
    env.pop(DIR_ENV, None)
    env.pop(OWNER_ENV, None)


def _claim(report: str) -> None:
    """This process is the run's top: make the record directory next to the report."""
    parent = os.path.dirname(report) or os.curdir
    try:
        os.makedirs(parent, exist_ok=True)
        record_dir = tempfile.mkdtemp(prefix=".forksafe-records-", dir=parent)
    except OSError:
        record_dir = tempfile.mkdtemp(prefix="forksafe-records-")
    os.environ[DIR_ENV] = record_dir
    os.environ[OWNER_ENV] = str(os.getpid())
    os.environ[REPORT_ENV] = report


def start_from_environment() -> Optional[str]:
    """Start recording in this process if the environment asks for a report; return its path."""
    global _unsubscribe, _record_dir, _fork_hook_installed, _owner_registered
    report = os.environ.get(REPORT_ENV, "")
    if not report:
        return None
    report = os.path.abspath(report)
    if not os.environ.get(DIR_ENV) or not os.environ.get(OWNER_ENV):
        _claim(report)
    _record_dir = os.environ[DIR_ENV]
    _inherited_reader()  # looked up here, once, rather than in every forked child
    if _unsubscribe is None:
        from .._events import subscribe

        _unsubscribe = subscribe(_on_event)
    if not _fork_hook_installed:
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _fork_hook_installed = True
    _note_process()
    if os.environ.get(OWNER_ENV) == str(os.getpid()) and not _owner_registered:
        atexit.register(_write_at_exit, report, _record_dir, os.getpid())
        _owner_registered = True
    return report


def _append(record: dict[str, Any]) -> None:
    """One line to this process's own file; a failure to record never breaks the program."""
    if not _record_dir:
        return
    record.setdefault("pid", os.getpid())
    line = json.dumps(record, separators=(",", ":")) + "\n"
    path = os.path.join(_record_dir, f"{os.getpid()}.jsonl")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return  # the directory is gone: the top process has already written the report
    try:
        os.write(fd, line.encode())
    except OSError:
        pass
    finally:
        os.close(fd)


def _note_process() -> None:
    _append({"record": "process", "ppid": os.getppid(), "t": time.time()})


def _on_event(event: Any) -> None:
    _append({"record": "event", "action": event.action, "kind": event.kind, "label": event.label,
             "origin": event.origin, "made_pid": event.made_pid, "pid": event.pid, "t": time.time()})


_NOT_LOOKED = object()
_reader: object = _NOT_LOOKED  # the core's inherited_leases, looked up once (children inherit it)


def _inherited_reader() -> object:
    global _reader
    if _reader is _NOT_LOOKED:
        try:
            from .. import _quarantine  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            _reader = None
        else:
            _reader = getattr(_quarantine, "inherited_leases", None)
    return _reader


def inherited() -> list[tuple[str, str, str, int]]:
    """The core's list of what this process inherited at its last fork, when the core has one."""
    reader = _inherited_reader()
    if not callable(reader):
        return []
    try:
        return [(str(i.label), str(i.kind), str(i.origin), int(i.made_pid)) for i in reader()]
    except Exception:
        return []


def _after_fork_in_child() -> None:
    if not _record_dir:
        return
    record: dict[str, Any] = {"record": "process", "ppid": os.getppid(), "t": time.time(), "forked": True}
    leases = inherited()
    if leases:
        record["inherited"] = [{"label": label, "kind": kind, "origin": origin, "made_pid": made}
                               for label, kind, origin, made in leases]
    _append(record)


def _write_at_exit(report: str, record_dir: str, owner: int) -> None:
    if os.getpid() != owner:
        return  # a forked child inherited the handler: only the top process reports
    from .report import finish

    finish(report, record_dir)


def stop() -> None:
    """Stop recording in this process (tests; a program that wants to end the audit early)."""
    global _unsubscribe, _record_dir
    if _unsubscribe is not None:
        _unsubscribe()
        _unsubscribe = None
    _record_dir = ""


def report_forks(path: Optional[str] = None) -> str:
    """Record what crosses a fork in this program and every process it starts; report at exit.

    For programs not started with ``forksafe run --report PATH``. Call it early in the main
    process (before the workers fork). Forked children record through the hook inherited with
    the process; interpreters started later (spawn and forkserver children, subprocesses) find
    the run in the environment and forksafe's start-up hook, which this puts on ``PYTHONPATH``.
    At exit, this process writes the JSON report to ``path`` (default: ``FORKSAFE_REPORT``, else
    ``forksafe-report.json`` in the current directory) and prints a short summary to stderr.
    Returns the report's path.
    """
    from .._patch import with_bootstrap

    report = os.path.abspath(path or os.environ.get(REPORT_ENV) or "forksafe-report.json")
    if os.path.isdir(report):
        raise ValueError(f"report_forks(path=...) needs a file path, not a directory: {report!r}")
    joining = (os.environ.get(REPORT_ENV) == report and os.environ.get(DIR_ENV, "") != ""
               and os.path.isdir(os.environ[DIR_ENV]))
    if not joining:  # a new run; a spawn child re-running the main module joins its parent's
        fresh_report_environment(os.environ, report)
    os.environ["PYTHONPATH"] = with_bootstrap(os.environ.get("PYTHONPATH", ""))
    started = start_from_environment()
    assert started is not None
    return started
