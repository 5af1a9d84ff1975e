"""Run every benchmark in benchmarks/ and print all their tables: ``python benchmarks/run_all.py``.

Each ``benchmarks/bench_*.py`` is a script of its own (it starts the servers it needs and prints its
tables); this runs them one after another, never in parallel, because they measure time on a
shared machine and would disturb each other. Output streams as it comes, under a header per
benchmark, and a summary at the end says which ran, for how long, and whether they succeeded,
then lists every headline figure (the ``@figure`` lines the benchmarks print, see ``_report.py``):
each ratio with its spread and its target, in one table.

    python benchmarks/run_all.py                  # everything, default rounds
    python benchmarks/run_all.py --rounds 5       # passed to each benchmark that takes --rounds
    python benchmarks/run_all.py --only pool      # bench_pool.py only (repeatable)
    python benchmarks/run_all.py --output out.txt # also keep the whole output in a file

Every benchmark runs in a process group of its own with a time limit, and is killed with its
children (servers included) on timeout or Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def discover() -> list[Path]:
    return sorted(p for p in HERE.glob("bench_*.py") if p.is_file())


def short_name(path: Path) -> str:
    return path.stem[len("bench_"):]


def takes_option(path: Path, option: str) -> bool:
    """Whether the benchmark's --help mentions ``option`` (so we pass only what it understands)."""
    try:
        out = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True,
                             timeout=120, cwd=ROOT).stdout
    except subprocess.TimeoutExpired:
        return False
    return option in out


def run_one(path: Path, extra: list[str], timeout: float, log: Optional[IO[str]]) -> tuple[int, float]:
    """Run one benchmark, echoing its output; returns (exit status, seconds). -9: killed on timeout."""
    start = time.monotonic()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, str(path), *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    deadline = start + timeout
    try:
        os.set_blocking(proc.stdout.fileno(), True)
        import selectors

        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    _kill_group(proc)
                    _emit(f"\n!! {path.name} exceeded {timeout:.0f} s and was killed\n", log)
                    return -9, time.monotonic() - start
                if sel.select(timeout=min(remaining, 1.0)):
                    line = proc.stdout.readline()
                    if not line:
                        break
                    _emit(line, log)
        return proc.wait(timeout=max(1.0, deadline - time.monotonic())), time.monotonic() - start
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        if proc.poll() is None:
            _kill_group(proc)
        proc.stdout.close()


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM first so a benchmark's own clean-up (stopping its servers) runs, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


_figures: list[dict[str, object]] = []
FIGURE_PREFIX = "@figure "  # as printed by benchmarks/_report.py


def _emit(text: str, log: Optional[IO[str]]) -> None:
    if text.startswith(FIGURE_PREFIX):
        try:
            _figures.append(json.loads(text[len(FIGURE_PREFIX):]))
        except ValueError:
            pass
        if log is not None:
            log.write(text)
        return  # shown once, in the closing table
    sys.stdout.write(text)
    sys.stdout.flush()
    if log is not None:
        log.write(text)


def main(argv: list[str]) -> int:
    benches = discover()
    names = [short_name(p) for p in benches]
    parser = argparse.ArgumentParser(description="Run every benchmark in benchmarks/ and print their tables.")
    parser.add_argument("--only", action="append", choices=names, metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(names)}")
    parser.add_argument("--rounds", type=int, help="passed to each benchmark that takes --rounds")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per benchmark (default 1800)")
    parser.add_argument("--output", help="also write everything printed to this file")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"{short_name(p):<10} {p.relative_to(ROOT)}" for p in benches))
        return 0
    chosen = [p for p in benches if not args.only or short_name(p) in args.only]
    if not chosen:
        print("no benchmarks found in benchmarks/ (bench_*.py)", file=sys.stderr)
        return 2
    log = open(args.output, "w") if args.output else None
    results: list[tuple[str, int, float]] = []
    try:
        _emit(f"python {sys.version.split()[0]} on {os.uname().sysname} {os.uname().machine}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (others' work on a shared "
              f"machine); benchmarks: {', '.join(short_name(p) for p in chosen)}\n", log)
        for path in chosen:
            extra = ["--rounds", str(args.rounds)] if args.rounds and takes_option(path, "--rounds") else []
            title = f" {path.relative_to(ROOT)} {' '.join(extra)} "
            _emit(f"\n{title:=^100}\n", log)
            code, seconds = run_one(path, extra, args.timeout, log)
            results.append((path.name, code, seconds))
    except KeyboardInterrupt:
        _emit("\ninterrupted\n", log)
        return 130
    finally:
        if results:
            _emit(f"\n{' summary ':=^100}\n", log)
            for name, code, seconds in results:
                status = "ok" if code == 0 else ("killed: timeout" if code == -9 else f"FAILED (exit {code})")
                _emit(f"{name:<24} {seconds:8.1f} s  {status}\n", log)
        _emit(f"load average at the end: {os.getloadavg()[0]:.1f}\n", log)
        if _figures:
            _emit(f"\n{' every figure with a target ':=^100}\n", log)
            for f in _figures:
                value = f"{f['value']:.3f}x" if f["unit"] == "x" else f"{f['value']:.1f} {f['unit']}"
                _emit(f"{f['name']:<62} {value:>9}  {f['spread']!s:<34} target {f['target']}\n", log)
        if log is not None:
            log.close()
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
