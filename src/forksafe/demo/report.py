"""The side-by-side table and the one-line verdict under it (``rich`` renders; nothing else does)."""

from __future__ import annotations

from typing import Any

from .scenario import RunResult

TIMES = "\N{MULTIPLICATION SIGN}"


def _landed(r: RunResult) -> str:
    if r.landed is None:
        return "[red]could not count[/]"
    style = "green" if r.landed == r.expected else "red"
    return f"[{style}]{r.landed}[/]"


def _errors(r: RunResult) -> str:
    if not r.errors:
        return "[green]none[/]"
    lines = [f"[red]{n} {TIMES}[/] {kind}" for kind, n in sorted(r.errors.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines)


def _count(n: int, bad_style: str = "red") -> str:
    return f"[{bad_style}]{n}[/]" if n else "[green]0[/]"


def table(results: list[RunResult], hang_after: float) -> Any:
    from rich.markup import escape
    from rich.table import Table

    t = Table(title="One connection, made in the parent, used by every forked child", show_lines=True)
    t.add_column("", style="bold")
    for r in results:
        t.add_column(escape(r.label), overflow="fold")
    rows: list[tuple[str, list[str]]] = [
        (f"processes {TIMES} inserts", [f"{r.processes} {TIMES} {r.rows}" for r in results]),
        ("rows expected", [str(r.expected) for r in results]),
        ("rows landed", [_landed(r) for r in results]),
        ("children that finished", [
            f"[{'green' if r.children_ok == r.processes else 'red'}]{r.children_ok} of {r.processes}[/]"
            for r in results]),
        ("errors by kind (children)", [_errors(r) for r in results]),
        (f"children hung\n(killed after {hang_after:g} s silent)",
         [_count(r.children_hung) for r in results]),
        ("parent connection afterwards", [
            f"[green]{escape(r.parent)}[/]" if r.parent_ok else f"[red]{escape(r.parent)}[/]"
            for r in results]),
        ("time taken", [f"{r.seconds:.1f} s" for r in results]),
    ]
    for name, cells in rows:
        t.add_row(name, *cells)
    return t


def verdict(raw: RunResult, safe: RunResult) -> list[str]:
    lines = []
    if raw.clean:
        lines.append(
            f"[yellow]The raw {raw.label} run happened to come through clean this time.[/] The bug is "
            "random; run again, or push harder with --processes and --rows."
        )
    else:
        lost = raw.expected - (raw.landed or 0)
        bits = []
        if raw.landed is not None and raw.landed != raw.expected:
            bits.append(f"{abs(lost)} rows {'lost' if lost > 0 else 'extra'}")
        if raw.errors:
            bits.append(f"{sum(raw.errors.values())} children failed")
        if raw.children_hung:
            bits.append(f"{raw.children_hung} hung")
        if not raw.parent_ok:
            bits.append("the parent's connection " + raw.parent.split(":", 1)[0])
        lines.append(f"[red]{raw.label}:[/] " + ", ".join(bits) + ".")
    if safe.clean:
        lines.append(f"[green]{safe.label}: every row landed, no errors, no hangs, parent healthy.[/]")
    else:
        lines.append(f"[red]{safe.label} was NOT clean; please report this with the table above.[/]")
    return lines
