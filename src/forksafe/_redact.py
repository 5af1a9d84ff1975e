"""Keep passwords out of every repr, log line and error forksafe produces."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

_SECRET_KEY = re.compile(r"pass(word|wd)?|pwd|secret|token|api_?key|credential", re.IGNORECASE)
# key=value DSNs (libpq, ODBC-like): password=abc or password='a b'
_DSN_PASSWORD = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd|sslpassword)\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^\s;]*)",
    re.IGNORECASE,
)
# URLs: scheme://user:password@host
_URL_PASSWORD = re.compile(
    r"(?P<prefix>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)(?P<value>[^@\s]*)(?=@)", re.IGNORECASE
)
MASK = "***"


def redact_text(text: str) -> str:
    text = _DSN_PASSWORD.sub(lambda m: m.group("key") + MASK, text)
    return _URL_PASSWORD.sub(lambda m: m.group("prefix") + MASK, text)


def redact_value(key: str, value: Any) -> str:
    if _SECRET_KEY.search(key):
        return repr(MASK)
    if isinstance(value, str):
        return repr(redact_text(value))
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {redact_value(str(k), v)}" for k, v in value.items()) + "}"
    return repr(value)


def redact_call(args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
    """Render call arguments for a repr with every secret masked."""
    parts = [repr(redact_text(a)) if isinstance(a, str) else redact_value("", a) for a in args]
    parts += [f"{k}={redact_value(k, v)}" for k, v in kwargs.items()]
    return ", ".join(parts)
