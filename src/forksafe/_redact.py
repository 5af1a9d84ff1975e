"""Keep passwords out of every repr, log line and error forksafe produces.

Secrets reach a connect call in four shapes, and each is masked: a keyword whose name says so
(``password=``, ``passwd=``, ``api_key=``), a positional argument the driver's adapter names as
secret (``MySQLdb.connect(host, user, passwd, db)``), a DSN or URL inside a string or bytes
(``password=x``, ``user:x@host``), and any of those nested in a list, tuple or mapping.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

_SECRET_KEY = re.compile(r"pass(word|wd|phrase)?|pwd|secret|token|api_?key|credential|auth", re.IGNORECASE)
# key=value DSNs (libpq, ODBC-like): password=abc or password='a b'
_DSN_PASSWORD = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd|sslpassword)\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^\s;&]*)",
    re.IGNORECASE,
)
# URLs: scheme://user:password@host
_URL_PASSWORD = re.compile(
    r"(?P<prefix>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)(?P<value>[^@\s]*)(?=@)", re.IGNORECASE
)
MASK = "***"
_MAX_DEPTH = 4


def redact_text(text: str) -> str:
    text = _DSN_PASSWORD.sub(lambda m: m.group("key") + MASK, text)
    return _URL_PASSWORD.sub(lambda m: m.group("prefix") + MASK, text)


def redact_value(key: str, value: Any, depth: int = 0) -> str:
    """The repr of ``value`` with every secret in it masked (``key`` names what it is, if known)."""
    if _SECRET_KEY.search(key):
        return repr(MASK)
    if isinstance(value, str):
        return repr(redact_text(value))
    if isinstance(value, (bytes, bytearray)):
        text = bytes(value).decode("utf-8", "replace")
        masked = redact_text(text)
        return repr(masked.encode()) if masked != text else repr(bytes(value))
    if depth >= _MAX_DEPTH:
        return f"<{type(value).__name__}>"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k!r}: {redact_value(str(k), v, depth + 1)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [redact_value("", v, depth + 1) for v in value]
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        if isinstance(value, tuple):
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "{" + ", ".join(items) + "}" if items else f"{type(value).__name__}()"
    return repr(value)


def redact_call(args: Sequence[Any], kwargs: Mapping[str, Any], secret_positions: Sequence[int] = ()) -> str:
    """Render call arguments for a repr with every secret masked."""
    parts = [repr(MASK) if i in secret_positions else redact_value("", a) for i, a in enumerate(args)]
    parts += [f"{k}={redact_value(k, v)}" for k, v in kwargs.items()]
    return ", ".join(parts)
