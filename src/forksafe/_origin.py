"""Where in the user's code a connection was made, for error messages.

The frame we want is the user's, not ours nor a framework's: with zero-code mode the driver's
``connect`` is called from deep inside SQLAlchemy or Django. We walk out past forksafe itself, the
standard library and installed packages, and fall back to the first frame outside forksafe when
every frame belongs to a library (an installed application).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing is for the type checker only: see forksafe/_types.py
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Optional

_OWN_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


_library_dirs_found: tuple[str, ...] = ()


def _library_dirs() -> tuple[str, ...]:
    """The standard library's and installed packages' directories, found at first need: sysconfig
    costs ~0.8 ms to import."""
    global _library_dirs_found
    if not _library_dirs_found:
        import sysconfig

        paths = sysconfig.get_paths()
        dirs = {paths.get(k, "") for k in ("stdlib", "platstdlib", "purelib", "platlib")}
        _library_dirs_found = tuple(os.path.realpath(d) + os.sep for d in dirs if d)
    return _library_dirs_found


# code file name -> whether it belongs to a library. realpath() is a system call per path
# component (~17 us for a frame stack inside requests): clients made per call (requests.get) pay
# it on every request without this cache. File names are few, so it stays small.
_is_library: dict[str, bool] = {}


def _library_file(filename: str) -> bool:
    known = _is_library.get(filename)
    if known is None:
        real = os.path.realpath(filename) if filename.startswith(os.sep) else filename
        known = _is_library[filename] = real.startswith(_library_dirs())
    return known


def user_frame(skip: int = 1) -> Optional[FrameType]:
    """The first frame above the caller that is the user's (see the module docstring)."""
    frame: Optional[FrameType] = sys._getframe(skip)
    fallback: Optional[FrameType] = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_OWN_DIR) and not filename.startswith("<frozen"):
            if fallback is None:
                fallback = frame
            if not _library_file(filename):
                return frame
        frame = frame.f_back
    return fallback


def capture(skip: int = 1) -> str:
    """Return ``file:line`` of the first user frame above the caller."""
    frame = user_frame(skip + 1)
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "<unknown>"


def line_of(code: CodeType, lasti: int) -> int:
    """The source line of bytecode offset ``lasti`` in ``code``.

    Hot paths record ``(f_code, f_lasti)`` and call this only when an error needs the line:
    ``frame.f_lineno`` decodes the line table on every read (about 1 us on CPython 3.11).
    """
    lines = getattr(code, "co_lines", None)
    if lines is not None:  # Python 3.10+
        for start, end, line in lines():
            if start <= lasti < end and line is not None:
                return int(line)
    import dis

    found = code.co_firstlineno
    for offset, line in dis.findlinestarts(code):
        if offset > lasti:
            break
        found = line
    return int(found)
