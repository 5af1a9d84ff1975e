#!/usr/bin/env bash
# The test command: set up everything (scripts/setup.sh), then run the whole suite against private
# MariaDB, PostgreSQL and Redis servers that the tests start on free loopback ports, then the fork
# tests (tests/core, marked `fork`) again on Python 3.9 and 3.13. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
status=0
echo "== pytest on $(.venv/bin/python --version)"
.venv/bin/python -m pytest "$@" || status=$?
for v in 3.9 3.13; do
  echo "== fork tests on Python $v"
  ".venv-$v/bin/python" -m pytest -m fork -p no:cacheprovider tests/core "$@" || status=$?
done
echo "== tests took $(( $(date +%s) - start ))s"
exit $status
