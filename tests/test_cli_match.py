"""``procure match`` through the CLI: one text, whole files, and every kind of bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from procure.cli import main
from procure.cli.democontext import DemoContext
from procure.cli.match import demo_step

from .conftest import EXAMPLES, MINI_SET

SPEND_ARGS = ["--text-column", "Leverantör", "--text-column", "Kontotext",
              "--text-column", "Fakturatext", "--amount-column", "Belopp"]


def run(runner, *args):
    return runner.invoke(main, ["match", *args], catch_exceptions=False)


def test_one_text_as_a_table(runner):
    result = run(runner, "Upphandling av skolskjuts 2026–2030", "--set", str(MINI_SET))
    assert result.exit_code == 0
    assert "transport.school" in result.output
    assert "hög" in result.output  # Swedish by default
    assert "“skolskjuts”" in result.output
    english = run(runner, "Upphandling av skolskjuts 2026–2030", "--set", str(MINI_SET),
                  "--lang", "en")
    assert "confidence" in english.output
    assert "high" in english.output


def test_one_text_as_json_with_cpv(runner):
    result = run(runner, "Transporter", "--cpv", "60130000", "--format", "json",
                 "--set", str(MINI_SET))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["match"] is True
    assert data["matches"][0]["category_id"] == "transport.school"
    assert data["matches"][0]["why"][0]["kind"] == "cpv"


def test_no_match_says_so(runner):
    result = run(runner, "Juridiska konsulttjänster")
    assert result.exit_code == 0
    assert "Ingen matchning: texten passar ingen kategori" in result.output
    assert "No match" in run(runner, "Juridiska konsulttjänster", "--lang", "en").output
    data = json.loads(run(runner, "Revision av årsredovisning", "--format", "json").output)
    assert data == {"text": "Revision av årsredovisning", "cpv": None, "match": False,
                    "matches": []}


def test_bad_cpv_is_a_warning_and_the_text_still_matches(runner):
    result = run(runner, "Skolskjuts", "--cpv", "6013-00", "--set", str(MINI_SET))
    assert result.exit_code == 0
    assert "Warning: CPV code '6013-00' is not 8 digits" in result.output
    assert "transport.school" in result.output


def test_limit(runner):
    result = run(runner, "Transport av livsmedel och möbler", "--limit", "1", "--format", "json")
    assert len(json.loads(result.output)["matches"]) == 1


def test_file_with_spend_summary(runner, tmp_path):
    out = tmp_path / "matchad.csv"
    result = run(runner, "--input", str(EXAMPLES / "spend.csv"), *SPEND_ARGS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "CSV, UTF-8, avgränsare semikolon, decimaltecken komma" in result.output
    assert "construction.buildings" in result.output
    assert "matchade ingen kategori" in result.output
    frame = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(frame) == len(pd.read_csv(EXAMPLES / "spend.csv", sep=";"))
    assert {"category_id", "category_name", "score", "confidence", "runner_up_id"} <= set(
        frame.columns)


def test_the_spend_table_lines_up_its_amounts(runner, tmp_path):
    """Amounts in one column: the same decimals in every row, set flush right, as in Excel."""
    source = tmp_path / "reskontra.csv"
    source.write_text("Text;Belopp\nSkolskjuts norr;125 000\nSkolskjuts syd;118 500,50\n"
                      "Diesel tankkort;1 200\nJuridisk rådgivning;40 000\n", encoding="utf-8")
    result = run(runner, "--input", str(source), "--text-column", "Text", "--amount-column",
                 "Belopp", "-o", str(tmp_path / "ut.csv"), "--set", str(MINI_SET))
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.endswith("%")]
    assert len(rows) == 2  # school transport, and what matched nothing
    assert all(" kr" in line and line.split(" kr")[0][-3] == "," for line in rows)  # öre
    ends = {line.index(" kr") for line in rows}
    assert len(ends) == 1  # flush right: every amount ends in the same place


def test_file_to_xlsx_and_json_summary(runner, tmp_path):
    out = tmp_path / "matchad.xlsx"
    result = run(runner, "--input", str(EXAMPLES / "spend.csv"), *SPEND_ARGS, "-o", str(out),
                 "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["rows"] == len(pd.read_excel(out))
    assert 0 < data["spend"]["unmatched_share"] < 0.1


def test_windows_1252_file_is_detected_and_reported(runner, tmp_path):
    source = tmp_path / "reskontra.csv"
    source.write_bytes("Text;Belopp\nSkolskjuts Åre;1 000,50\n".encode("cp1252"))
    result = run(runner, "--input", str(source), "--text-column", "Text", "--amount-column",
                 "Belopp", "-o", str(tmp_path / "ut.csv"), "--set", str(MINI_SET))
    assert result.exit_code == 0
    assert "Windows-1252" in result.output
    assert "1\u00a0000,50 kr" in result.output


def test_missing_column_lists_the_columns(runner, tmp_path):
    result = run(runner, "--input", str(EXAMPLES / "spend.csv"), "--text-column", "Text",
                 "-o", str(tmp_path / "ut.csv"))
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert "'Text' not found; the file has: 'Verifikation', 'Datum', 'Leverantör'" in \
        result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file, not a spreadsheet"),
    ("Text\nÅkeri\n".encode("cp850"), "encoding could not be read"),
])
def test_bad_files_exit_1_with_one_line(runner, tmp_path, content, message):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    result = run(runner, "--input", str(source), "--text-column", "Text",
                 "-o", str(tmp_path / "ut.csv"))
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("Error:")
    assert "Traceback" not in result.output


def test_output_over_input_is_refused(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Text\nSkolskjuts\n", encoding="utf-8")
    result = run(runner, "--input", str(source), "--text-column", "Text", "-o", str(source))
    assert result.exit_code == 1
    assert "overwrite an input" in result.output
    assert source.read_text(encoding="utf-8") == "Text\nSkolskjuts\n"


@pytest.mark.parametrize("args", [
    [],
    ["text", "--input", "x.csv", "--text-column", "T", "-o", "y.csv"],
    ["--input", "x.csv", "-o", "y.csv"],
    ["--input", "x.csv", "--text-column", "T"],
    ["--input", "x.csv", "--text-column", "T", "-o", "y.pdf"],
    ["text", "--text-column", "T"],
])
def test_usage_errors_exit_2(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 2


def test_demo_step(tmp_path, library):
    ctx = DemoContext(outdir=tmp_path, examples=EXAMPLES, criteria_set=library)
    demo_step(ctx)
    assert ctx.written == [tmp_path / "utgifter-matchade.csv"]
    frame = pd.read_csv(ctx.written[0], sep=";", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    assert (frame["category_id"] != "").mean() > 0.85
