"""``procure demo`` runs end to end on the examples and writes what it says it writes."""

from __future__ import annotations

import csv
import re

from procure.cli import main

from .conftest import MINI_SET, assert_one_line_error, assert_usage_error


def test_demo_runs_and_every_reported_file_exists(runner, tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    written = re.findall(r"^  → [^:\n]+: (\S+)$", result.output, flags=re.M)
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


def test_demo_into_an_existing_file_is_a_usage_error(runner, tmp_path):
    afile = tmp_path / "demo"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["demo", str(afile)])
    assert_usage_error(result, "is a file")
    assert afile.read_text(encoding="utf-8") == "x"


def test_demo_into_a_folder_below_a_file(runner, tmp_path):
    afile = tmp_path / "demo"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["demo", str(afile / "ut")])
    assert_one_line_error(result, "demo/ut: cannot create the folder")
