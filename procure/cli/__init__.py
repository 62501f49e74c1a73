"""The ``procure`` command line: thin wrappers that parse options and call the library.

Library errors (:class:`procure.errors.ProcureError`) become one line, ``Fel: …`` (``Error: …``
with ``--lang en`` or ``PROCURE_LANG=en``), with exit code 1; bad options are click usage errors
with exit code 2. No traceback reaches a user for bad input.
"""

from __future__ import annotations

import sys
import warnings
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
            except KeyboardInterrupt:
                click.echo("Avbrutet / interrupted", err=True)
                sys.exit(130)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
                  ) -> None:
    prefix = pick(get_lang(), "Varning", "Warning") if category is ProcureWarning \
        else category.__name__
    click.echo(f"{prefix}: {message}", err=True)


@click.group(cls=ProcureGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procure")
def main() -> None:
    """procure — climate requirements for public procurement.

    Browse the climate criteria library, match purchases to categories, write the
    requirement annex and answer template, check supplier answers and follow up.
    """


def _register() -> None:
    from procure.cli import annex, check, criteria, demo, match, spec

    for command in (criteria.criteria, match.match, *spec.commands, *check.commands,
                    *annex.commands, demo.demo):
        main.add_command(command)


_register()
