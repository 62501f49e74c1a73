"""The factor table: every problem named by its row, and the indication it gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.register.factors import (
    FactorTableError,
    check_factors,
    emission_indication,
    load_factors,
)

HEADER = "category;kg_co2e_per_sek;source;year;region;licence;quality_note\n"


def write(tmp_path, body: str, name: str = "faktorer.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_table_reads_decimal_commas(tmp_path):
    path = write(tmp_path, "food;0,25;Källa A;2020;SE;CC BY 4.0;grov\n"
                           "construction;0.035;Källa A;2020;SE;CC BY 4.0;\n")
    table = load_factors(path)
    assert [(f.category, f.kg_co2e_per_sek, f.row) for f in table.factors] == [
        ("food", 0.25, 2), ("construction", 0.035, 3)]


def test_missing_source_names_the_row(tmp_path):
    path = write(tmp_path, "food;0,25;Källa A;2020;SE;CC0;\nit;0,01;;2020;SE;CC0;\n")
    with pytest.raises(FactorTableError) as err:
        load_factors(path)
    assert "row 3: source is empty" in str(err.value)
    assert str(path) in str(err.value)


def test_duplicate_category_source_year_names_both_rows(tmp_path):
    path = write(tmp_path, "food;0,25;Källa A;2020;SE;CC0;\nfood;0,30;källa a;2020;SE;CC0;\n"
                           "food;0,30;Källa A;2021;SE;CC0;\n")
    report, factors = check_factors(path)
    assert [f.code for f in report.errors] == ["duplicate"]
    assert "row 3" in str(report.errors[0].message)
    assert "already on row 2" in str(report.errors[0].message)
    assert len(factors) == 2  # the same category from another year is fine


def test_every_problem_is_found(tmp_path):
    path = write(tmp_path, "food;lots;A;2020;SE;CC0;\nit;0,1;A;20x;SE;CC0;\ncar;0,1;A;2020;SE;;\n")
    report, _ = check_factors(path)
    assert [(f.code, f.line) for f in report.errors] == [
        ("not_a_number", 2), ("bad_year", 3), ("missing", 4)]
    with pytest.raises(FactorTableError, match=r"and 2 more problems"):
        load_factors(path)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("category;kg_co2e_per_sek;year\nfood;0,2;2020\n", encoding="utf-8")
    with pytest.raises(Exception, match="'source'"):
        load_factors(path)


def test_indication_uses_the_newest_factor_not_after_the_year(tmp_path):
    path = write(tmp_path, "food;0,2;A;2016;SE;CC0;\nfood;0,1;A;2020;SE;CC0;\n"
                           "food;0,5;A;2030;SE;CC0;\nit;0,01;B;2019;SE;CC0;\n")
    table = load_factors(path)
    result = emission_indication([("food", 1_000_000), ("it", 500_000), ("cleaning", 300_000)],
                                 20_000, table, 2026)
    # food 1 M kr × 0.1 kg/kr = 100 t; it 0.5 M × 0.01 = 5 t; cleaning has no factor
    assert [(r.category, r.tonnes_co2e) for r in result.rows] == [
        ("food", pytest.approx(100)), ("it", pytest.approx(5))]
    assert result.tonnes_co2e == pytest.approx(105)
    assert result.without_factor == [("cleaning", 300_000)]
    assert result.to_dict()["is_indication"] is True


def test_two_sources_for_the_same_year_is_not_guessed(tmp_path):
    path = write(tmp_path, "food;0,2;A;2020;SE;CC0;\nfood;0,3;B;2020;SE;CC0;\n")
    table = load_factors(path)
    with pytest.raises(Exception, match=r"rows 2, 3|row 2, 3"):
        table.for_year(2026)


@given(st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False,
                   allow_infinity=False), st.sampled_from([",", "."]))
def test_factor_numbers_read_back_with_either_decimal_mark(value, mark):
    from procure.register.factors import _number

    text = format(value, "f").replace(".", mark)
    assert _number(text) == pytest.approx(float(value))


@given(st.text(alphabet="abc%-+ /x", min_size=1, max_size=6))
def test_text_is_never_a_factor(text):
    from procure.register.factors import _number

    assert _number(text) is None or text.strip("+ ").replace(" ", "").isdigit()
