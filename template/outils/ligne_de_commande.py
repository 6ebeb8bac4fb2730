"""The command-line parser of the team's tools, in French: headings, help option and error messages."""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2

ARGPARSE_FR = (
    ("the following arguments are required", "arguments obligatoires manquants"),
    ("unrecognized arguments", "arguments inconnus"),
    ("invalid choice", "choix impossible"),
    ("expected one argument", "une valeur est attendue"),
    ("(choose from", "(au choix :"),
    ("argument ", "option "),
)


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
        for english, french in ARGPARSE_FR:
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Erreur d'utilisation : {message}\nAide : python3 outils/{self.prog} --help\n")
