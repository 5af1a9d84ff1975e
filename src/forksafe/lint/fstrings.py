"""Python 3.12's f-strings (PEP 701) on an older interpreter.

Since 3.12 an f-string may reuse its own quotes inside a replacement field (``f'{d['key']}'``), nest
without limit and hold backslashes and comments; the parsers of 3.9-3.11 reject such a file as a
whole, so every connection in it would go unseen. What an f-string says never decides whether a
connection crosses a fork, so :func:`blank_fstrings` replaces each f-string with an empty string
(keeping the lines it spans, so every line number stays true) and the file can be parsed.
"""

from __future__ import annotations

from typing import Optional

_QUOTES = "'\""
_PREFIX_LETTERS = frozenset("rRbBuUfF")


class _Unterminated(Exception):
    """The text ends, or a one-line string meets its line's end, inside a string."""


def blank_fstrings(text: str) -> Optional[str]:
    """``text`` with every f-string replaced by an empty string spanning the same lines; None when
    it has no f-string or a string in it does not end."""
    out: list[str] = []
    i, done, changed = 0, 0, False
    try:
        while i < len(text):
            char = text[i]
            if char == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            elif char in _QUOTES:
                i = _string_end(text, i, formatted=False)
            elif char.isidentifier():
                start, (i, prefix) = i, _word(text, i)
                if prefix is not None:
                    formatted = "f" in prefix.lower()
                    i = _string_end(text, i, formatted)
                    if formatted:
                        lines = text.count("\n", start, i)
                        out.append(text[done:start])
                        out.append('""' if not lines else '"""' + "\n" * lines + '"""')
                        done, changed = i, True
            else:
                i += 1
    except _Unterminated:
        return None
    if not changed:
        return None
    out.append(text[done:])
    return "".join(out)


def _word(text: str, i: int) -> tuple[int, Optional[str]]:
    """The index past the name starting at ``i``, and the name if it is a string's prefix (``rb``,
    ``f``) followed by its opening quote."""
    start = i
    while i < len(text) and (text[i].isidentifier() or text[i].isdigit()):
        i += 1
    word = text[start:i]
    prefix = i < len(text) and text[i] in _QUOTES and len(word) <= 2 and set(word) <= _PREFIX_LETTERS
    return i, word if prefix else None


def _string_end(text: str, i: int, formatted: bool) -> int:
    """The index just past the string literal whose opening quote is at ``i``."""
    quote = text[i]
    delimiter = quote * 3 if text.startswith(quote * 3, i) else quote
    i += len(delimiter)
    while True:
        if i >= len(text) or (len(delimiter) == 1 and text[i] == "\n"):
            raise _Unterminated
        if text[i] == "\\":
            i += 2
        elif text.startswith(delimiter, i):
            return i + len(delimiter)
        elif formatted and text.startswith("{{", i):
            i += 2
        elif formatted and text[i] == "{":
            i = _field_end(text, i + 1)
        else:
            i += 1


def _field_end(text: str, i: int) -> int:
    """The index just past the ``}`` that closes the replacement field starting at ``i``: its
    expression (strings in it may use any quotes), then a format spec that may hold fields."""
    depth = 0
    while i < len(text):
        char = text[i]
        if char in _QUOTES:
            i = _string_end(text, i, formatted=False)
        elif char.isidentifier():
            i, prefix = _word(text, i)
            if prefix is not None:
                i = _string_end(text, i, "f" in prefix.lower())
        elif char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif char in "([{":
            depth, i = depth + 1, i + 1
        elif char in ")]":
            depth, i = depth - 1, i + 1
        elif char == "}":
            if depth == 0:
                return i + 1
            depth, i = depth - 1, i + 1
        elif char == ":" and depth == 0:
            return _spec_end(text, i + 1)
        else:
            i += 1
    raise _Unterminated


def _spec_end(text: str, i: int) -> int:
    """The index just past the ``}`` ending a format spec (``:>{width}``), whose fields nest."""
    while i < len(text):
        if text[i] == "{":
            i = _field_end(text, i + 1)
        elif text[i] == "}":
            return i + 1
        else:
            i += 1
    raise _Unterminated
