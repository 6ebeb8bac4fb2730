#!/usr/bin/env bash
# Runs the whole test suite of the template from a fresh clone: creates .venv, installs the pinned
# requirements, then pytest. Extra arguments go to pytest (e.g. scripts/tests.sh -k checklist).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

# Browser tests of the generated apps drive Debian's Chromium (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium est requis pour les tests de navigateur : sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

exec .venv/bin/python -m pytest "$@"
