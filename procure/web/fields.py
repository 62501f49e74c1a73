"""Reading one field of a posted form: a date, an amount, a count, a year, the person's name.

Each reader returns the value or stops the request with a one-line :class:`WebError` naming the
field (by its label on the page), what was typed and what was expected, in the person's
language. An empty optional field is ``None``, never a guess. Amounts are read by the package's
one amount parser, :func:`procure.io.numbers.parse_amount`, as the commands read them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from procure.i18n import pick
from procure.io.numbers import parse_amount
from procure.register.tables import history
from procure.web.jobs import WebError

_YEAR = re.compile(r"^[0-9]{4}$")
WHO_LIMIT = history.c.who.type.length or 120


def text(value: Any) -> str | None:
    """A text field, trimmed; ``None`` when it is empty."""
    return str(value or "").strip() or None


def date(value: Any, label: str, lang: str) -> dt.date | None:
    """A date typed (or picked) as YYYY-MM-DD; ``None`` when the field is empty."""
    typed = str(value or "").strip()
    if not typed:
        return None
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        raise WebError(pick(lang, f"{label}: {typed!r} är inget datum (ÅÅÅÅ-MM-DD).",
                            f"{label}: {typed!r} is not a date (YYYY-MM-DD).")) from None


def amount_sek(value: Any, label: str, lang: str) -> float | None:
    """An amount in kronor as people type it ("25 000", "4,5 MSEK"), 0 or more; ``None`` when
    the field is empty."""
    typed = str(value or "").strip()
    if not typed:
        return None
    amount = parse_amount(typed)
    if amount is None or amount < 0:
        raise WebError(pick(lang, f"{label}: {typed!r} är inget belopp i kronor (0 eller mer).",
                            f"{label}: {typed!r} is not an amount in SEK (0 or more)."))
    return amount


def count(value: Any, label: str, lang: str, default: int = 1) -> int:
    """A whole number of 1 or more (how many times something happened)."""
    typed = str(value or "").strip()
    if not typed:
        return default
    if not typed.isdecimal() or len(typed) > 9 or int(typed) < 1:
        raise WebError(pick(lang, f"{label}: {typed!r} är inget heltal (1 eller mer).",
                            f"{label}: {typed!r} is not a whole number (1 or more)."))
    return int(typed)


def year(value: Any, label: str, lang: str) -> int:
    """A year of four digits (required)."""
    typed = str(value or "").strip()
    if not _YEAR.fullmatch(typed):
        raise WebError(pick(lang, f"{label}: skriv året med fyra siffror, t.ex. 2026"
                                  f"{f' (inte {typed!r})' if typed else ''}.",
                            f"{label}: write the year as four digits, e.g. 2026"
                            f"{f' (not {typed!r})' if typed else ''}."))
    return int(typed)


def who(value: Any, lang: str) -> str:
    """The name of the person making a change (required: it is kept in the history)."""
    name = text(value)
    if name is None:
        raise WebError(pick(lang, "Skriv ditt namn: det sparas i historiken.",
                            "Write your name: it is kept in the history."))
    if len(name) > WHO_LIMIT:
        raise WebError(pick(lang, f"Ditt namn: högst {WHO_LIMIT} tecken.",
                            f"Your name: at most {WHO_LIMIT} characters."))
    return name
