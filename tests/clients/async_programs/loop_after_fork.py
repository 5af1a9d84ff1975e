"""A parent runs its event loop the classic way (kept only by asyncio's policy), forks a child
that runs its own ``asyncio.run`` and collects garbage, then checks its loop still wakes up.

The parent's loop and the child's copy share one epoll instance. If the child's copy is closed
(``BaseEventLoop.__del__`` does it when the garbage collector finds it), its self-pipe is removed
from that shared epoll, and the parent no longer wakes for ``call_soon_threadsafe``
(``run_in_executor`` results, signals). Prints one JSON line.

usage: loop_after_fork.py raw|forksafe
"""

import asyncio
import gc
import json
import os
import sys
import threading
import time

if sys.argv[1] == "forksafe":
    import forksafe

    forksafe.connect_async  # noqa: B018  (the async layer is loaded, as by any async forksafe use)


async def main():
    await asyncio.sleep(0)


loop = asyncio.get_event_loop()
loop.run_until_complete(main())
epoll_fd, self_pipe_fd = loop._selector.fileno(), loop._ssock.fileno()
del loop

pid = os.fork()
if pid == 0:
    asyncio.run(main())  # the child's own loop; asyncio drops the parent's copy
    gc.collect()  # a long-lived worker collects garbage sooner or later
    os._exit(0)
os.waitpid(pid, 0)


def registered(epfd, fd):
    """Is ``fd`` in the interest list of epoll ``epfd``? (/proc/self/fdinfo lists it.)"""
    with open(f"/proc/self/fdinfo/{epfd}") as f:
        return any(line.split()[:2] == ["tfd:", str(fd)] for line in f)


still_registered = registered(epoll_fd, self_pipe_fd)
woke = threading.Event()


def watchdog():  # bounded: a loop that never wakes is reported, not waited for
    if not woke.wait(5.0):
        print(json.dumps({"self_pipe_registered": still_registered, "executor_result": "never woke up"}))
        sys.stdout.flush()
        os._exit(0)


threading.Thread(target=watchdog, daemon=True).start()
loop = asyncio.get_event_loop()
loop.run_until_complete(loop.run_in_executor(None, time.sleep, 0.01))
woke.set()
print(json.dumps({"self_pipe_registered": still_registered, "executor_result": "done"}))
