"""Locale-aware formatting of numbers for documents (Swedish: 1 234,5; English: 1,234.5)."""

from __future__ import annotations

from typing import Any

NBSP = "\u00a0"


def format_number(value: Any, lang: str = "sv", decimals: int | None = None) -> str:
    """Format a number as a reader of ``lang`` writes it; other values pass through as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(3, len(repr(float(value)).split(".")[1]))
    text = f"{value:,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def count_text(n: int, lang: str, sv: tuple[str, str], en: tuple[str, str]) -> str:
    """A count and its noun, singular or plural, grouped: "1 leverantör", "1 234 kriterier"."""
    one, many = sv if lang == "sv" else en
    return f"{format_number(n, lang)} {one if n == 1 else many}"


def format_money(value: float, lang: str = "sv", decimals: int | None = None) -> str:
    """"1 234,50 kr" / "SEK 1,234.50"; whole kronor without decimals unless ``decimals`` says
    how many (a column of amounts reads best with the same number in every row)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    number = format_number(round(value, 2), lang, decimals)
    return f"{number} kr" if lang == "sv" else f"SEK {number}"
