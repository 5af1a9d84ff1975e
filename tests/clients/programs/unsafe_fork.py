"""A grpc channel or a Kafka producer made at import and used by the parent, then used by 8 children.

    python unsafe_fork.py FAMILY MODE      (FAMILY: grpc | grpc-aio | kafka; MODE: raw | install)

Run raw (the controls), or unmodified under ``forksafe run`` (any ``--on-fork``). Each child
reports what its calls did; warnings go to stderr. One JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from harness.forking import fork_children  # noqa: E402

FAMILY, MODE = sys.argv[1], sys.argv[2]
if MODE == "install":
    from forksafe.integrations import unsafe_clients

    unsafe_clients.install()

if FAMILY == "grpc":
    import grpc
    from harness import grpc_echo

    SERVER, PORT = grpc_echo.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{PORT}")
    say = channel.unary_unary(grpc_echo.METHOD)
elif FAMILY == "grpc-aio":  # the parent on an event loop of its own; children run asyncio.run
    import asyncio

    import grpc.aio
    from harness import grpc_echo

    SERVER, PORT = grpc_echo.start()
    LOOP = asyncio.new_event_loop()
    asyncio.set_event_loop(LOOP)
    aio_channel = grpc.aio.insecure_channel(f"127.0.0.1:{PORT}")
    aio_say = aio_channel.unary_unary(grpc_echo.METHOD)
else:
    import confluent_kafka

    # No broker: messages wait in librdkafka's queue, and time out after 1 s into a delivery error.
    producer = confluent_kafka.Producer({"bootstrap.servers": "127.0.0.1:9", "message.timeout.ms": 1000,
                                         "log_level": 0})


def parent_use() -> Any:
    if FAMILY == "grpc":
        return say(b"parent", timeout=5).decode()
    if FAMILY == "grpc-aio":
        return LOOP.run_until_complete(aio_say(b"parent", timeout=5)).decode()
    reports: list[str] = []
    producer.produce("t", b"parent", on_delivery=lambda err, msg: reports.append(str(err)))
    producer.flush(5)
    return reports  # a delivery error report: the parent's machinery works


def child_use(index: int) -> Any:
    if FAMILY == "grpc-aio":
        async def calls() -> str:
            for n in range(100):
                want = f"child-{index}-{n}"
                got = (await aio_say(want.encode(), timeout=3)).decode()
                if got != want:
                    raise RuntimeError(f"asked for {want!r}, got {got!r}")
            return "all echoed"

        return asyncio.run(asyncio.wait_for(calls(), 6))
    if FAMILY == "grpc":
        for n in range(100):
            want = f"child-{index}-{n}"
            got = say(want.encode(), timeout=3).decode()
            if got != want:
                raise RuntimeError(f"asked for {want!r}, got {got!r}")
        return "all echoed"
    reports: list[str] = []
    producer.produce("t", f"child-{index}".encode(), on_delivery=lambda err, msg: reports.append(str(err)))
    left = producer.flush(3)  # three times the message timeout
    if not reports:
        raise RuntimeError(f"silent loss: {left} message(s) never delivered, no delivery report")
    return reports


def child(index: int) -> dict[str, Any]:
    # Warnings go to stderr as they happen (a child whose call then hangs still shows its warning).
    try:
        return {"outcome": child_use(index), "error": ""}
    except Exception as exc:
        return {"outcome": None, "error": f"{type(exc).__module__}.{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    before = parent_use()
    stop = threading.Event()
    if FAMILY == "grpc":  # the parent keeps calling while it forks, as a server's threads would
        def busy() -> None:
            while not stop.is_set():
                say(b"busy", timeout=5)

        threading.Thread(target=busy, daemon=True).start()
        time.sleep(0.2)
    outcome = fork_children(child, 8, timeout=12 if FAMILY.startswith("grpc") else 8)  # hung ones are killed
    stop.set()
    try:
        after, after_error = parent_use(), ""
    except Exception as exc:
        after, after_error = None, f"{type(exc).__name__}: {exc}"
    print(json.dumps({
        "before": before, "after": after, "after_error": after_error,
        "children": [c.report if c.report is not None else
                     {"outcome": None, "error": "hung" if c.hung else c.error[-300:]}
                     for c in outcome.children],
    }), flush=True)
    if FAMILY.startswith("grpc"):
        SERVER.kill()
    os._exit(0)
