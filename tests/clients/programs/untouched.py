"""What a forked child legitimately inherits keeps working while forksafe quarantines client sockets.

    python untouched.py CASE        (CASE: forking-server | mp-queue-pipe)

The process first makes and uses a redis client, so under ``forksafe run`` a leased client socket
exists: each child reports what that inherited descriptor now is (``/dev/null`` when quarantined)
next to the descriptors it must keep (its accepted connection, its pipes and queues).

* ``forking-server``: a ``socketserver.ForkingTCPServer`` echo server; 4 clients at once each send
  20 lines on one connection, every line answered by the forked handler.
* ``mp-queue-pipe``: fork-context ``multiprocessing`` Process children talking over a ``Pipe``
  (both ways) and a ``Queue``, then a ``Pool`` map.

One JSON line on stdout. Every wait is bounded.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import socketserver
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

CASE = sys.argv[1]
r = redis.Redis.from_url(os.environ["FS_REDIS_URL"], socket_timeout=5)
r.ping()
REDIS_FD = r.connection_pool._available_connections[0]._sock.fileno()


def what(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError as exc:
        return f"closed ({exc.strerror})"


# -- ForkingTCPServer ----------------------------------------------------------------------------

class Echo(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        inherited, accepted = what(REDIS_FD), what(self.connection.fileno())
        for line in self.rfile:
            if line == b"bye\n":  # the clients live in this process, so forked handlers hold copies
                return  # of their sockets too: no EOF would ever come
            self.wfile.write(f"{os.getpid()}|{inherited}|{accepted}|{line.decode()}".encode())


def forking_server() -> dict[str, Any]:
    server = socketserver.ForkingTCPServer(("127.0.0.1", 0), Echo)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def client(index: int) -> list[str]:
        seen = []
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            reader = sock.makefile("rb")
            for n in range(20):
                word = f"client-{index}-{n}"
                sock.sendall(word.encode() + b"\n")
                pid, inherited, accepted, echoed = reader.readline().decode().rstrip("\n").split("|")
                if echoed != word:
                    raise RuntimeError(f"sent {word!r}, the handler echoed {echoed!r}")
                seen.append(f"{pid}|{inherited}|{accepted}")
            sock.sendall(b"bye\n")
        return seen

    with ThreadPoolExecutor(4) as pool:
        answers = [line for lines in pool.map(client, range(4)) for line in lines]
    server.shutdown()
    server.server_close()
    handlers = {a.split("|")[0] for a in answers}
    return {"answers": len(answers), "handlers": len(handlers), "server_pid": os.getpid(),
            "inherited": sorted({a.split("|")[1].split(":")[0] for a in answers}),
            "accepted": sorted({a.split("|")[2].split(":")[0] for a in answers}),
            "parent_redis": bool(r.ping())}


# -- multiprocessing -----------------------------------------------------------------------------

def worker(index: int, conn: Any, queue: Any) -> None:
    conn.send({"index": index, "pid": os.getpid(), "inherited": what(REDIS_FD)})
    reply = conn.recv() if conn.poll(10) else None
    queue.put({"index": index, "reply": reply})


def square(n: int) -> int:
    return n * n


def mp_queue_pipe() -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    ends = [ctx.Pipe() for _ in range(4)]
    procs = [ctx.Process(target=worker, args=(i, child_end, queue)) for i, (_, child_end) in enumerate(ends)]
    for p in procs:
        p.start()
    hellos = []
    for i, (parent_end, _) in enumerate(ends):
        if not parent_end.poll(10):
            raise RuntimeError(f"child {i} never wrote on its pipe")
        hellos.append(parent_end.recv())
        parent_end.send(f"reply-{i}")
    replies = sorted((queue.get(timeout=10) for _ in procs), key=lambda m: m["index"])
    for p in procs:
        p.join(10)
    with ctx.Pool(2) as pool:
        squares = pool.map_async(square, range(20)).get(timeout=30)
    return {"hellos": len(hellos), "replies": [m["reply"] for m in replies],
            "exitcodes": [p.exitcode for p in procs], "squares_ok": squares == [n * n for n in range(20)],
            "inherited": sorted({h["inherited"].split(":")[0] for h in hellos}),
            "parent_redis": bool(r.ping())}


if __name__ == "__main__":
    cases = {"forking-server": forking_server, "mp-queue-pipe": mp_queue_pipe}
    try:
        result = {"ok": True, "error": "", **cases[CASE]()}
    except BaseException as exc:
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
