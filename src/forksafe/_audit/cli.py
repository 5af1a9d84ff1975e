"""``forksafe report PATH``: print the summary of a saved fork audit report again."""

from __future__ import annotations

import argparse
import json
import sys

from .report import load
from .table import render

EXAMPLES = """examples:
  forksafe run --report forks.json celery -A proj worker   # record a run
  forksafe report forks.json                               # its summary, again
  forksafe report --json forks.json | jq '.crossings[0]'   # the full report
  forksafe report .forksafe-records-XXXX/                  # a run whose top process was killed"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="forksafe report", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
        description="Print the summary of a fork audit report written by 'forksafe run --report PATH' "
                    "(or forksafe.report_forks()): every connection or client that crossed a fork, where "
                    "it was made, which children met it, and what forksafe did.")
    p.add_argument("path", help="the JSON report, or the record directory of an unfinished run")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON instead")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        report = load(args.path)
    except FileNotFoundError:
        print(f"forksafe report: no such file: {args.path!r} (write one with forksafe run --report "
              f"{args.path} PROGRAM)", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"forksafe report: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    render(report, sys.stdout)
    return 0
