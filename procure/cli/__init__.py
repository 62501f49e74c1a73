"""The ``procure`` command line: thin wrappers that parse options and call the library.

Library errors (:class:`procure.errors.ProcureError`) become ``Error: …`` with exit code 1;
bad options are click usage errors with exit code 2. No traceback reaches a user for bad input.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import click

from procure import __version__
from procure.errors import ProcureError, ProcureWarning


class ProcureGroup(click.Group):
    """A group that turns library errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ProcureWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ProcureError as exc:
                raise click.ClickException(str(exc)) from None
            except KeyboardInterrupt:
                click.echo("Avbrutet / interrupted", err=True)
                sys.exit(130)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
                  ) -> None:
    prefix = "Varning" if category is ProcureWarning else category.__name__
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
