"""``forksafe lint PATH...``: exit 0 clean, 1 findings, 2 usage error or a file that could not be
parsed (reported like a finding, as FS001; the other files are still checked)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from . import codes, report
from .api import lint_paths
from .config import ConfigError, load


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"forksafe lint: error: {message}\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    table = "\n".join(f"  {c.code}  {c.title} (fix: {c.fix})" for c in codes.ALL)
    parser = _Parser(
        prog="forksafe lint",
        description="Find database connections made in one process and used in another (after fork).",
        epilog=f"codes:\n{table}\n\nsuppress one line with '# forksafe: ignore' or "
        "'# forksafe: ignore[FS101]'.\nexit status: 0 clean, 1 findings, 2 usage or parse error.\n\n"
        "examples:\n  forksafe lint src/\n  forksafe lint --format json app.py\n"
        "  forksafe lint --select FS101 --exclude 'tests/*' .",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="Python files or directories")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                        help="text (path:line:col: CODE message), json, or sarif (SARIF 2.1.0)")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip files/directories matching GLOB (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="processes to use for large trees (default: CPU count; 1: no subprocess)")
    parser.add_argument("--select", default="", metavar="CODES",
                        help="comma-separated codes to report (default: all)")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("forksafe")
    except PackageNotFoundError:
        return "0"


def main(argv: Optional[list[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        opts = _parser().parse_args(args)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    missing = [p for p in opts.paths if not os.path.exists(p)]
    if missing:
        sys.stderr.write(f"forksafe lint: no such file or directory: {', '.join(missing)}\n")
        return 2
    select = {c.strip().upper() for c in opts.select.split(",") if c.strip()}
    unknown = select - set(codes.BY_CODE)
    if unknown:
        sys.stderr.write(f"forksafe lint: unknown code(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(codes.BY_CODE)}\n")
        return 2
    if opts.jobs < 1:
        sys.stderr.write("forksafe lint: --jobs must be 1 or more\n")
        return 2
    try:
        settings = load(opts.paths)
    except (ConfigError, OSError, ValueError) as exc:
        sys.stderr.write(f"forksafe lint: {exc}\n")
        return 2
    findings = lint_paths(opts.paths, opts.exclude, opts.jobs, settings)
    if select:
        findings = [f for f in findings if f.code in select or f.code == codes.PARSE_ERROR.code]
    if opts.format == "json":
        sys.stdout.write(report.as_json(findings))
    elif opts.format == "sarif":
        sys.stdout.write(report.as_sarif(findings, _version()))
    else:
        sys.stdout.write(report.as_text(findings))
    if any(f.code == codes.PARSE_ERROR.code for f in findings):
        return 2
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
