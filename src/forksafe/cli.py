"""``forksafe`` / ``python -m forksafe``: one entry point, one module per subcommand.

Subcommands are imported only when named, so ``forksafe run`` pays nothing for the linter or the
demo's dependencies.
"""

from __future__ import annotations

import importlib
import sys
from typing import Callable, Optional

# name -> (module, summary); each module has ``main(argv: list[str]) -> int``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("forksafe.run", "run a program or command with every database connection made fork-safe"),
    "lint": ("forksafe.lint.cli", "find fork-unsafe connection use in Python source"),
    "report": ("forksafe._audit.cli", "print the summary of a fork audit report (forksafe run --report)"),
    "demo": ("forksafe.demo", "show the bug and the fix side by side on an embedded PostgreSQL"),
}

EXAMPLES = """examples:
  forksafe run app.py                          # every connection fork-safe, no code change
  forksafe run --report forks.json gunicorn --preload app:app
  forksafe report forks.json                   # what crossed a fork, and what forksafe did
  forksafe lint src/                           # find fork-unsafe connection use
  forksafe demo                                # the bug and the fix, side by side"""


def _usage() -> str:
    lines = ["usage: forksafe COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<7} {summary}" for name, (_, summary) in SUBCOMMANDS.items()]
    lines += ["", "options:", "  -V, --version  print forksafe's version", "  -h, --help     show this help",
              "", EXAMPLES, "", "Run 'forksafe COMMAND --help' for a command's options."]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(_usage())
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        from . import __version__

        print(f"forksafe {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"forksafe: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name][0])
    entry: Callable[[list[str]], int] = module.main
    return entry(rest)


if __name__ == "__main__":
    sys.exit(main())
