"""Numbers and amounts as people type them, in Swedish or English: one parser for the package.

"1,5", "1 234,5", "1.234,5", "1,234.5", "70 %", "65 g/km", "Euro VI", "4,5 MSEK" — read
tolerantly but never guessed: "ca 70" is read with a qualifier (the value is not exact), "12 34"
and "2027-06-30" are not numbers. The parsers work on whole pandas columns at once; the
``parse_number``/``parse_amount`` forms take one text.

Which separator is the decimal sign:

* both "." and "," in a number: the last one ("1.234,5" and "1,234.5" are both 1234.5);
* one kind, used once, with ``decimal=None`` (answers, where either language is typed): it is
  the decimal sign ("1,5" and "1.5" are 1.5);
* one kind with ``decimal=","`` (a Swedish file): a comma is the decimal sign; a dot is too
  only before one or two final digits ("1234.50"), else it groups thousands ("1.234");
* one kind with ``decimal="."`` (an English file): a dot is the decimal sign; a comma is too
  unless it groups thousands ("1,234" is 1234, "12,5" is 12.5);
* one kind used more than once ("1.234.567", "1 234 567"): it groups thousands;
* a separator before one, two or four and more digits is never a thousands group ("0,0125");
* in an **amount**, a lone separator before exactly three digits groups thousands in any file
  ("850.000", "850,000 SEK" are 850 000 kronor): money is never written with three decimals.
  Where that reading collides with another separator ("1 234,567", "1234,567") the amount is
  not read at all, so a person looks at it instead of a guess.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\s]+")
_NUMBER = re.compile(
    r"^(?P<qual>(?:ca\.?|cirka|ungefär|approx\.?|about|~|≈|minst|at least|högst|at most|över|"
    r"under|more than|less than|mer än|mindre än|fler än|färre än|större än|lägre än|högre än|"
    r"upp till|up to|maximalt|maximum|max\.?|minimum|minimalt|min\.?|lägst|below|above|over|"
    r">=?|<=?|≥|≤)\s*)?"
    r"(?P<sign>[+\-−]?)\s*"
    r"(?P<num>\d{1,3}(?:[ .,']\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[.,]\d+)"
    r"\s*(?P<unit>.*?)\s*$",
    re.IGNORECASE,
)
_EURO = re.compile(r"^euro\s*(?P<cls>[0-9]|vii|vi|v|iv|iii|ii|i)(?:[a-e]|-?temp|-?d)?\b\s*"
                   r"(?P<rest>.*)$", re.IGNORECASE)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_AMOUNT_UNITS = {"": 1.0, "kr": 1.0, "sek": 1.0, "tkr": 1e3, "ksek": 1e3, "mkr": 1e6,
                 "msek": 1e6, "miljonerkr": 1e6, "mnkr": 1e6}
DECIMAL_MARKS = (None, ",", ".")
# a unit typed in English or in the singular, as the criteria sets write it (compared spaceless)
_UNIT_SV = {"years": "år", "year": "år", "yrs": "år", "months": "månader", "month": "månader",
            "månad": "månader", "mån": "månader", "weeks": "veckor", "week": "veckor",
            "vecka": "veckor", "days": "dagar", "day": "dagar", "dag": "dagar",
            "workingdays": "arbetsdagar", "arbetsdag": "arbetsdagar", "hours": "timmar",
            "hour": "timmar", "h": "timmar", "timme": "timmar", "tim": "timmar",
            "minutes": "minuter", "minute": "minuter", "minut": "minuter", "pcs": "st",
            "pieces": "st", "stycken": "st", "styck": "st", "st.": "st", "min": "minuter"}
# what a comparison word says about the true value: about it, at most/below it, at least/above
QUALIFIERS = {
    **dict.fromkeys(("ca", "ca.", "cirka", "ungefär", "approx", "approx.", "about", "~", "≈"),
                    "approx"),
    **dict.fromkeys(("högst", "at most", "max", "max.", "maximalt", "maximum", "upp till",
                     "up to", "<=", "≤"), "at_most"),
    **dict.fromkeys(("under", "less than", "mindre än", "färre än", "lägre än", "below", "<"),
                    "below"),
    **dict.fromkeys(("minst", "at least", "min", "min.", "minimum", "minimalt", "lägst", ">=",
                     "≥"), "at_least"),
    **dict.fromkeys(("över", "more than", "mer än", "fler än", "större än", "högre än", "above",
                     "over", ">"), "above"),
}


def normalise_text(values: pd.Series) -> pd.Series:
    """Trim, fold the many kinds of space (NBSP, thin space) to one."""
    return values.fillna("").astype(str).str.replace(SPACES, " ", regex=True).str.strip()


def normalise_unit(unit: str | None) -> str:
    """A unit as compared: case, spaces and the CO₂ tag do not matter; procent = %."""
    if not unit:
        return ""
    u = unicodedata.normalize("NFKC", str(unit)).casefold().replace(" ", "")
    u = re.sub(r"co2e?|koldioxid(ekvivalenter)?", "", u)
    u = u.replace("procent", "%").replace("percent", "%").replace("kronor", "kr")
    u = {"sek": "kr", ":-": "kr", "kr.": "kr", "euroklass": "", "euro": ""}.get(u, u)
    u = u.strip("./")
    return "/".join(_UNIT_SV.get(part, part) for part in u.split("/"))


def _decimal_separators(num: pd.Series, decimal: str | None, amount: bool = False
                        ) -> tuple[pd.Series, pd.Series]:
    """Where the number's comma, or its dot, is the decimal sign (see the module docstring)."""
    n_c, n_d = num.str.count(","), num.str.count(r"\.")
    if amount:  # "850.000", "12,500": one thousands group, never three decimals
        group = num.str.fullmatch(r"\d{1,3}[.,]\d{3}")
        n_c, n_d = n_c.where(~group, 0), n_d.where(~group, 0)
    last_c, last_d = num.str.rfind(","), num.str.rfind(".")
    comma_dec = (n_c == 1) & (n_d > 0) & (last_c > last_d)
    dot_dec = (n_d == 1) & (n_c > 0) & (last_d > last_c)
    lone_comma = (n_c == 1) & (n_d == 0)
    lone_dot = (n_d == 1) & (n_c == 0)
    if decimal == ",":
        lone_dot &= ~num.str.fullmatch(r"\d{1,3}(?:\.\d{3})+")
    elif decimal == ".":
        lone_comma &= ~num.str.fullmatch(r"\d{1,3}(?:,\d{3})+")
    return comma_dec | lone_comma, dot_dec | lone_dot


