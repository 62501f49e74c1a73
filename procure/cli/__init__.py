"""The ``procure`` command line: thin wrappers that parse options and call the library.

Library errors (:class:`procure.errors.ProcureError`) become one line, ``Fel: …`` (``Error: …``
with ``--lang en`` or ``PROCURE_LANG=en``), with exit code 1; bad options are click usage errors
with exit code 2. No traceback reaches a user for bad input.
"""

from __future__ import annotations

import re
import sys
import warnings
from gettext import gettext
from typing import Any

import click

from procure import __version__
from procure.errors import ProcureError, ProcureWarning
from procure.i18n import get_lang, pick


class UserError(click.ClickException):
    """A library error shown as one line with a prefix in the user's language."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        prefix = pick(get_lang(), "Fel", "Error")
        click.echo(f"{prefix}: {self.format_message()}", file=file, err=file is None)


# click's own wording of usage errors, in Swedish (click itself speaks English only)
_CLICK_SV: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), sv) for pattern, sv in (
        (r"^Invalid value for (.+?): ", r"ogiltigt värde för \1: "),
        (r"^Invalid value: ", "ogiltigt värde: "),
        (r"^Missing option (.+)\.", r"flaggan \1 saknas."),
        (r"^Missing argument (.+)\.", r"argumentet \1 saknas."),
        (r"^Missing parameter: (.+)", r"parametern \1 saknas"),
        (r"^No such option:? (.+?)\.?(?= |$)", r"flaggan \1 finns inte."),
        (r"^No such command (.+)\.", r"kommandot \1 finns inte."),
        (r"^Option (.+) requires an argument\.", r"flaggan \1 kräver ett värde."),
        (r"^Got unexpected extra arguments? \((.*)\)", r"oväntade argument (\1)"),
        (r"Did you mean (.+)\?", r"Menade du \1?"),
        (r"\(Possible options: (.+)\)", r"(Möjliga flaggor: \1)"),
        (r"(.+) is not one of (.+)\.$", r"\1 är inte ett av \2."),
        (r"(.+) is not a valid (integer|float)\.$", r"\1 är inget giltigt tal."),
        (r"\b(?:Path|File|Directory) ('.+') does not exist\.", r"\1 finns inte."),
        (r"\b(?:Path|File) ('.+') is a directory\.", r"\1 är en mapp."),
        (r"\b(?:Path|Directory) ('.+') is a file\.", r"\1 är en fil."),
    ))


def _click_sv(message: str) -> str:
    for pattern, sv in _CLICK_SV:
        message = pattern.sub(sv, message)
    return message


class SwedishUsageError(click.UsageError):
    """A click usage error (exit code 2) shown in Swedish: ``Användning: …`` / ``Fel: …``."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(_click_sv(error.format_message()), error.ctx)

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            usage = self.ctx.get_usage().replace("Usage:", "Användning:", 1)
            names = self.ctx.command.get_help_option_names(self.ctx)
            hint = (f"Skriv '{self.ctx.command_path} {max(names, key=len)}' för hjälp.\n"
                    if names else "")
            click.echo(f"{usage}\n{hint}", file=file, err=file is None, color=self.ctx.color)
        click.echo(f"Fel: {self.format_message()}", file=file, err=file is None)


class ProcureGroup(click.Group):
    """A group that turns library errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ProcureWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ProcureError as exc:
                raise UserError(str(exc)) from None
            except click.UsageError as exc:
                help_only = type(exc).__name__ == "NoArgsIsHelpError"  # click prints the help
                if get_lang() != "sv" or help_only or isinstance(exc, SwedishUsageError):
                    raise
                raise SwedishUsageError(exc) from None
            except KeyboardInterrupt:
                click.echo(pick(get_lang(), "Avbrutet", "Interrupted"), err=True)
                sys.exit(130)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
                  ) -> None:
    prefix = pick(get_lang(), "Varning", "Warning") if category is ProcureWarning \
        else category.__name__
    click.echo(f"{prefix}: {message}", err=True)


# Each command's module, its attribute there and its one-line help: ``procure --help`` lists
# the commands from this table without importing them (pandas, reportlab and openpyxl load
# only for the command that needs them). tests/test_cli_lazy.py checks the help against
# each command's own.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "annex": ("procure.cli.annex", "annex",
              "Write the climate requirement annex (PDF) for the procurement in SPEC."),
    "check": ("procure.cli.check", "check",
              "Check supplier answers against the spec: verdicts, qualification, comparison "
              "price."),
    "criteria": ("procure.cli.criteria", "criteria", "Browse and validate criteria sets."),
    "demo": ("procure.cli.demo", "demo",
             "Run the whole job on the built-in library and the examples, writing to OUTDIR."),
    "followup": ("procure.cli.register", "followup",
                 "Contract follow-up: what is due, and recording checks and deviations."),
    "match": ("procure.cli.match", "match",
              "Match a purchase text (or a whole file of them) to the library's categories."),
    "register": ("procure.cli.register", "register",
                 "The procurement register: procurements, contracts and their follow-up plans."),
    "report": ("procure.cli.report", "report",
               "Reports from the register: the yearly follow-up of climate requirements."),
    "serve": ("procure.cli.serve", "serve",
              "Start the browser app: the criteria library, new procurements, checking "
              "answers, spend."),
    "spec": ("procure.cli.spec", "spec",
             "Create and inspect a procurement spec (one YAML file per procurement)."),
    "template": ("procure.cli.check", "template",
                 "Write the answer template (XLSX) that suppliers fill in."),
}
# Subcommands a group gets from another module when it loads: (module, list attribute)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "criteria": ("procure.cli.sharing", "commands"),  # install, sets, export, import, diff …
}


class LazyGroup(ProcureGroup):
    """The top-level group: a command's module is imported only when that command runs (or
    its own help is asked for); the group's help lists commands from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, attribute, _ = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            if cmd_name in SUBCOMMANDS:
                module, attribute = SUBCOMMANDS[cmd_name]
                for sub in getattr(importlib.import_module(module), attribute):
                    command.add_command(sub)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                rows.append((name, loaded.get_short_help_str(limit)))
            else:
                # a stand-in shortens the table's help the way click shortens a command's
                stand_in = click.Command(name, help=COMMANDS[name][2])
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section(gettext("Commands")):  # as click words it
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procure")
def main() -> None:
    """procure — climate requirements for public procurement.

    Browse the climate criteria library, match purchases and spend to categories,
    write the requirement annex and the answer template, check supplier answers.
    Start with: procure demo
    """
