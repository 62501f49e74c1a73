"""Numbers and amounts as people type them, Swedish and English: the package's one parser."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.io.numbers import (
    normalise_text,
    parse_amount,
    parse_amounts,
    parse_number,
    parse_numbers,
)


def column(*values: str) -> pd.Series:
    return normalise_text(pd.Series(list(values), dtype=object))


@pytest.mark.parametrize(("text", "value"), [
    ("80", 80.0), ("1,5", 1.5), ("1.5", 1.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5),
    ("1\u202f234,5", 1234.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234 567", 1234567.0),
    ("1.234.567", 1234567.0), ("1'234'567.5", 1234567.5), ("-3,5", -3.5), ("−2", -2.0),
    ("+7", 7.0), (",5", 0.5), ("  42  ", 42.0),
])
def test_plain_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "70 %", "ca 70", "12 34", "2027-06-30", "1,2,3",
                                  "fyra", "1.2.3,4,5"])
def test_not_plain_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "decimal", "value"), [
    # a Swedish file: the comma is the decimal sign; a dot only before one or two digits
    ("1 234,50", ",", 1234.5), ("1.234,50", ",", 1234.5), ("1234.50", ",", 1234.5),
    ("1.234", ",", 1234.0), ("1.5", ",", 1.5), ("-1 250,00", ",", -1250.0),
    # an English file: the dot is the decimal sign; a comma too unless it groups thousands
    ("1,234.50", ".", 1234.5), ("1234.5", ".", 1234.5), ("12,5", ".", 12.5),
    ("1,234", ".", 1234.0), ("1,234,567", ".", 1234567.0),
    # answers, where either is typed: a lone separator is the decimal sign
    ("1,234", None, 1.234), ("1.234", None, 1.234), ("1.234,5", None, 1234.5),
])
def test_the_decimal_sign_of_a_file(text, decimal, value):
    assert parse_number(text, decimal) == pytest.approx(value)


def test_an_unknown_decimal_sign_is_a_bug():
    with pytest.raises(ValueError, match="decimal must be one of"):
        parse_number("1", decimal=";")


def test_units_and_qualifiers_are_kept_apart():
    parsed = parse_numbers(column("70 %", "65 g/km", "ca 70", "Euro VI", "minst 1,5 kWh"))
    assert parsed["value"].tolist() == pytest.approx([70, 65, 70, 6, 1.5])
    assert parsed["unit"].tolist() == ["%", "g/km", "", "", "kWh"]
    assert parsed["qualifier"].tolist() == ["", "", "ca", "", "minst"]
    assert parsed["ok"].all()


@pytest.mark.parametrize(("text", "value"), [
    ("48 000 000", 48_000_000), ("4 500 000 kr", 4_500_000), ("4,5 MSEK", 4_500_000),
    ("450 tkr", 450_000), ("3 000 000 SEK exkl. moms", 3_000_000), ("1 234:-", 1234),
    ("12 480,50", 12480.5),
])
def test_amounts(text, value):
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["ca 4 Mkr", "fyra miljoner", "", "70 %", "12 EUR"])
def test_not_amounts(text):
    assert parse_amount(text) is None


def test_amounts_column_flags_what_is_not_an_amount():
    parsed = parse_amounts(pd.Series(["1 234,50", "N/A", "", "12 kg"], dtype=object), ",")
    assert parsed["ok"].tolist() == [True, False, False, False]
    assert parsed["value"].iloc[0] == pytest.approx(1234.5)
    assert parsed["value"].iloc[1:].isna().all()


# --- properties ------------------------------------------------------------------------------

def _swedish(whole: int, cents: int, negative: bool) -> str:
    return ("-" if negative else "") + f"{whole:,}".replace(",", "\u00a0") + f",{cents:02d}"


def _english(whole: int, cents: int, negative: bool) -> str:
    return ("-" if negative else "") + f"{whole:,}.{cents:02d}"


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99),
       st.booleans())
def test_property_swedish_and_english_amounts_read_the_same(whole, cents, negative):
    value = (whole + cents / 100) * (-1 if negative else 1)
    swedish, english = _swedish(whole, cents, negative), _english(whole, cents, negative)
    for decimal in (None, ",", "."):
        assert parse_number(swedish, decimal) == pytest.approx(value)
        assert parse_number(english, decimal) == pytest.approx(value)
    assert parse_amount(swedish + " kr") == pytest.approx(value)
    assert parse_amount(english + " SEK") == pytest.approx(value)


@given(st.integers(min_value=1000, max_value=10**12))
def test_property_grouped_whole_numbers_are_thousands_in_either_file(whole):
    assert parse_number(f"{whole:,}".replace(",", " "), ",") == whole
    assert parse_number(f"{whole:,}".replace(",", "."), ",") == whole
    assert parse_number(f"{whole:,}", ".") == whole


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)))
def test_property_what_python_prints_reads_back(value):
    assert parse_number(repr(value)) == pytest.approx(value)
    assert parse_number(repr(value).replace(".", ",")) == pytest.approx(value)


@given(st.text(max_size=40), st.sampled_from([None, ",", "."]))
def test_property_never_crashes_and_never_invents(text, decimal):
    parsed = parse_numbers(column(text), decimal).iloc[0]
    assert parsed["ok"] == (not math.isnan(parsed["value"]))
    number = parse_number(text, decimal)
    assert number is None or math.isfinite(number)
    if not any(ch.isdigit() for ch in text):
        assert number is None
        assert parse_amount(text, decimal) is None


# --- issue 11: what suppliers and finance systems really write --------------------------------

@pytest.mark.parametrize(("text", "value"), [
    # money is never written with three decimals: a lone separator before three digits groups
    ("850.000", 850_000), ("850,000 SEK", 850_000), ("12.500", 12_500), ("12,500 kr", 12_500),
    ("1.500 tkr", 1_500_000), ("850.000,00", 850_000), ("850,000.00", 850_000),
    ("12,50", 12.5), ("12.5", 12.5), ("1 234,56", 1234.56),
])
def test_a_lone_separator_before_three_digits_groups_thousands_in_an_amount(text, value):
    assert parse_amount(text) == pytest.approx(value)
    for decimal in (",", "."):
        assert parse_amount(text, decimal) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1234,567", "1 234,567", "1.234,567", "1,234.567"])
def test_an_amount_that_could_be_read_two_ways_is_not_guessed(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "decimal", "value"), [
    ("75,1234", None, 75.1234), ("0,0125", None, 0.0125), ("0.0125", None, 0.0125),
    ("0.0125", ",", 0.0125), ("0,0125", ".", 0.0125), ("75,1234", ",", 75.1234),
    ("1 234,5678", None, 1234.5678), ("-0,125", None, -0.125),
])
def test_decimals_with_many_digits(text, decimal, value):
    assert parse_number(text, decimal) == pytest.approx(value)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999),
       st.sampled_from([".", ","]), st.sampled_from(["", " kr", " SEK", ":-"]))
def test_property_one_thousands_group_is_never_read_as_decimals(high, low, sep, unit):
    text = f"{high}{sep}{low:03d}{unit}"
    assert parse_amount(text) == high * 1000 + low
    assert parse_amount(text, ",") == high * 1000 + low
    assert parse_amount(text, ".") == high * 1000 + low


@given(st.integers(min_value=0, max_value=100_0000), st.sampled_from([".", ","]),
       st.sampled_from([None, ",", "."]))
def test_property_four_decimal_shares_read_exactly(tenths_of_thousandths, sep, decimal):
    whole, frac = divmod(tenths_of_thousandths, 10_000)
    text = f"{whole}{sep}{frac:04d}"
    # in either file, a separator before four digits cannot group thousands: a decimal sign
    assert parse_number(text, decimal) == pytest.approx(tenths_of_thousandths / 10_000)
    assert parse_number(text + " %", decimal) is None  # a unit: not a plain number
    parsed = parse_numbers(column(text + " %"), decimal).iloc[0]
    assert parsed["value"] == pytest.approx(tenths_of_thousandths / 10_000)


_amount_texts = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,3}( [0-9]{3}){0,3}(,[0-9]{1,3})?\Z"),
    st.from_regex(r"\A-?[0-9]{1,3}(,[0-9]{3}){0,3}(\.[0-9]{1,3})?\Z"),
    st.from_regex(r"\A[-−+]?[0-9]{1,8}([.,][0-9]{1,4})?( kr| SEK| tkr)?\Z"),
    st.text(alphabet="0123456789 ,.-−\u00a0kr", max_size=12),
)


@given(st.lists(_amount_texts, min_size=1, max_size=30), st.sampled_from([",", "."]))
def test_the_fast_path_for_plain_amounts_reads_as_the_full_parser(texts, decimal):
    """Ledger amounts are read through a fast pattern first; every value it takes must come
    out exactly as the full parser reads it, and everything else is left to the full parser."""
    from procure.io.numbers import _parse_amounts

    series = pd.Series(texts, dtype=object)
    fast, full = parse_amounts(series, decimal), _parse_amounts(series, decimal)
    assert fast["ok"].tolist() == full["ok"].tolist()
    assert fast["value"].fillna(-1.5e300).tolist() == full["value"].fillna(-1.5e300).tolist()
    assert fast["unit"].tolist() == full["unit"].tolist()
    assert fast["qualifier"].tolist() == full["qualifier"].tolist()


def test_plain_ledger_amounts_take_the_fast_path_and_the_rest_do_not():
    series = pd.Series(["-1 234,50", "850.000", "ca 4 Mkr", "", "12 34", "1 234,567", "7"])
    parsed = parse_amounts(series, ",")
    assert parsed["value"].tolist()[:2] == [-1234.5, 850000.0]
    assert parsed["ok"].tolist() == [True, True, False, False, False, False, True]
