"""The command-line parser of the team's tools, in French: headings, help option and error messages."""

from __future__ import annotations

import argparse
import re
import sys

EXIT_USAGE = 2

# argparse's messages, rewritten in French with French quotes and a space before the colon. The
# wording differs between Python versions (quotes around choices or not), hence patterns.
ARGPARSE_FR = (
    (re.compile(r"the following arguments are required: "), "arguments obligatoires manquants : "),
    (re.compile(r"unrecognized arguments: "), "arguments inconnus : "),
    (re.compile(r"invalid choice: '?([^'()]*?)'?(?= \(|$)"), r"choix impossible : « \1 »"),
    (re.compile(r"invalid (\w+) value: '?([^']*?)'?$"), r"valeur impossible : « \2 »"),
    (re.compile(r"expected one argument"), "une valeur est attendue"),
    (re.compile(r"ambiguous option: "), "option ambiguë : "),
    (re.compile(r"^argument (-\S+): "), r"option \1 : "),
    (re.compile(r"^argument (\S+): "), r"argument \1 : "),
)
CHOICES = re.compile(r"\(choose from (.*)\)$")


def french_quotes(items: str) -> str:
    """« 'a', 'b' » or « a, b » (by Python version) -> « « a », « b » »."""
    return ", ".join(f"« {item.strip().strip(chr(39))} »" for item in items.split(","))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 0 lien », « 1 lien », « 2 liens »: in French, 0 and 1 take the singular."""
    return f"{count} {singular if abs(count) < 2 else (plural_form or singular + 's')}"


def french_error(message: str) -> str:
    choices = CHOICES.search(message)
    if choices:
        message = message[: choices.start()] + f"(au choix : {french_quotes(choices.group(1))})"
    for pattern, french in ARGPARSE_FR:
        message = pattern.sub(french, message)
    return message


class FrenchHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes an empty prefix when it builds the prog of a subcommand: keep it empty.
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse in French: headings, help option and error messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", FrenchHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide")

    def error(self, message: str):
        message = french_error(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Erreur d'utilisation : {message}\nAide : python3 outils/{self.prog} --help\n")
