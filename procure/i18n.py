"""Messages in Swedish (the default) and English.

A :class:`Msg` holds both texts and renders in the current language when it is turned into a
string — so a library error raised before the CLI knew the user's ``--lang`` still prints in
that language. The language comes from :func:`set_lang` (the CLI's ``--lang``), else the
environment variable ``PROCURE_LANG``, else Swedish.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("sv", "en")
_current: str | None = None


def get_lang() -> str:
    if _current is not None:
        return _current
    env = os.environ.get("PROCURE_LANG", "").strip().lower()
    return env if env in LANGS else "sv"


def set_lang(lang: str | None) -> None:
    """Choose the message language for this process (``None``: back to the default)."""
    global _current
    _current = lang if lang in LANGS else None


class Msg:
    """A message in English and Swedish, rendered lazily in the current language.

    ``Msg("file is empty", "filen är tom")``; both may be format templates filled with the same
    keyword arguments: ``Msg("{n} rows", "{n} rader", n=3)``.
    """

    __slots__ = ("en", "fields", "sv")

    def __init__(self, en: str, sv: str, **fields: Any) -> None:
        self.en = en
        self.sv = sv
        self.fields = fields

    def render(self, lang: str | None = None) -> str:
        template = self.sv if (lang or get_lang()) == "sv" else self.en
        return template.format(**self.fields) if self.fields else template

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Msg({self.render('en')!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.en)

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)


def tr(en: str, sv: str, **fields: Any) -> Msg:
    """Shorthand for :class:`Msg`."""
    return Msg(en, sv, **fields)


def pick(lang: str, sv: str, en: str) -> str:
    """Choose between two texts for an explicit language (documents, tables)."""
    return sv if lang == "sv" else en


# the units the criteria sets are written with (Swedish), as an English reader writes them
UNITS_EN = {"år": "years", "månader": "months", "månad": "month", "veckor": "weeks",
            "vecka": "week", "dagar": "days", "dag": "day", "arbetsdagar": "working days",
            "timmar": "hours", "timme": "hour", "minuter": "minutes", "st": "pcs",
            "tvättar": "washes", "leveranser": "deliveries", "avgångar": "departures",
            "euroklass": "Euro class", "kr": "SEK"}


def unit_label(unit: str | None, lang: str) -> str:
    """A unit in the reader's language: ``år`` → ``years``, ``st/år`` → ``pcs/year``."""
    if not unit or lang == "sv":
        return unit or ""
    singular = {"år": "year", "vecka": "week", "timme": "hour", "dag": "day", "månad": "month"}

    def word(part: str, after_slash: bool) -> str:
        key = part.casefold()
        if after_slash and key in singular:
            return singular[key]
        return UNITS_EN.get(key, part)

    pieces = []
    for n, piece in enumerate(unit.split("/")):
        pieces.append(" ".join(word(w, n > 0) for w in piece.split(" ")))
    return "/".join(pieces)


# Answer choices that are words rather than names. The library keeps one stable value per choice
# (what specs, answers and registered contracts store); a supplier sees the word in the language
# of the annex and the template, and an answer in either language is read as that choice.
# Label and scheme names (Svanen, KRAV, EU Ecolabel, Miljöbyggnad Guld) read the same in both
# languages and are not listed.
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "Equivalent": {"sv": "Likvärdig", "en": "Equivalent"},
    "None": {"sv": "Ingen", "en": "None"},
    "No soy": {"sv": "Ingen soja", "en": "No soy"},
    "EU Organic": {"sv": "EU-ekologisk", "en": "EU Organic"},
    "dark-green": {"sv": "mörkgrön", "en": "dark green"},
    "light-green": {"sv": "ljusgrön", "en": "light green"},
    "other": {"sv": "annan nivå", "en": "other level"},
    "Other": {"sv": "Annat", "en": "Other"},
    "Electricity": {"sv": "El", "en": "Electricity"},
    "Hydrogen": {"sv": "Vätgas", "en": "Hydrogen"},
    "Gas": {"sv": "Gasdrift", "en": "Gas"},
    "BEV": {"sv": "Elfordon (BEV)", "en": "BEV"},
    "PHEV": {"sv": "Laddhybrid (PHEV)", "en": "PHEV"},
    "HEV": {"sv": "Elhybrid (HEV)", "en": "HEV"},
    "FCEV": {"sv": "Bränslecellsfordon (FCEV)", "en": "FCEV"},
    "ICE": {"sv": "Förbränningsmotor (ICE)", "en": "ICE"},
}


def choice_label(value: str, lang: str | None = None) -> str:
    """An answer choice as a supplier reads it in ``lang`` (default: the current language)."""
    words = CHOICE_WORDS.get(value)
    return words[lang or get_lang()] if words else value


def choice_aliases(value: str) -> tuple[str, ...]:
    """Every way a supplier may write the choice ``value``: the value and its labels."""
    return (value, *CHOICE_WORDS.get(value, {}).values())


def at_line(line: int, path: str | None = None, column: int | None = None) -> Msg:
    """A location in a text file: ``line 3``, ``line 3, column 5``, ``line 3, criteria.add``."""
    en, sv = "line {line}", "rad {line}"
    if column is not None:
        en, sv = en + ", column {column}", sv + ", kolumn {column}"
    if path:
        en, sv = en + ", {path}", sv + ", {path}"
    return Msg(en, sv, line=line, column=column, path=path)
