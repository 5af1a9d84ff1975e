"""A parent opens and uses a connection, forks, the child does one thing with the inherited copy and
ends, then the parent checks its own session still works. Prints one JSON line.

Run as its own interpreter (not inside pytest) so the child can end through a real interpreter
shutdown, and so the tests can trace it with strace.

usage: inherit_and_leave.py DRIVER MODE ACTION   (connection arguments in $FORKSAFE_CONNECT_ARGS)
  MODE: forksafe | raw
  ACTION: close | gc | exit | kill | use
"""

import gc
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))

from harness.drivers import BY_NAME

import forksafe

driver, mode, action = sys.argv[1:4]
spec = BY_NAME[driver]
call = json.loads(os.environ["FORKSAFE_CONNECT_ARGS"])
args, kwargs = call["args"], call["kwargs"]

if mode == "forksafe":
    holder = [forksafe.connect(spec.connect_fn, *args, **kwargs)]
else:
    holder = [spec.connect_fn(*args, **kwargs)]
cur = holder[0].cursor()
cur.execute(spec.backend_id_sql())
before = cur.fetchone()[0]
holder[0].commit()

pid = os.fork()
if pid == 0:
    if action == "close":
        holder[0].close()
        os._exit(0)
    elif action == "gc":
        holder.clear()
        del cur
        gc.collect()
        os._exit(0)
    elif action == "exit":
        sys.exit(0)  # full interpreter shutdown with the connection still referenced
    elif action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "use":
        c = holder[0].cursor()
        c.execute(spec.backend_id_sql())
        child_backend = c.fetchone()[0]
        holder[0].close()
        sys.exit(0 if spec.server == "sqlite" or child_backend != before else 3)
    os._exit(5)

_, status = os.waitpid(pid, 0)
time.sleep(0.2)  # let the server act on whatever the child sent
result = {"child_pid": pid, "child_status": os.waitstatus_to_exitcode(status), "parent_ok": False,
          "error": ""}
try:
    cur = holder[0].cursor()
    cur.execute(spec.backend_id_sql())
    result["parent_ok"] = cur.fetchone()[0] == before
    holder[0].commit()
except Exception as exc:
    result["error"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(result), flush=True)
os._exit(0)
