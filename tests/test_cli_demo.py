"""``procure demo`` runs end to end on the examples and writes what it says it writes."""

from __future__ import annotations

import csv
import re

from procure.cli import main

from .conftest import MINI_SET


def test_demo_runs_and_every_reported_file_exists(runner, tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    written = re.findall(r"→ [^:]+: (\S+)", result.output)
    assert written, result.output
    for path in written:
        assert (tmp_path / "demo").exists()
        assert __import__("pathlib").Path(path).stat().st_size > 0, path
    with open(out / "kriterier.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows
    assert all(r["kravtext"] for r in rows)
    assert "{" not in "".join(r["kravtext"] for r in rows)  # params are filled


def test_mini_set_fixture_is_valid(runner):
    assert runner.invoke(main, ["criteria", "validate", str(MINI_SET)]).exit_code == 0
