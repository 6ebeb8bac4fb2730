#!/usr/bin/env bash
# Generates an example service from this clone into a new folder: the first app stack of the `stack`
# question (piles/, in question order: the Django app) on the first host its description offers, unless a copier
# option says otherwise (-d stack=nocode, …).
# Usage: scripts/exemple.sh [folder] [copier options, e.g. -d stack=<a file name of piles/>]
# The folder is read from where the command is run (default: exemple-service in the clone, git-ignored).
# A folder inside the clone that git does not ignore is refused: it would make the clone dirty, and every
# later copy from a dirty clone records in .copier-answers.yml a commit that exists nowhere, so that
# `copier update` then fails with « Unknown revision ».
set -euo pipefail
template="$(cd "$(dirname "$0")/.." && pwd -P)"
destination="${1:-$template/exemple-service}"
shift || true
# Absolute path without requiring the folder to exist (realpath -m is missing on macOS).
destination="$(python3 -c 'import os, sys; print(os.path.realpath(sys.argv[1]))' "$destination")"

if [ -e "$destination" ]; then
  echo "Le dossier « $destination » existe déjà : choisissez-en un autre." >&2
  exit 1
fi
case "$destination/" in
  "$template/")
    echo "Le service d'exemple ne peut pas remplacer le clone du modèle : choisissez un autre dossier." >&2
    exit 1
    ;;
  "$template/"*)
    inside="${destination#"$template"/}"
    if ! git -C "$template" check-ignore -q "$inside/"; then
      echo "« $destination » est dans le clone du modèle sans être ignoré par git : l'exemple y rendrait" >&2
      echo "le clone « sale », et les copies suivantes nommeraient dans .copier-answers.yml un commit qui" >&2
      echo "n'existe pas (copier update échouerait alors sur « Unknown revision »). Générez-le à côté du" >&2
      echo "clone, par exemple : scripts/exemple.sh ../mon-exemple" >&2
      exit 1
    fi
    ;;
esac
if [ -n "$(git -C "$template" status --porcelain)" ]; then
  echo "Attention : le clone du modèle a des changements non validés (git status). L'exemple les contient," >&2
  echo "mais son .copier-answers.yml nommera un commit qui n'existe nulle part : copier update y échouera" >&2
  echo "(« Unknown revision »). Validez-les d'abord (git commit) pour un exemple qui se met à jour." >&2
fi

cd "$template"
if [ ! -x .venv/bin/copier ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

read -r stack hosting < <(.venv/bin/python -c '
import importlib.util
spec = importlib.util.spec_from_file_location("piles", "extensions/piles.py")
piles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(piles)
first = next(stack for stack in piles.load_stacks().values() if stack["application"])
print(first["name"], first["hosts"][0])
')
.venv/bin/copier copy --trust --defaults --vcs-ref HEAD \
  --data-file tests/exemple-reponses.yml -d stack="$stack" -d hosting="$hosting" "$@" "$template" "$destination"
