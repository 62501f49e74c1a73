"""``procure register spend``: a year's ledger matched and stored; corrections remembered."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from procure.cli import main
from procure.errors import InputFileError, UnknownCategoryError
from procure.register import db, spend
from procure.register.errors import ImportRowError

from .conftest import EXAMPLES, assert_one_line_error

LEDGER = ("Leverantör;Organisationsnummer;Förvaltning;Kontotext;Fakturatext;Belopp\n"
          "Skolbuss Nord AB;556111-2222;BUF;Skolskjuts;Skolskjuts januari;125 000,00\n"
          "Skolbuss Nord AB;5561112222;BUF;Skolskjuts;Skolskjuts februari;118 500,50\n"
          "Konsult X AB;556333-4444;KS;Övrigt;Diverse uppdrag;40 000\n"
          "Preem AB;556555-6666;TF;Drivmedel;Tankkort;-1 200,00\n")


@pytest.fixture
def reg(db_url):
    register, _, _ = db.init(db_url)
    yield register
    register.close()


def lines(reg) -> list[sa.Row]:
    with reg.read() as conn:
        return list(conn.execute(sa.text(
            "select supplier_org_number, category, confidence, corrected, amount_sek, "
            "organisation, source_row from spend_lines order by source_row")))


def test_spend_stored_matched_and_unmatched_kept(reg, library, tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    done = spend.import_spend(reg, path, library, 2026, who="t")
    assert (done.rows, done.unmatched) == (4, 1)
    assert done.amount_sek == pytest.approx(125000 + 118500.5 + 40000 - 1200)
    stored = lines(reg)
    assert [r.source_row for r in stored] == [2, 3, 4, 5]
    assert stored[0].category == stored[1].category == "transport.school"
    assert stored[1].supplier_org_number == "556111-2222"  # normalised
    assert stored[2].category is None
    assert stored[2].confidence == "none"
    assert stored[3].amount_sek == -1200  # a credit note stays negative
    assert stored[0].organisation == "BUF"


def test_a_bad_amount_names_the_row_and_writes_nothing(reg, library, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(LEDGER + "Y AB;556777-8888;KS;Övrigt;X;tolv kronor\n", encoding="utf-8")
    with pytest.raises(ImportRowError, match=r"row 6: 'tolv kronor' in Belopp is not an amount"):
        spend.import_spend(reg, path, library, 2026, who="t")
    assert lines(reg) == []


def test_the_same_file_twice_needs_replace(reg, library, tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    spend.import_spend(reg, path, library, 2026, who="t")
    with pytest.raises(InputFileError, match="already has 4 spend lines for 2026"):
        spend.import_spend(reg, path, library, 2026, who="t")
    spend.import_spend(reg, path, library, 2026, who="t", replace=True)
    assert len(lines(reg)) == 4
    spend.import_spend(reg, path, library, 2025, who="t")
    assert len(lines(reg)) == 8


def test_the_same_ledger_under_another_name_is_flagged(reg, library, tmp_path, runner, db_url):
    """The register cannot tell a second ledger of the year from the first one renamed; it
    says which other files the year holds, and names one that looks the same."""
    first = tmp_path / "reskontra.csv"
    first.write_text(LEDGER, encoding="utf-8")
    alone = spend.import_spend(reg, first, library, 2026, who="t")
    assert spend.double_count_note(alone.to_dict()) is None
    other = tmp_path / "bygg.csv"
    other.write_text(LEDGER.splitlines()[0] + "\nBygg AB;556999-0000;TF;Bygg;Ombyggnad;900\n",
                     encoding="utf-8")
    second = spend.import_spend(reg, other, library, 2026, who="t")
    assert second.same_as == []
    assert "also holds lines from reskontra.csv (4)" in str(spend.double_count_note(
        second.to_dict()))
    copy = tmp_path / "reskontra-kopia.csv"
    copy.write_text(LEDGER, encoding="utf-8")
    result = runner.invoke(main, ["register", "spend", "import", str(copy), "--year", "2026",
                                  "--db", db_url, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Warning: 2026 also holds reskontra.csv with as many lines and the same total as " \
        "reskontra-kopia.csv" in result.output


def test_a_correction_is_remembered_for_later_imports(reg, library, tmp_path):
    path = tmp_path / "reskontra-2025.csv"
    path.write_text(LEDGER, encoding="utf-8")
    spend.import_spend(reg, path, library, 2025, who="t")
    changed = spend.correct(reg, "5563334444", "transport.school", library, who="anna")
    assert changed == 1
    later = tmp_path / "reskontra-2026.csv"
    later.write_text(LEDGER, encoding="utf-8")
    done = spend.import_spend(reg, later, library, 2026, who="t")
    assert done.corrected == 1
    assert done.unmatched == 0
    corrected = [r for r in lines(reg) if r.supplier_org_number == "556333-4444"]
    assert [(r.category, r.confidence, bool(r.corrected)) for r in corrected] == \
        [("transport.school", "corrected", True)] * 2
    with pytest.raises(UnknownCategoryError):
        spend.correct(reg, "5563334444", "no.such", library, who="anna")
    with pytest.raises(InputFileError, match="not an organisation number"):
        spend.correct(reg, "12-34", "transport.school", library, who="anna")


def test_cli_spend_and_correct(runner, tmp_path):
    url = str(tmp_path / "r.db")
    runner.invoke(main, ["register", "init", "--db", url])
    result = runner.invoke(main, ["register", "spend", str(EXAMPLES / "spend.csv"), "--year",
                                  "2024", "--db", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == 41
    assert data["unmatched"] + data["matched"] == 41
    result = runner.invoke(main, ["register", "spend", "import", str(EXAMPLES / "spend.csv"),
                                  "--year", "2024", "--db", url])
    assert_one_line_error(result, "already has 41 spend lines", "--replace")
    result = runner.invoke(main, ["register", "spend", "correct", "556123-4567",
                                  "transport.school", "--db", url])
    assert result.exit_code == 0, result.output
    assert "556123-4567 is now transport.school" in result.output
    result = runner.invoke(main, ["register", "spend", str(EXAMPLES / "spend.csv"), "--year",
                                  "2025", "--db", url, "--text-column", "Saknas"])
    assert_one_line_error(result, "'Saknas'")
