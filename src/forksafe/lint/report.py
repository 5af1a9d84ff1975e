"""Output formats: flake8-style text lines, one JSON document (stable keys, for tools), or SARIF 2.1.0
(what code-scanning UIs read: one run, one rule per code, a result per finding with the line that made
the client as a related location)."""

from __future__ import annotations

import json
import os
from typing import Sequence

from . import codes
from .findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


def as_text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps({"findings": [f.as_dict() for f in findings]}, indent=2) + "\n"


def _uri(path: str) -> str:
    return path.replace(os.sep, "/") if not os.path.isabs(path) else "file://" + path.replace(os.sep, "/")


def _location(path: str, line: int, col: int = 1) -> dict[str, object]:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)},
                                 "region": {"startLine": line, "startColumn": col}}}


def as_sarif(findings: Sequence[Finding], version: str = "0") -> str:
    rules = [{"id": c.code, "name": c.title.replace(" ", "-"), "shortDescription": {"text": c.title},
              "help": {"text": f"fix: {c.fix}"},
              "defaultConfiguration": {"level": "error" if c.code != codes.PARSE_ERROR.code else "warning"}}
             for c in codes.ALL]
    index = {c.code: i for i, c in enumerate(codes.ALL)}
    results = []
    for f in findings:
        result: dict[str, object] = {
            "ruleId": f.code, "ruleIndex": index.get(f.code, 0),
            "level": "warning" if f.code == codes.PARSE_ERROR.code else "error",
            "message": {"text": f.message},
            "locations": [_location(f.path, f.line, f.col)],
        }
        if f.made_line:
            related = _location(f.made_path or f.path, f.made_line)
            related["id"] = 0
            related["message"] = {"text": "the client is made here"}
            result["relatedLocations"] = [related]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "forksafe-lint", "version": version,
                                "informationUri": "https://pypi.org/project/forksafe/", "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
