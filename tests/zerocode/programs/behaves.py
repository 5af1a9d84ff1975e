"""Reports how it was started, then exits or fails as asked: compared under python and forksafe run."""

import json
import os
import sys

print(json.dumps({"argv": sys.argv, "path0": sys.path[0], "name": __name__, "file": __file__,
                  "spec": repr(globals().get("__spec__") and __spec__.name), "cwd": os.getcwd()}))
sys.stdout.flush()


def fail(how):
    if how == "raise":
        raise ValueError("failing as asked")
    if how.startswith("exit"):
        sys.exit(int(how[4:]))
    if how == "message":
        sys.exit("leaving with a message")


if len(sys.argv) > 1:
    fail(sys.argv[1])
