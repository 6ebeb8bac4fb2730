#!/usr/bin/env bash
# Runs the whole test suite of the template from a fresh clone: creates .venv, installs the pinned
# requirements, then pytest. Extra arguments go to pytest (e.g. scripts/tests.sh -k checklist).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

# Debian tools the tests drive: Chromium for the browser tests (no browser download), shellcheck for
# the generated workflows' shell steps, nginx and Caddy for the production servers a stack configures.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Paquets requis pour les tests : sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

exec .venv/bin/python -m pytest "$@"
