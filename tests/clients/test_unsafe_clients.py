"""grpc and confluent-kafka under ``forksafe run``: a client made before a fork and used after it is
reported at its first use, naming the line that made it (a warning, or ForkedConnectionError under
``--on-fork raise``). The raw controls show the failure users get instead: grpc calls in children
that fail or hang, and a Kafka producer that swallows the children's messages without a report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAM = os.path.join(HERE, "programs", "unsafe_fork.py")
FAMILIES = ["grpc", "grpc-aio", "kafka"]
MADE_AT = {"grpc": "channel = grpc.insecure_channel(", "grpc-aio": "aio_channel = grpc.aio.insecure_channel(",
           "kafka": "producer = confluent_kafka.Producer("}


def creation_line(family: str) -> str:
    with open(PROGRAM) as f:
        for number, line in enumerate(f, 1):
            if MADE_AT[family] in line:
                return f"{PROGRAM}:{number}"
    raise AssertionError(family)


def run(family: str, *, policy: str = "", zero_code: bool = True, mode: str = "raw") -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, "src"), ROOT])
    prefix = [sys.executable, "-m", "forksafe", "run"] if zero_code else []
    if policy:
        prefix += ["--on-fork", policy]
    proc = subprocess.run([*prefix, sys.executable, PROGRAM, family, mode], env=env, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    result["warnings"] = [w for w in proc.stderr.splitlines() if "ForkSafetyWarning" in w]
    return result


def parent_fine(result: dict[str, Any], family: str) -> None:
    assert not result["after_error"], result["after_error"]
    if family.startswith("grpc"):
        assert result["before"] == result["after"] == "parent"
    else:  # the parent's own librdkafka threads still report (a timeout: there is no broker)
        assert result["before"] and result["after"], result


@pytest.mark.parametrize("family", FAMILIES)
def test_control_raw_children_break_silently(family: str) -> None:
    result = run(family, zero_code=False)
    failed = [c for c in result["children"] if c["error"]]
    print(family, "raw:", sorted({c["error"][:120] for c in failed}))
    if family.startswith("grpc"):
        assert failed, "every raw child's grpc calls worked: the control no longer shows the bug"
    else:
        assert len(failed) == 8 and all("silent loss" in c["error"] or c["error"] == "hung"
                                        for c in failed), result["children"]
    assert result["warnings"] == [], "nothing tells the raw user what is wrong"
    parent_fine(result, family)


@pytest.mark.parametrize("family", FAMILIES)
def test_forksafe_run_warns_naming_the_creation_line(family: str) -> None:
    result = run(family)
    line = creation_line(family)
    assert len(result["warnings"]) == 8, result["warnings"]  # one per child
    assert all(line in w and "Make the" in w for w in result["warnings"]), result["warnings"][:2]
    parent_fine(result, family)


@pytest.mark.parametrize("family", FAMILIES)
def test_forksafe_run_raise_stops_the_first_use(family: str) -> None:
    result = run(family, policy="raise")
    line = creation_line(family)
    errors = [c["error"] for c in result["children"]]
    assert all(e.startswith("forksafe.errors.ForkedConnectionError") and line in e for e in errors), errors
    parent_fine(result, family)


def test_explicit_install_warns_too() -> None:
    result = run("kafka", zero_code=False, mode="install")
    assert len(result["warnings"]) == 8 and all(creation_line("kafka") in w for w in result["warnings"])


def test_install_uninstall_restores() -> None:
    import confluent_kafka
    import grpc._channel

    from forksafe.integrations import unsafe_clients

    producer_cls, channel_init = confluent_kafka.Producer, vars(grpc._channel.Channel)["__init__"]
    before = {cls: dict(vars(cls)) for cls in (grpc._channel.Channel, grpc._channel._UnaryUnaryMultiCallable,
                                               confluent_kafka.SerializingProducer)}
    unsafe_clients.install()
    unsafe_clients.install()
    try:
        assert confluent_kafka.Producer is not producer_cls
        assert issubclass(confluent_kafka.Producer, producer_cls)
        assert vars(grpc._channel.Channel)["__init__"] is not channel_init
    finally:
        unsafe_clients.uninstall()
    assert confluent_kafka.Producer is producer_cls
    for cls, attributes in before.items():
        now = dict(vars(cls))
        assert now.keys() == attributes.keys() and all(now[k] is attributes[k] for k in now), cls
