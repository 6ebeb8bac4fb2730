#!/usr/bin/env python3
"""Measure what a team waits for: `copier copy` and `copier update` of this template, against a
one-file Copier template copied the same way. Prints the medians and the ratios.

    .venv/bin/python scripts/benchmark.py            # 5 runs of each measure
    .venv/bin/python scripts/benchmark.py --runs 9
    .venv/bin/python scripts/benchmark.py --copie-seule --piles static nocode

Both templates are committed and tagged in temporary git repositories and copied with the command
line, as teams do (`copier copy --trust --defaults -r <tag>`). For the update, this template gets a
previous version (v1.0.0, its playbook lacking the last items of three sections) and today's
(v2.0.0); a project copied at v1.0.0 and committed is updated to v2.0.0 (`copier update --trust
--defaults --skip-answered`), as the scheduled workflow does. Both template repositories are packed, as
a repository fetched from a forge is: a freshly committed one holds one file per object, which the
local clone of every copy would link and delete again, a cost no team pays.

Every stack offered by copier.yml's `stack` question is measured (`--piles` picks some of them).

The template's compiled files are kept between copies (extensions/compile_cache.py), in a temporary
folder of the benchmark's own: the first copy of each stack, made with that folder empty, is printed
apart, as the copy of a machine that never copied this release (such as a workflow's fresh runner);
the measured runs come after it, as the copies and updates that follow on the same machine.

Targets: a copy of any stack takes at most 2 × the one-file template's copy; an update at most
2 × this template's copy, in elapsed time. The processor time of each command (Copier and the git
processes it waits for) is printed beside it: on a machine busier than its cores, elapsed times stretch
unevenly and the processor times' ratio is the steadier one; the load is printed before and after.
Then runs scripts/benchmark_outils.py when it exists (not with --copie-seule).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from update_contract import choice_entries, load_settings  # noqa: E402
from update_helpers import GIT_ENV, build_template_repo, commit_all, older_playbook, yaml_value  # noqa: E402
from update_histories import EXAMPLE_ANSWERS  # noqa: E402

COPY_TARGET = 2.0
UPDATE_TARGET = 2.0


def one_file_template(dest: Path) -> Path:
    (dest / "template").mkdir(parents=True)
    (dest / "copier.yml").write_text(
        "_subdirectory: template\nservice_name:\n  type: str\n  default: Mon Service\n",
        encoding="utf-8",
    )
    (dest / "template" / "README.md.jinja").write_text("# {{ service_name }}\n", encoding="utf-8")
    (dest / "template" / "{{ _copier_conf.answers_file }}.jinja").write_text("{{ _copier_answers | to_nice_yaml -}}\n", encoding="utf-8")
    commit_all(dest, "Un seul fichier")
    subprocess.run(["git", "tag", "v1.0.0"], cwd=dest, check=True, env=GIT_ENV)
    return dest


def pack(repository: Path) -> Path:
    """Objects in one pack, as in a repository cloned from a forge."""
    for command in (["repack", "-a", "-d", "-q"], ["prune"]):
        subprocess.run(["git", *command], cwd=repository, check=True, env=GIT_ENV)
    return repository


def processor_time() -> float:
    """User and system time of the finished child processes (and of the processes they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Set by main: the temporary folder of the Copier commands, where Jinja keeps the template's compiled
# files (extensions/compile_cache.py). Empty at the start, so that the first copy of each stack is
# measured as on a machine that never copied this release.
COPIER_ENV = dict(GIT_ENV)


def copier(*args: str) -> tuple[float, float]:
    """Elapsed and processor time of one Copier command."""
    start, start_processor = time.perf_counter(), processor_time()
    result = subprocess.run([sys.executable, "-m", "copier", *args], env=COPIER_ENV, capture_output=True, text=True)
    elapsed, processor = time.perf_counter() - start, processor_time() - start_processor
    if result.returncode != 0:
        raise SystemExit(f"copier {' '.join(args[:1])} a échoué :\n{result.stderr}")
    return elapsed, processor


def load() -> str:
    return "charge de la machine : " + " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cœurs)"


def data(answers: dict) -> list[str]:
    return [f"--data={key}={yaml_value(value)}" for key, value in answers.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure copy et update du modèle.")
    parser.add_argument("--runs", type=int, default=5, help="nombre de mesures par cas (médiane)")
    parser.add_argument("--piles", nargs="+", metavar="PILE", help="piles mesurées (toutes celles de copier.yml sinon)")
    parser.add_argument("--copie-seule", action="store_true", help="ne mesure pas la mise à jour")
    options = parser.parse_args(argv)
    runs = options.runs

    settings = load_settings()
    offered = [value for value, selectable in choice_entries(settings["stack"]) if selectable]
    unknown = sorted(set(options.piles or []) - set(offered))
    if unknown:
        parser.error(f"pile inconnue : {', '.join(unknown)} (copier.yml propose {', '.join(offered)})")
    stacks = [stack for stack in offered if not options.piles or stack in options.piles]
    work = Path(tempfile.mkdtemp(prefix="benchmark-"))
    try:
        print(f"Préparation des modèles dans {work}…", flush=True)
        simple = pack(one_file_template(work / "un-fichier"))
        ours = pack(build_template_repo(work / "modele", [("v1.0.0", older_playbook()), ("v2.0.0", None)]))
        counter = iter(range(10_000))

        def fresh() -> Path:
            return work / f"projet-{next(counter)}"

        def temporary_folder(name: str) -> Path:
            (work / f"tmp-{name}").mkdir()
            return work / f"tmp-{name}"

        def first_copy_of(answers: dict) -> float:
            """A copy on a machine that never copied this release: nothing compiled kept yet."""
            COPIER_ENV["TMPDIR"] = str(temporary_folder(f"premiere-copie-{answers['stack']}"))
            return copier("copy", "--trust", "--defaults", "--quiet", "-r", "v2.0.0", *data(answers), str(ours), str(fresh()))[0]

        def update_of(answers: dict) -> tuple[float, float]:
            project = fresh()
            copier("copy", "--trust", "--defaults", "--quiet", "-r", "v1.0.0", *data(answers), str(ours), str(project))
            commit_all(project, "Création depuis le modèle")
            return copier("update", "--trust", "--defaults", "--skip-answered", "--quiet", "-r", "v2.0.0", str(project))

        # Measures are interleaved, run after run, so that a busy machine slows them alike.
        print(load(), flush=True)
        first_copy = {stack: first_copy_of({**EXAMPLE_ANSWERS, "stack": stack}) for stack in stacks}
        COPIER_ENV["TMPDIR"] = str(temporary_folder("mesures"))
        times: dict[str, list[tuple[float, float]]] = {}
        for run in range(runs):
            print(f"  mesure {run + 1}/{runs}", flush=True)
            times.setdefault("un-fichier", []).append(
                copier("copy", "--trust", "--defaults", "--quiet", "-r", "v1.0.0", str(simple), str(fresh()))
            )
            for stack in stacks:
                answers = {**EXAMPLE_ANSWERS, "stack": stack}
                times.setdefault(f"copy {stack}", []).append(
                    copier("copy", "--trust", "--defaults", "--quiet", "-r", "v2.0.0", *data(answers), str(ours), str(fresh()))
                )
                if not options.copie_seule:
                    times.setdefault(f"update {stack}", []).append(update_of(answers))
        print(load(), flush=True)
        median = {name: statistics.median(elapsed for elapsed, _ in values) for name, values in times.items()}
        processor = {name: statistics.median(used for _, used in values) for name, values in times.items()}

        baseline = median["un-fichier"]
        print(f"\ncopy du modèle à un fichier : {baseline:.2f} s, processeur {processor['un-fichier']:.2f} s (médianes de {runs})")
        ok = True
        for stack in stacks:
            copy_time = median[f"copy {stack}"]
            copy_ratio = copy_time / baseline
            ok &= copy_ratio <= COPY_TARGET
            line = (
                f"pile {stack:8} copy {copy_time:.2f} s → {copy_ratio:.2f} × le modèle à un fichier "
                f"({'atteint' if copy_ratio <= COPY_TARGET else 'MANQUÉ'} : ≤ {COPY_TARGET:g}), "
                f"processeur {processor[f'copy {stack}'] / processor['un-fichier']:.2f} × ; "
                f"première copie de la version sur la machine {first_copy[stack]:.2f} s → {first_copy[stack] / baseline:.2f} ×"
            )
            if not options.copie_seule:
                update_time = median[f"update {stack}"]
                update_ratio = update_time / copy_time
                ok &= update_ratio <= UPDATE_TARGET
                line += (
                    f" ; update {update_time:.2f} s → {update_ratio:.2f} × sa copy "
                    f"({'atteint' if update_ratio <= UPDATE_TARGET else 'MANQUÉ'} : ≤ {UPDATE_TARGET:g}), "
                    f"processeur {processor[f'update {stack}'] / processor[f'copy {stack}']:.2f} ×"
                )
            print(line, flush=True)
        print("\nObjectifs atteints." if ok else "\nAu moins un objectif manqué.")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    tools = ROOT / "scripts" / "benchmark_outils.py"
    if tools.exists() and not options.copie_seule:
        print(f"\n{tools.relative_to(ROOT)} :", flush=True)
        subprocess.run([sys.executable, str(tools)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
