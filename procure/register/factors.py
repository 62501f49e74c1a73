"""Spend-based emission factors (kg CO₂e per krona and category) and the indication they give.

This is the method of Upphandlingsmyndigheten's miljöspendanalys: spend per category times a
climate intensity per krona gives an order of magnitude, which UHM itself calls an indication,
"inte en vetenskaplig produkt". The factors are the user's to supply, one row per category,
source and year, each with the source's region, licence and a quality note, so the report can
say exactly where each number came from. procure ships no table: no source we found publishes
per-category factors under a licence that lets us redistribute them (see the README).

The table is CSV or XLSX with the columns in :data:`COLUMNS`; a factor may use a decimal comma.
Every problem is found (missing source, a factor that is not a number, two rows for the same
category, source and year ...) and named by its row, before anything is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procure.errors import InputFileError, ProcureError
from procure.findings import Report
from procure.i18n import tr
from procure.register.figures import SpendGap

COLUMNS = ["category", "kg_co2e_per_sek", "source", "year", "region", "licence", "quality_note"]
REQUIRED = ("category", "kg_co2e_per_sek", "source", "year", "licence")
_NUMBER = re.compile(r"^[+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$")


class FactorTableError(ProcureError):
    """A factor table with problems; ``report`` holds every one of them."""

    def __init__(self, message: Any, *, report: Report, file: str | Path | None = None) -> None:
        super().__init__(message, file=file)
        self.report = report


@dataclass(frozen=True)
class Factor:
    category: str
    kg_co2e_per_sek: float
    source: str
    year: int
    region: str
    licence: str
    quality_note: str
    row: int  # the row in the file (the header is row 1)


@dataclass(frozen=True)
class FactorTable:
    path: str
    factors: list[Factor]

    def for_year(self, year: int) -> dict[str, Factor]:
        """One factor per category for a report year: the newest not after ``year``.

        A category with factors only from later years uses the oldest of them. Two sources
        with the same newest year would be a guess between them, so that is an error naming
        both rows.
        """
        chosen: dict[str, Factor] = {}
        for category in sorted({f.category for f in self.factors}):
            rows = [f for f in self.factors if f.category == category]
            earlier = [f for f in rows if f.year <= year]
            pick_year = max(f.year for f in earlier) if earlier else min(f.year for f in rows)
            best = [f for f in rows if f.year == pick_year]
            if len(best) > 1:
                raise ProcureError(
                    tr("category {category!r} has factors from {n} sources for {year} (rows "
                       "{rows}); keep one", "kategorin {category!r} har faktorer från {n} "
                       "källor för {year} (rad {rows}); behåll en",
                       category=category, n=len(best), year=pick_year,
                       rows=", ".join(str(f.row) for f in best)), file=self.path)
            chosen[category] = best[0]
        return chosen


def _number(text: str) -> float | None:
    text = text.replace(" ", "").replace("\u00a0", "")
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def check_factors(path: str | Path) -> tuple[Report, list[Factor]]:
    """Every problem of the factor table at ``path`` (and the rows that were read)."""
    from procure.io.tables import read_table, require_columns  # pandas: only when reading one

    frame, _info = read_table(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    require_columns(frame, list(REQUIRED), path)
    report = Report(str(path))
    factors: list[Factor] = []
    seen: dict[tuple[str, str, int], int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2
        cell = {c: str(record.get(c, "") or "").strip() for c in COLUMNS}
        where = {"file": str(path), "line": row}
        missing = [c for c in REQUIRED if not cell[c]]
        if missing:
            report.add("missing", tr("row {row}: {columns} is empty",
                                     "rad {row}: {columns} är tom", row=row,
                                     columns=", ".join(missing)), **where)
            continue
        factor = _number(cell["kg_co2e_per_sek"])
        if factor is None:
            report.add("not_a_number", tr(
                "row {row}: kg_co2e_per_sek {value!r} is not a number (expected e.g. 0.035)",
                "rad {row}: kg_co2e_per_sek {value!r} är inget tal (t.ex. 0,035)",
                row=row, value=cell["kg_co2e_per_sek"]), **where)
            continue
        year_text = cell["year"]
        if not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
            report.add("bad_year", tr("row {row}: year {value!r} is not a year (expected e.g. "
                                      "2016)", "rad {row}: year {value!r} är inget årtal "
                                      "(t.ex. 2016)", row=row, value=year_text), **where)
            continue
        key = (cell["category"], cell["source"].casefold(), int(year_text))
        if key in seen:
            report.add("duplicate", tr(
                "row {row}: category {category!r}, source {source!r} and year {year} "
                "already on row {first}", "rad {row}: kategori {category!r}, källa {source!r} "
                "och år {year} finns redan på rad {first}", row=row, category=cell["category"],
                source=cell["source"], year=year_text, first=seen[key]), **where)
            continue
        seen[key] = row
        factors.append(Factor(cell["category"], factor, cell["source"], int(year_text),
                              cell["region"], cell["licence"], cell["quality_note"], row))
    if not factors and report.valid:
        report.add("empty", tr("the table has no factors", "tabellen har inga faktorer"),
                   file=str(path))
    return report, factors


def load_factors(path: str | Path) -> FactorTable:
    """The factor table at ``path``, or :class:`FactorTableError` naming its first bad row."""
    if not Path(path).is_file():
        raise InputFileError(tr("the factor table does not exist",
                                "faktortabellen finns inte"), file=path)
    report, factors = check_factors(path)
    if not report.valid:
        first = report.errors[0]
        more = len(report.errors) - 1
        message = first.message if not more else tr(
            "{message} (and {n} more problems)", "{message} (och {n} fel till)",
            message=first.message, n=more)
        raise FactorTableError(message, report=report, file=path)
    return FactorTable(str(path), factors)


@dataclass(frozen=True)
class EmissionRow:
    category: str
    spend_sek: float
    factor: Factor
    tonnes_co2e: float


@dataclass(frozen=True)
class EmissionIndication:
    """Spend × factor per category: an order of magnitude, not a measurement."""

    table: str
    rows: list[EmissionRow]
    tonnes_co2e: float
    spend_with_factor_sek: float
    without_factor: list[tuple[str, float]]  # categories with spend but no factor
    unmatched_sek: float  # spend without a category: no factor can apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "is_indication": True,
            "factor_table": self.table,
            "tonnes_co2e": self.tonnes_co2e,
            "spend_with_factor_sek": self.spend_with_factor_sek,
            "categories": [{"category": r.category, "spend_sek": r.spend_sek,
                            "kg_co2e_per_sek": r.factor.kg_co2e_per_sek,
                            "tonnes_co2e": r.tonnes_co2e, "source": r.factor.source,
                            "year": r.factor.year, "region": r.factor.region,
                            "licence": r.factor.licence, "quality_note": r.factor.quality_note}
                           for r in self.rows],
            "without_factor": [{"category": c, "spend_sek": s} for c, s in self.without_factor],
            "unmatched_spend_sek": self.unmatched_sek,
        }


def emission_indication(spend_by_category: list[tuple[str, float]], unmatched_sek: float,
                        table: FactorTable, year: int) -> EmissionIndication:
    """Multiply each category's spend by its factor (kg) and sum in tonnes."""
    factors = table.for_year(year)
    rows: list[EmissionRow] = []
    without: list[tuple[str, float]] = []
    for category, spend in spend_by_category:
        factor = factors.get(category)
        if factor is None:
            without.append((category, spend))
        else:
            rows.append(EmissionRow(category, spend, factor,
                                    spend * factor.kg_co2e_per_sek / 1000))
    rows.sort(key=lambda r: (-r.tonnes_co2e, r.category))
    return EmissionIndication(table.path, rows, sum(r.tonnes_co2e for r in rows),
                              sum(r.spend_sek for r in rows), without, unmatched_sek)


def indication_for(spend: SpendGap, table: FactorTable, year: int) -> EmissionIndication:
    """The indication for a report's spend gap (every matched category, unmatched apart)."""
    return emission_indication([(r.category, r.spend_sek) for r in spend.categories],
                               spend.unmatched_sek, table, year)
