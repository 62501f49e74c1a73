"""``procure report followup`` and ``procure report factors`` through the CLI, on the fixture.

PDF text is read back with pypdf; the figures looked for are the hand-computed ones of
tests/test_indicators.py, as the report prints them.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from pypdf import PdfReader

from procure.cli import main

from .conftest import assert_one_line_error, assert_usage_error
from .register_fixture import BUF, KF, TF, build_register

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("reg") / "register.db"
    build_register(path).dispose()
    return path


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")


def run(runner, *args):
    return runner.invoke(main, ["report", "followup", *map(str, args)])


def test_pdf_in_swedish_with_hand_computed_figures(runner, db, tmp_path):
    out = tmp_path / "uppfoljning.pdf"
    result = run(runner, "--year", 2026, "--db", db, "--as-of", "2026-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"Skrev {out}" in result.output
    reader = PdfReader(str(out))
    assert reader.metadata.title == "Uppföljning av klimatkrav i upphandling 2026"
    assert "/Lang" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    first = reader.pages[0].extract_text().replace(NBSP, " ")
    # the summary page: 5 procurements (10.5 M), 60 % / 95 % with climate criteria, 75 % (3 of
    # 4) followed up, 4 overdue, 57 % of 6.12 M spend covered, 2025 beside it
    for needle in ("Sammanfattning", "5 (10,5 mnkr)", "60 %", "95 %", "75 % (3 av 4)",
                   "100 % (1 av 1)", "6,1 mnkr", "57 %", "3 rader, 220 000 kr", "2 av 5",
                   "ingen faktortabell", "Städ och rengöring"):
        assert needle in first, needle
    text = pdf_text(out)
    for needle in ("Upphandling med klimatkrav", "selectionCriteria", "BT-805", "BT-774",
                   "clim-mitig", "Uppföljning av avtalen", "Skolbuss i Norr AB", "2026-11-15",
                   "Var pengarna går utan klimatkrav", "Okänd leverantör AB", "200 000 kr",
                   "Utsläppsindikation", "Ingen faktortabell angavs", "Utveckling över åren",
                   "Så räknas siffrorna", "25 000 kr", "Sida 1 av"):
        assert needle in text, needle


def test_english_pdf_by_organisation(runner, db, tmp_path):
    out = tmp_path / "followup.pdf"
    result = run(runner, "--year", 2026, "--db", db, "--as-of", "2026-12-31", "--lang", "en",
                 "--by", "organisation", "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(out))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = pdf_text(out)
    assert "Key figures by organisation" in text
    for name in (BUF, KF, TF):
        assert name in text
    assert "Follow-up coverage" in text
    assert "Sammanfattning" not in text


def test_json_to_screen_has_plain_english_keys(runner, db):
    result = run(runner, "--year", 2026, "--db", db, "--as-of", "2026-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["share_with_climate_criteria"]["procurements_by_count"] == pytest.approx(0.6)
    assert data["followup_coverage"]["coverage"] == pytest.approx(0.75)
    assert [r["checkpoints"] for r in data["overdue"]] == [2, 1, 1]
    assert data["spend_gap"]["total_sek"] == 6_120_000
    assert data["spend_gap"]["unmatched"]["lines"] == 3
    assert data["emissions"]["left_out"] is True


def test_organisation_filter_through_the_cli(runner, db, tmp_path):
    out = tmp_path / "kf.json"
    result = run(runner, "--year", 2026, "--db", db, "--organisation", KF, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["organisation"] == KF
    assert data["procurements_started"]["count"] == 2
    assert data["spend_gap"]["covered_sek"] == 2_000_000


def test_xlsx_one_sheet_per_section_in_the_run_language(runner, db, tmp_path):
    out = tmp_path / "uppfoljning.xlsx"
    result = run(runner, "--year", 2026, "--db", db, "--as-of", "2026-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Sammanfattning", "Upphandling", "eForms", "Uppföljning",
                               "Inköp utan klimatkrav", "Utsläppsindikation", "Utveckling",
                               "Så räknas siffrorna"]
    rows = list(book["Inköp utan klimatkrav"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Kategori")
    assert header[:3] == ("Kategori", "Rader", "Inköp (kr)")
    construction = next(r for r in rows if r[0] and "(construction)" in str(r[0]))
    assert construction[1:5] == (2, 2_500_000, 2_000_000, 0.8)
    unmatched = next(r for r in rows if r[0] == "Okänd leverantör AB")
    assert unmatched[1:] == ("556000-0011", 2, 200_000, None)


def test_a_year_without_data_says_so_and_exits_0(runner, db, tmp_path):
    out = tmp_path / "tom.pdf"
    result = run(runner, "--year", 2031, "--db", db, "-o", out)
    assert result.exit_code == 0, result.output
    assert "inga uppgifter för 2031" in result.output
    text = pdf_text(out)
    assert "Registret har inga uppgifter för 2031" in text
    assert "År med uppgifter: 2025, 2026" in text


def test_unknown_organisation_names_the_known_ones(runner, db, tmp_path):
    result = run(runner, "--year", 2026, "--db", db, "--organisation", "Kultur",
                 "-o", tmp_path / "x.pdf")
    assert_one_line_error(result, "'Kultur'", f"{BUF}, {KF}, {TF}")
    assert not (tmp_path / "x.pdf").exists()


def test_missing_register_and_existing_output(runner, db, tmp_path):
    result = run(runner, "--year", 2026, "--db", tmp_path / "nope.db", "-o", tmp_path / "a.pdf")
    assert_one_line_error(result, "nope.db", "is not a register yet")
    existing = tmp_path / "old.pdf"
    existing.write_bytes(b"keep")
    result = run(runner, "--year", 2026, "--db", db, "-o", existing)
    assert_one_line_error(result, "already exists", "--force")
    assert existing.read_bytes() == b"keep"


def test_not_a_register(runner, tmp_path):
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("create table x (a int)").connection.close()
    result = run(runner, "--year", 2026, "--db", other, "-o", tmp_path / "a.pdf")
    assert_one_line_error(result, "other.db")


def test_usage_errors(runner, db, tmp_path):
    assert_usage_error(run(runner, "--year", 2026, "--db", db), "-o")
    assert_usage_error(run(runner, "--year", 2026, "--db", db, "-o", tmp_path / "a.txt"),
                       "--output")
    assert_usage_error(run(runner, "--year", 2026, "--db", db, "--as-of", "31/12",
                           "-o", tmp_path / "a.pdf"), "YYYY-MM-DD")


def test_factors_command(runner, tmp_path):
    good = tmp_path / "faktorer.csv"
    good.write_text("category;kg_co2e_per_sek;source;year;region;licence;quality_note\n"
                    "food;0,2;Egen analys;2024;SE;CC BY 4.0;grov\n", encoding="utf-8")
    result = runner.invoke(main, ["report", "factors", str(good)])
    assert result.exit_code == 0, result.output
    assert "valid, 1 factors for 1 categories" in result.output
    bad = tmp_path / "fel.csv"
    bad.write_text("category;kg_co2e_per_sek;source;year;region;licence;quality_note\n"
                   "food;0,2;;2024;SE;CC0;\nit;0,1;A;2024;SE;CC0;\nit;0,3;A;2024;SE;CC0;\n",
                   encoding="utf-8")
    result = runner.invoke(main, ["report", "factors", str(bad)])
    assert result.exit_code == 1
    assert "row 2: source is empty" in result.output
    assert "row 4: category 'it', source 'A' and year 2024 already on row 3" in result.output


def test_factors_give_an_indication_labelled_as_such(runner, db, tmp_path):
    table = tmp_path / "faktorer.csv"
    table.write_text("category;kg_co2e_per_sek;source;year;region;licence;quality_note\n"
                     "construction;0,035;Egen analys;2024;SE;CC BY 4.0;härledd\n"
                     "food;0,5;Egen analys;2024;SE;CC BY 4.0;\n", encoding="utf-8")
    out = tmp_path / "med.json"
    result = run(runner, "--year", 2026, "--db", db, "--factors", table, "-o", out)
    assert result.exit_code == 0, result.output
    em = json.loads(out.read_text(encoding="utf-8"))["emissions"]
    # construction 2.5 M kr × 0.035 = 87.5 t; food 0.8 M × 0.5 = 400 t
    assert em["is_indication"] is True
    assert em["tonnes_co2e"] == pytest.approx(487.5)
    assert [c["category"] for c in em["without_factor"]] == ["cleaning", "transport.school", "it"]
    pdf = tmp_path / "med.pdf"
    assert run(runner, "--year", 2026, "--db", db, "--factors", table, "-o", pdf).exit_code == 0
    text = pdf_text(pdf)
    assert "En indikation, inte en mätning" in text
    assert "488 ton CO₂e" in text or "488 ton CO2e" in text


def test_a_bad_factor_table_stops_before_anything_is_written(runner, db, tmp_path):
    table = tmp_path / "f.csv"
    table.write_text("category;kg_co2e_per_sek;source;year;region;licence;quality_note\n"
                     "food;0,5;;2024;SE;CC0;\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = run(runner, "--year", 2026, "--db", db, "--factors", table, "-o", out)
    assert_one_line_error(result, "f.csv", "row 2: source is empty")
    assert not out.exists()


def test_demo_step_reports_on_the_register_in_the_demo_folder(tmp_path, capsys):
    from procure.cli.democontext import DemoContext
    from procure.cli.report import demo_step

    build_register(tmp_path / "register.db").dispose()
    ctx = DemoContext(outdir=tmp_path, examples=tmp_path, criteria_set=None)  # type: ignore[arg-type]
    demo_step(ctx)
    out = capsys.readouterr().out
    # the newest year with data up to this year is 2026: 60 % with climate criteria, 75 %
    # followed up (as of today, which does not change the coverage), 57 % of the spend
    assert ("2026: 60% of the procurements with climate criteria, 75% of the contracts "
            "followed up, 57% of the spend") in out
    assert ctx.written == [tmp_path / "uppfoljning-2026.pdf"]
    assert "Städ och rengöring" in pdf_text(ctx.written[0])


def test_demo_step_without_a_register_says_so(tmp_path, capsys):
    from procure.cli.democontext import DemoContext
    from procure.cli.report import demo_step

    ctx = DemoContext(outdir=tmp_path, examples=tmp_path, criteria_set=None)  # type: ignore[arg-type]
    demo_step(ctx)
    assert "no register" in capsys.readouterr().out
    assert ctx.written == []
