"""Output formats: flake8-style text lines, or one JSON document (stable keys, for tools)."""

from __future__ import annotations

import json
from typing import Sequence

from .findings import Finding


def as_text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps({"findings": [f.as_dict() for f in findings]}, indent=2) + "\n"
