"""Python 3.12's syntax on an older interpreter.

Since 3.12 an f-string may reuse its own quotes inside a replacement field (``f'{d['key']}'``), nest
without limit and hold backslashes and comments (PEP 701), and classes, functions and ``type``
aliases take type parameters (``class Repo[T: Model]:``, ``type Rows[T] = list[T]``, PEP 695). The
parsers of 3.9-3.11 reject such a file as a whole, so every connection in it would go unseen. What an
f-string says, or which type parameters a class has, never decides whether a connection crosses a
fork: :func:`readable` blanks the f-strings and drops the type parameters, keeping every line where
it was, so the file can be parsed.
"""

from __future__ import annotations

import io
import tokenize
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


def readable(text: str) -> Optional[str]:
    """``text`` with Python 3.12's syntax rewritten for an older parser (same lines), or None when
    it has none of it that these rewrites know."""
    blanked = blank_fstrings(text)
    stripped = strip_type_parameters(blanked if blanked is not None else text)
    return stripped if stripped is not None else blanked


def strip_type_parameters(text: str) -> Optional[str]:
    """``class Repo[T: Model](Base):`` -> ``class Repo(Base):``, ``def first[T](xs)`` -> ``def
    first(xs)``, ``type Rows[T] = list[T]`` -> ``Rows = list[T]``; a list spanning lines leaves a
    backslash continuation per line, so the statement keeps its lines. None when there is none."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    spans: list[tuple[int, int]] = []  # character ranges to drop, in order
    statement_start = True
    for i, token in enumerate(tokens):
        kind, value = token.type, token.string
        if kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.COMMENT):
            statement_start = statement_start or kind != tokenize.COMMENT
            continue
        alias = statement_start and value == "type" and i + 2 < len(tokens) \
            and tokens[i + 1].type == tokenize.NAME and tokens[i + 2].string in ("=", "[")
        if alias:  # drop the soft keyword with the space after it
            spans.append((_offset(starts, token.start), _offset(starts, tokens[i + 1].start)))
        named = i + 2 < len(tokens) and tokens[i + 1].type == tokenize.NAME
        if (value in ("class", "def") or alias) and named and tokens[i + 2].string == "[":
            end = _closing(tokens, i + 2)
            if end is None:
                return None
            spans.append((_offset(starts, tokens[i + 2].start), _offset(starts, tokens[end].end)))
        statement_start = value == ";"
    if not spans:
        return None
    out, done = [], 0
    for start, end in spans:
        out.append(text[done:start])
        out.append(" \\\n" * text.count("\n", start, end))
        done = end
    out.append(text[done:])
    return "".join(out)


def _offset(starts: list[int], position: tuple[int, int]) -> int:
    row, col = position
    return starts[row - 1] + col


def _closing(tokens: list[tokenize.TokenInfo], i: int) -> Optional[int]:
    """The index of the token closing the bracket opened at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].type == tokenize.OP and tokens[j].string in "([{":
            depth += 1
        elif tokens[j].type == tokenize.OP and tokens[j].string in ")]}":
            depth -= 1
            if depth == 0:
                return j
    return None