def parse_numbers(text: pd.Series, decimal: str | None = None, *, amount: bool = False
                  ) -> pd.DataFrame:
    """Numbers as people type them: ``1,5``, ``1 234,5``, ``1.234,5``, ``70 %``, ``Euro VI``.

    ``text`` should be normalised (:func:`normalise_text`). ``decimal`` says which sign a file
    uses when a number alone cannot tell (``None``: a lone separator is the decimal sign).
    Returns columns ``value`` (float, NaN if not a number), ``unit`` (as typed, after the
    number), ``qualifier`` (``ca``, ``minst`` … — the value is then not exact) and ``ok``.
    ``amount`` applies the rule for money: a lone separator before three digits groups
    thousands.
    """
    if decimal not in DECIMAL_MARKS:
        raise ValueError(f"decimal must be one of {DECIMAL_MARKS}, not {decimal!r}")
    codes, distinct = pd.factorize(text, use_na_sentinel=False)
    if len(distinct) > 0.8 * len(text):
        return _parse_numbers(text, decimal, amount)
    # answers and ledgers repeat themselves ("Ja", "70 %"): parse each distinct text once
    parsed = _parse_numbers(pd.Series(distinct, dtype=object), decimal, amount).iloc[codes]
    return parsed.set_axis(text.index)


