"""What ``import forksafe`` costs a new interpreter: paired, alternated processes, bytecode cached.

Run: ``python benchmarks/bench_import.py [--rounds N]``. Every process a forking server, a spawn
worker or ``forksafe run`` starts pays this once. Each round starts ``python -c "import
forksafe"`` and a bare ``python -c pass`` back to back, in alternating order, and times each
from the outside (start to exit); the figure is the median of the per-round differences, with
the quartiles as spread. A second table times single imports inside the interpreter (for what
forksafe pulls in that a bare interpreter does not have), the place to look when the figure
moves; ``python -X importtime -c "import forksafe"`` gives the full tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import figure  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"))
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
COMPARED = ("logging", "typing", "re", "threading", "weakref", "array")


def _run(code: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one interpreter running ``code``, from start to exit; the CPU time
    (the process's own, from wait4) does not count the time it waited for a CPU."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"python -c {code!r} exited with {proc.returncode}")
    return (time.perf_counter() - t0) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def _inside(module: str) -> float:
    code = ("import time, sys; t = time.perf_counter(); import " + module +
            "; sys.stdout.write(str((time.perf_counter() - t) * 1000))")
    out = subprocess.run([sys.executable, "-c", code], env=ENV, check=True, capture_output=True, text=True)
    return float(out.stdout)


def _loaded_by_forksafe() -> list[str]:
    code = ("import sys; before = set(sys.modules); import forksafe; "
            "print(' '.join(sorted(m for m in set(sys.modules) - before if not m.startswith('forksafe'))))")
    out = subprocess.run([sys.executable, "-c", code], env=ENV, check=True, capture_output=True, text=True)
    return out.stdout.split()


def _quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=41)
    args = p.parse_args(argv)
    _run("import forksafe")  # write the bytecode caches
    bare: list[float] = []
    full: list[float] = []
    diffs: list[float] = []
    cpu_diffs: list[float] = []
    for i in range(args.rounds):
        if i % 2:
            b = _run("pass")
            f = _run("import forksafe")
        else:
            f = _run("import forksafe")
            b = _run("pass")
        bare.append(b[0])
        full.append(f[0])
        diffs.append(f[0] - b[0])
        cpu_diffs.append(f[1] - b[1])
    lo, hi = _quartiles(diffs)
    clo, chi = _quartiles(cpu_diffs)
    print(f"\nimport forksafe, {args.rounds} alternated pairs of processes (ms, start to exit)")
    print(f"  bare interpreter: {statistics.median(bare):.1f}; "
          f"with import forksafe: {statistics.median(full):.1f}")
    print(f"  import forksafe costs {statistics.median(diffs):.1f} ms over a bare interpreter "
          f"(quartiles {lo:.1f} to {hi:.1f}; target 10 ms)")
    print(f"  in CPU time (user + system, from wait4): {statistics.median(cpu_diffs):.1f} ms more "
          f"(quartiles {clo:.1f} to {chi:.1f})")
    figure("import forksafe over a bare interpreter, wall", statistics.median(diffs),
           f"{lo:.1f}-{hi:.1f} (quartiles)", "<= 10 ms", unit="ms")
    figure("import forksafe over a bare interpreter, CPU", statistics.median(cpu_diffs),
           f"{clo:.1f}-{chi:.1f} (quartiles)", "<= 10 ms", unit="ms")
    inside = {m: statistics.median(_inside(m) for _ in range(max(5, args.rounds // 4)))
              for m in ("forksafe", *COMPARED)}
    print("\nsingle import inside a fresh interpreter, median (ms):")
    for module, ms in inside.items():
        print(f"  {module:<10} {ms:6.2f}")
    print(f"\nstandard modules import forksafe loads: {' '.join(_loaded_by_forksafe()) or '(none)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
