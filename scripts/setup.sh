#!/usr/bin/env bash
# Everything a fresh Debian machine needs to run forksafe's tests: the database servers' Debian
# packages, a virtualenv with forksafe and every driver and engine, and the extra interpreters
# (Python 3.9 and 3.13 from pyenv) the fork tests also run on. Idempotent; run as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="mariadb-server postgresql redis-server libmariadb-dev pkg-config strace openssl"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "== installing Debian packages:$missing"
  $SUDO apt-get update -q
  # Servers only run as private instances started by the tests: keep the packages from starting
  # system-wide ones during the install (and leave the machine's own policy as it was afterwards).
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
  [ -z "$created_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi

PY="${FORKSAFE_PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "== installing forksafe and the test dependencies"
.venv/bin/python -m pip install -q -e '.[test,integrations,docs,dev,redis]'

# The fork tests also run on the oldest and newest supported interpreters.
for v in 3.9 3.13; do
  venv=".venv-$v"
  interp=""
  for cand in "$HOME"/.pyenv/versions/"$v".*/bin/python"$v" "$(command -v python$v || true)"; do
    [ -x "$cand" ] && interp="$cand" && break
  done
  if [ -z "$interp" ]; then
    echo "Python $v is not installed (expected under pyenv); the fork tests need it" >&2
    exit 1
  fi
  [ -x "$venv/bin/python" ] || "$interp" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e '.[fork-tests]'
done
echo "== set-up done"
