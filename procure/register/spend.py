"""A year's spend in the register: ledger lines matched to categories, and the buyer's
corrections remembered per supplier.

Lines are matched with the matcher's batch code (distinct texts once); a line that matches
nothing is kept with category NULL, so the year's total stays whole. A correction made with
``procure register spend correct ORGNR CATEGORY`` is stored per organisation number and wins
over the matcher in every later import, so next year's ledger needs fewer corrections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from procure.errors import InputFileError, UnknownCategoryError
from procure.i18n import Msg, tr
from procure.io.tables import inspect, iter_table, require_columns
from procure.matching import Matcher
from procure.matching.batch import decimal_mark, match_frame, parse_amounts
from procure.model import CriteriaSet
from procure.register import audit
from procure.register.db import Register
from procure.register.errors import AlreadyImportedError, ImportRowError
from procure.register.tables import spend_corrections, spend_lines

DEFAULT_TEXT_COLUMNS = ("Leverantör", "Kontotext", "Fakturatext")
DEFAULT_AMOUNT = "Belopp"
DEFAULT_SUPPLIER = "Leverantör"
DEFAULT_ORG_NUMBER = ("Organisationsnummer", "Orgnr", "Org.nr")
DEFAULT_ORGANISATION = ("Förvaltning", "Organisation", "Bolag")
_ORGNR = re.compile(r"^(\d{6})-?(\d{4})$")


def org_number(text: str) -> str | None:
    """``5561234567`` or ``556123-4567`` → ``556123-4567``; None if it is not one."""
    found = _ORGNR.match(text.replace(" ", ""))
    return f"{found.group(1)}-{found.group(2)}" if found else None


@dataclass
class Columns:
    """Which columns of the ledger hold what; empty or None: the usual Swedish column, when
    the file has it (see :func:`with_defaults`)."""

    text: Sequence[str]
    amount: str
    supplier: str | None = None
    org_number: str | None = None
    organisation: str | None = None
    cpv: str | None = None


def with_defaults(given: Columns | None, header: Sequence[str]) -> Columns:
    """``given`` with what it leaves open filled from the usual Swedish ledger columns."""
    given = given or Columns(text=(), amount=DEFAULT_AMOUNT)

    def first(names: Sequence[str]) -> str | None:
        return next((n for n in names if n in header), None)

    return Columns(text=list(given.text) or [c for c in DEFAULT_TEXT_COLUMNS if c in header]
                   or list(DEFAULT_TEXT_COLUMNS), amount=given.amount or DEFAULT_AMOUNT,
                   supplier=given.supplier or first([DEFAULT_SUPPLIER]),
                   org_number=given.org_number or first(DEFAULT_ORG_NUMBER),
                   organisation=given.organisation or first(DEFAULT_ORGANISATION),
                   cpv=given.cpv)


@dataclass
class SpendResult:
    file: str
    year: int
    rows: int = 0
    matched: int = 0
    corrected: int = 0
    unmatched: int = 0
    amount_sek: float = 0.0
    unmatched_sek: float = 0.0
    by_category: dict[str, float] = field(default_factory=dict)
    # the year's lines from other files already in the register: name → (lines, amount)
    others: dict[str, tuple[int, float]] = field(default_factory=dict)

    @property
    def same_as(self) -> list[str]:
        """Other files of the year with as many lines and the same total: most likely this
        very ledger under another name, whose spend now counts twice."""
        return [name for name, (lines, amount) in sorted(self.others.items())
                if lines == self.rows and abs(amount - self.amount_sek) < 0.005]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "year": self.year, "rows": self.rows,
                "other_files": {name: {"rows": n, "amount_sek": round(a, 2)}
                                for name, (n, a) in sorted(self.others.items())},
                "looks_like_the_same_ledger_as": self.same_as,
                "matched": self.matched, "corrected": self.corrected,
                "unmatched": self.unmatched, "amount_sek": round(self.amount_sek, 2),
                "unmatched_sek": round(self.unmatched_sek, 2),
                "by_category": {k: round(v, 2) for k, v in sorted(self.by_category.items())}}


def double_count_note(stored: dict[str, Any]) -> Msg | None:
    """A warning for what :meth:`SpendResult.to_dict` says: the year also holds lines from
    other files — perhaps the same ledger under another name, whose spend then counts twice
    (replace or remove one). None when the year holds this file alone."""
    same, others = stored["looks_like_the_same_ledger_as"], stored["other_files"]
    if same:
        return tr("{year} also holds {names} with as many lines and the same total as {file}: "
                  "if it is the same ledger, its spend now counts twice",
                  "{year} har också {names} med lika många rader och samma summa som {file}: "
                  "är det samma reskontra räknas utgifterna nu två gånger",
                  year=stored["year"], names=", ".join(same), file=stored["file"])
    if others:
        return tr("{year} also holds lines from {names}; check that none of them is this "
                  "ledger under another name", "{year} har också rader från {names}; "
                  "kontrollera att ingen av dem är samma reskontra under ett annat namn",
                  year=stored["year"], names=", ".join(f"{name} ({o['rows']})"
                                                       for name, o in others.items()))
    return None


def _corrections(conn: sa.Connection) -> dict[str, str]:
    return dict(conn.execute(sa.select(spend_corrections.c.supplier_org_number,
                                       spend_corrections.c.category)).all())


def import_spend(register: Register, path: str | Path, criteria_set: CriteriaSet, year: int, *,
                 who: str, columns: Columns | None = None, sheet: str | int | None = None,
                 replace: bool = False, chunksize: int = 100_000,
                 matcher: Matcher | None = None, header_row: int | None = None) -> SpendResult:
    """Match and store every line of a ledger as the spend of ``year`` (all or nothing)."""
    path = Path(path)
    info = inspect(path, sheet, header_row=header_row)
    decimal = decimal_mark(info)
    matcher = matcher or Matcher(criteria_set)
    result = SpendResult(file=path.name, year=year)
    with register.write() as conn:
        earlier = conn.execute(sa.select(sa.func.count()).select_from(spend_lines).where(
            spend_lines.c.year == year, spend_lines.c.source_file == path.name)).scalar()
        if earlier and not replace:
            raise AlreadyImportedError(
                tr("the register already has {n} spend lines for {year} from {name}",
                   "registret har redan {n} utgiftsrader för {year} från {name}", n=earlier,
                   year=year, name=path.name),
                file=path, hint=tr("give --replace to import it again",
                                   "ange --replace för att importera den igen"))
        if earlier:
            conn.execute(spend_lines.delete().where(spend_lines.c.year == year,
                                                    spend_lines.c.source_file == path.name))
        corrections = _corrections(conn)
        for chunk in iter_table(path, info=info, chunksize=chunksize):
            if result.rows == 0:
                columns = with_defaults(columns, list(chunk.columns))
                require_columns(chunk, [*columns.text, columns.amount,
                                        *(c for c in (columns.supplier, columns.org_number,
                                                      columns.organisation, columns.cpv) if c)],
                                path)
            assert columns is not None
            first_row = result.rows + 2
            amounts, bad = parse_amounts(chunk[columns.amount], decimal)
            if bad.any():
                n = int(bad.argmax())
                raise ImportRowError(tr("row {row}: {value!r} in {column} is not an amount; "
                                        "nothing was imported", "rad {row}: {value!r} i "
                                        "{column} är inget belopp; inget importerades",
                                        row=first_row + n, value=chunk[columns.amount].iat[n],
                                        column=columns.amount), file=path)
            matched = match_frame(chunk, matcher, list(columns.text), columns.cpv)
            rows = _rows(chunk, columns, matched, amounts, corrections, year, path.name,
                         first_row, result)
            conn.execute(spend_lines.insert(), rows)
        if result.rows:
            audit.log(conn, who, "spend_lines", 0, "insert", {"file": path.name, "year": year,
                                                             "rows": result.rows})
        result.others = {name: (int(n), float(total or 0)) for name, n, total in conn.execute(
            sa.select(spend_lines.c.source_file, sa.func.count(),
                      sa.func.sum(spend_lines.c.amount_sek))
            .where(spend_lines.c.year == year, spend_lines.c.source_file != path.name)
            .group_by(spend_lines.c.source_file))}
    return result


def _rows(chunk: pd.DataFrame, columns: Columns, matched: pd.DataFrame, amounts: Any,
          corrections: dict[str, str], year: int, name: str, first_row: int,
          result: SpendResult) -> list[dict[str, Any]]:
    text = chunk[columns.text[0]].astype(str)
    for column in columns.text[1:]:  # as the matcher joins them
        text = text.str.cat(chunk[column].astype(str), sep=" | ")
    orgs = (chunk[columns.org_number].astype(str).map(org_number) if columns.org_number
            else pd.Series([None] * len(chunk), index=chunk.index))
    suppliers = chunk[columns.supplier] if columns.supplier else orgs
    organisations = chunk[columns.organisation] if columns.organisation else orgs
    rows = []
    for n, (category, confidence, org, supplier, organisation, line, amount) in enumerate(zip(
            matched["category_id"].tolist(), matched["confidence"].tolist(), orgs.tolist(),
            suppliers.tolist(), organisations.tolist(), text.tolist(), amounts.tolist())):
        corrected = org is not None and org in corrections
        if corrected:
            category, confidence = corrections[org], "corrected"
        category = category or None
        amount = float(amount)
        rows.append({"year": year, "organisation": organisation or None,
                     "supplier": supplier or None, "supplier_org_number": org,
                     "text": line, "amount_sek": amount, "category": category,
                     "confidence": confidence if category else "none", "corrected": corrected,
                     "source_file": name, "source_row": first_row + n})
        result.rows += 1
        result.amount_sek += amount
        if corrected:
            result.corrected += 1
        if category:
            result.matched += 1
            result.by_category[category] = result.by_category.get(category, 0.0) + amount
        else:
            result.unmatched += 1
            result.unmatched_sek += amount
    return rows


def correct(register: Register, org: str, category: str, criteria_set: CriteriaSet, *,
            who: str) -> int:
    """Remember ``category`` for a supplier and apply it to its lines already stored;
    returns how many stored lines changed."""
    number = org_number(org)
    if number is None:
        raise InputFileError(tr("{org!r} is not an organisation number (NNNNNN-NNNN)",
                                "{org!r} är inget organisationsnummer (NNNNNN-NNNN)", org=org))
    if category not in criteria_set.categories:
        raise UnknownCategoryError(tr("unknown category {id!r}", "okänd kategori {id!r}",
                                      id=category),
                                   hint=tr("see: procure criteria categories",
                                           "se: procure criteria categories"))
    at = audit.now()
    with register.write() as conn:
        before = conn.execute(sa.select(spend_corrections.c.category).where(
            spend_corrections.c.supplier_org_number == number)).scalar()
        if before is None:
            conn.execute(spend_corrections.insert().values(
                supplier_org_number=number, category=category, corrected_at=at,
                corrected_by=who))
        else:
            conn.execute(spend_corrections.update().where(
                spend_corrections.c.supplier_org_number == number).values(
                category=category, corrected_at=at, corrected_by=who))
        changed = conn.execute(spend_lines.update().where(
            spend_lines.c.supplier_org_number == number).values(
            category=category, confidence="corrected", corrected=True)).rowcount
        audit.log(conn, who, "spend_corrections", 0, "update" if before else "insert",
                  {"org_number": number, "before": before, "category": category,
                   "lines_changed": changed}, at)
    return changed
