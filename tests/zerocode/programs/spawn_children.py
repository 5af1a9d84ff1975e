"""Children started by spawn and forkserver, and a subprocess: are they patched?

Each child re-imports this file, so its module-level connection is its own; what the test looks
at is that the interpreters ``forksafe run`` did not start itself run patched, with the policy
from the environment, and that a forksafe connection works in them. (Python 3.11's forkserver
does not preload ``__main__``: ``get_preparation_data`` names the key ``init_main_from_path``,
the forkserver asks for ``main_path``; where it does, its children would share the
connection made in the forkserver, and patching is what keeps them apart.)
FS_MYSQL, FS_ROWS, FS_DEADLINE.
"""

# ruff: noqa: UP031  (written the way such programs are: %-formatting, as in the report)

import json
import multiprocessing
import os
import subprocess
import sys

import MySQLdb

settings = json.loads(os.environ["FS_MYSQL"])
ROWS = int(os.environ.get("FS_ROWS", "50"))
DEADLINE = float(os.environ.get("FS_DEADLINE", "60"))

conn = MySQLdb.connect(**settings)  # module level


def task(i):
    patch = sys.modules.get("forksafe._patch")
    cur = conn.cursor()
    for k in range(ROWS):
        token = "%d-%d-%d" % (i, k, os.getpid())
        cur.execute("SELECT %s", (token,))
        got = cur.fetchone()[0]
        if got != token:
            raise RuntimeError("expected %r from the server, got %r" % (token, got))
    return {"pid": os.getpid(), "patched": bool(patch and patch.is_patched()),
            "policy": os.environ.get("FORKSAFE_ON_FORK"), "type": type(conn).__module__}


if __name__ == "__main__":
    summary = {}
    for method in ("spawn", "forkserver"):
        with multiprocessing.get_context(method).Pool(4) as pool:
            try:
                summary[method] = pool.map_async(task, range(8), chunksize=1).get(DEADLINE)
            except Exception as e:
                summary[method] = repr(e)
    probe = "import sys; p = sys.modules.get('forksafe._patch'); print(bool(p and p.is_patched()))"
    summary["subprocess_patched"] = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                                   text=True, timeout=60).stdout.strip() == "True"
    print(json.dumps(summary))
