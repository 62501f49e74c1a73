"""The top-level command group loads commands lazily: ``procure --help`` stays quick."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from procure.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_help_is_the_commands_own_short_help(name):
    module, attribute, help_text = COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    for limit in (40, 45, 60, 80, 200):
        stand_in = click.Command(name, help=help_text)  # what --help shows before loading
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), \
            (name, limit)


def test_every_registered_command_is_in_the_table():
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        assert command.name == name
    assert set(main.list_commands(ctx)) == set(COMMANDS)


def test_help_lists_every_command_with_its_help():
    result = CliRunner().invoke(main, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for name, (_, _, help_text) in COMMANDS.items():
        assert f"{name}  " in result.output
        assert help_text.split(".")[0] in result.output


def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom procure.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(run.stdout.splitlines()[-1].split())


def test_help_imports_no_pandas_or_command_modules():
    loaded = _modules_after(["--help"])
    assert "procure.cli" in loaded
    assert "pandas" not in loaded
    assert not {m for m, _, _ in COMMANDS.values()} & loaded


def test_a_command_is_imported_when_it_runs():
    loaded = _modules_after(["criteria", "--help"])
    assert "procure.cli.criteria" in loaded
    assert "procure.cli.match" not in loaded


def test_unknown_command_is_still_a_usage_error():
    result = CliRunner().invoke(main, ["nosuchcommand"])
    assert result.exit_code == 2
    assert "nosuchcommand" in result.output


def test_criteria_gets_its_sharing_subcommands_when_loaded():
    from procure.cli import sharing

    ctx = click.Context(main)
    group = main.get_command(ctx, "criteria")
    assert isinstance(group, click.Group)
    assert {c.name for c in sharing.commands} <= set(group.commands)
    assert "list" in group.commands
