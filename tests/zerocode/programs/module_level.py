"""A program with a module-level connection, handing work to forked processes the usual ways.

FS_DB: JSON {"module": driver module, "args": [...], "kwargs": {...}, "placeholder": "%s" or "?"}.
FS_MODE: "pool" (multiprocessing.Pool.map), "executor" (ProcessPoolExecutor) or "fork" (os.fork,
children ending through a normal interpreter exit). FS_TABLE, FS_TASKS, FS_ROWS, FS_DEADLINE.

Every task checks that the server echoes a token only it can expect before each insert, so a
connection shared across processes fails instead of passing by luck. Prints a JSON summary;
exit code 0 only if every task succeeded, every row landed and the parent's connection works.
"""

# ruff: noqa: UP031  (written the way such programs are: %-formatting, as in the report)

import concurrent.futures
import importlib
import json
import multiprocessing
import os
import sys
import time
import traceback

CONFIG = json.loads(os.environ["FS_DB"])
TABLE = os.environ["FS_TABLE"]
MODE = os.environ.get("FS_MODE", "pool")
TASKS = int(os.environ.get("FS_TASKS", "8"))
ROWS = int(os.environ.get("FS_ROWS", "50"))
DEADLINE = float(os.environ.get("FS_DEADLINE", "60"))
P = CONFIG["placeholder"]

driver = importlib.import_module(CONFIG["module"])
conn = driver.connect(*CONFIG["args"], **CONFIG["kwargs"])  # module level, made once


def work(n):
    cur = conn.cursor()
    for i in range(ROWS):
        token = "%d-%d-%d" % (n, i, os.getpid())
        cur.execute("SELECT " + P, (token,))
        got = cur.fetchone()[0]
        if got != token:
            raise RuntimeError("task %d expected %r from the server, got %r" % (n, token, got))
        cur.execute("INSERT INTO %s (who, n) VALUES (%s, %s)" % (TABLE, P, P), (str(n), i))
    conn.commit()
    cur.close()
    return os.getpid()


def run_pool():
    with multiprocessing.Pool(4) as pool:
        result = pool.map_async(work, range(TASKS))
        try:
            return result.get(DEADLINE), []
        except multiprocessing.TimeoutError:
            return [], ["timed out"]
        except Exception as e:
            return [], [repr(e)]


def run_executor():
    ex = concurrent.futures.ProcessPoolExecutor(4)
    futures = [ex.submit(work, n) for n in range(TASKS)]
    done, pending = concurrent.futures.wait(futures, DEADLINE)
    errors = ["timed out"] if pending else []
    pids = []
    for f in done:
        try:
            pids.append(f.result())
        except Exception as e:
            errors.append(repr(e))
    if pending:
        for p in multiprocessing.active_children():
            p.kill()
    ex.shutdown(wait=not pending, cancel_futures=True)
    return pids, errors


def run_fork():
    children = []
    for n in range(TASKS):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(n)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.exit(code)  # a normal interpreter exit: atexit, GC, destructors
        children.append(pid)
    deadline = time.monotonic() + DEADLINE
    pending, errors = set(children), []
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pending.discard(pid)
                if os.waitstatus_to_exitcode(status) != 0:
                    errors.append("child %d exited %d" % (pid, os.waitstatus_to_exitcode(status)))
        time.sleep(0.02)
    for pid in pending:
        errors.append("child %d hung" % pid)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return children, errors


if __name__ == "__main__":
    cur = conn.cursor()
    cur.execute("SELECT 1")  # the parent uses its connection before forking
    cur.fetchall()
    cur.close()
    conn.commit()
    pids, errors = {"pool": run_pool, "executor": run_executor, "fork": run_fork}[MODE]()
    summary = {"mode": MODE, "connection_type": type(conn).__module__ + "." + type(conn).__qualname__,
               "real_type": type(conn).__module__, "errors": errors[:5], "expected": TASKS * ROWS}
    try:
        cur = conn.cursor()
        cur.execute("SELECT " + P, ("parent-%d" % os.getpid(),))
        assert cur.fetchone()[0] == "parent-%d" % os.getpid()
        cur.execute("SELECT COUNT(*) FROM " + TABLE)
        summary["rows"] = cur.fetchone()[0]
        summary["parent_ok"] = True
    except Exception as e:
        summary["parent_ok"] = False
        summary["parent_error"] = repr(e)
        fresh = driver.connect(*CONFIG["args"], **CONFIG["kwargs"])
        c = fresh.cursor()
        c.execute("SELECT COUNT(*) FROM " + TABLE)
        summary["rows"] = c.fetchone()[0]
        fresh.close()
    print(json.dumps(summary))
    ok = not errors and summary["parent_ok"] and summary["rows"] == summary["expected"]
    sys.exit(0 if ok else 1)
