#!/usr/bin/env bash
# Generates an example service from this checkout into a new folder (default: ./exemple-service):
# the Django app hosted on Scalingo, unless a copier option says otherwise (-d stack=nocode, …).
# Usage: scripts/exemple.sh [folder] [copier options, e.g. -d stack=nextjs]
set -euo pipefail
cd "$(dirname "$0")/.."
destination="${1:-exemple-service}"
shift || true

if [ -e "$destination" ]; then
  echo "Le dossier « $destination » existe déjà : choisissez-en un autre." >&2
  exit 1
fi
if [ ! -x .venv/bin/copier ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

.venv/bin/copier copy --trust --defaults --vcs-ref HEAD \
  --data-file tests/exemple-reponses.yml -d stack=django -d hosting=scalingo "$@" "$PWD" "$destination"