def _parse_numbers(text: pd.Series, decimal: str | None, amount: bool) -> pd.DataFrame:
    euro = text.str.extract(_EURO)
    is_euro = euro["cls"].notna()
    source = text.copy()
    if is_euro.any():
        cls = euro.loc[is_euro, "cls"].str.casefold().map(lambda c: _ROMAN.get(c, c))
        source[is_euro] = cls + " " + euro.loc[is_euro, "rest"].fillna("")
    parts = source.str.extract(_NUMBER)
    num = parts["num"].fillna("")
    comma_dec, dot_dec = _decimal_separators(num, decimal, amount)
    clean = num.str.replace(r"[ ']", "", regex=True)
    clean = clean.where(~comma_dec, clean.str.replace(".", "", regex=False)
                        .str.replace(",", ".", regex=False))
    clean = clean.where(~dot_dec, clean.str.replace(",", "", regex=False))
    clean = clean.where(comma_dec | dot_dec, clean.str.replace(r"[.,]", "", regex=True))
    value = pd.to_numeric(clean.where(clean != ""), errors="coerce")
    negative = parts["sign"].isin(["-", "−"])
    value = value.where(~negative, -value)
    unit = parts["unit"].fillna("").str.strip()
    value = value.where(~unit.str.match(r"^[\d.,/-]"))  # "12 34", "2027-06-30": not a number
    if amount:  # three decimals after another separator: "1 234,567" cannot be told apart
        three = num.str.contains(r"[.,]\d{3}$") & (comma_dec | dot_dec)
        value = value.where(~three)
    qualifier = parts["qual"].fillna("").str.strip().str.casefold()
    return pd.DataFrame({"value": value.astype(float), "unit": unit, "qualifier": qualifier,
                         "ok": value.notna()}, index=text.index)


# Amounts as finance systems export them, which need no rule to read: digits, optionally
# grouped by single spaces, with at most two decimals after the file's decimal sign
# ("-1 234,50" in a Swedish file, "1,234.50" in an English one). A ledger is read through this
# pattern first (a million rows in about a second); anything else goes through the full parser,
# which reads the plain forms the same way (tests/test_numbers.py compares the two).
_PLAIN_AMOUNT = {
    ",": re.compile(r"-?(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d{1,2})?"),
    ".": re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?"),
}


def parse_amounts(text: pd.Series, decimal: str | None = None) -> pd.DataFrame:
    """Prices in SEK: a number, optionally in kr/SEK/kronor/tkr/MSEK, excl. VAT.

    The columns of :func:`parse_numbers`, with ``value`` in SEK and ``ok`` False for anything
    that is not an exact amount (text, another unit, "ca 4 Mkr").
    """
    plain = _PLAIN_AMOUNT.get(decimal) if decimal else None
    if plain is not None and len(text) > 0:
        raw = text.astype(object).where(text.notna(), "").astype(str)
        fast = raw.str.fullmatch(plain)
        if fast.any():
            digits = raw[fast].str.replace(" " if decimal == "," else ",", "", regex=False)
            if decimal == ",":
                digits = digits.str.replace(",", ".", regex=False)
            value = np.full(len(text), np.nan)
            value[fast.to_numpy()] = digits.astype(float).to_numpy()
            out = pd.DataFrame({"value": value, "unit": "", "qualifier": "",
                                "ok": fast.to_numpy()}, index=text.index)
            if not fast.all():
                slow = (~fast).to_numpy()
                rest = _parse_amounts(text[slow], decimal)
                for name in out.columns:
                    column = out[name].to_numpy(copy=True)
                    column[slow] = rest[name].to_numpy()
                    out[name] = column
            return out
    return _parse_amounts(text, decimal)


def _parse_amounts(text: pd.Series, decimal: str | None) -> pd.DataFrame:
    parsed = parse_numbers(normalise_text(text), decimal, amount=True)
    units = parsed["unit"].map(normalise_unit).str.replace(r"(exkl|excl)\.?moms|exvat|\.", "",
                                                            regex=True)
    factor = units.map(_AMOUNT_UNITS)
    parsed["ok"] = parsed["ok"] & factor.notna() & (parsed["qualifier"] == "")
    parsed["value"] = (parsed["value"] * factor).where(parsed["ok"])
    return parsed


def parse_number(text: str, decimal: str | None = None) -> float | None:
    """One plain number ("1,5", "1 234,5", "-3"); None when it is not exactly one.

    A unit or a qualifier ("70 %", "ca 70") makes it not a plain number.
    """
    parsed = parse_numbers(normalise_text(pd.Series([text], dtype=object)), decimal).iloc[0]
    exact = parsed["ok"] and not parsed["unit"] and not parsed["qualifier"]
    return float(parsed["value"]) if exact else None


def parse_amount(text: str, decimal: str | None = None) -> float | None:
    """One amount in SEK ("48 000 000", "4,5 MSEK"); None when it is not one."""
    parsed = parse_amounts(pd.Series([text], dtype=object), decimal).iloc[0]
    return float(parsed["value"]) if parsed["ok"] else None
