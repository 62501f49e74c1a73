"""Reading the winner back from the results workbook ``procure check -o results.xlsx`` wrote.

The workbook is what the buyer kept (and may have adjusted); it holds each supplier's
organisation number and, per criterion, the verdict and the award deduction. The headers are in
the language the check ran in, so both are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from procure.answers.results import column_labels
from procure.errors import InputFileError
from procure.i18n import tr
from procure.io.numbers import parse_amount
from procure.io.tables import read_table


@dataclass
class Award:
    """The winner as the results workbook records it."""

    supplier: str
    org_number: str | None
    deductions: dict[str, float | None] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)


def _keyed(columns: list[str]) -> dict[str, str]:
    """Header → key, for whichever language the headers are in."""
    found: dict[str, str] = {}
    for lang in ("sv", "en"):
        labels = {label: key for key, label in column_labels(lang).items()}
        found.update({c: labels[c] for c in columns if c in labels and c not in found})
    return found


def read_award(path: str | Path, winner: str) -> Award:
    """The row of ``winner`` (exact name, case and spaces ignored) and its deductions."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputFileError(tr("the results must be the .xlsx that procure check -o wrote",
                                "resultatet ska vara den .xlsx som procure check -o skrev"),
                             file=path)
    suppliers, _ = read_table(path, sheet=0)
    verdicts, _ = read_table(path, sheet=1)
    suppliers = suppliers.rename(columns=_keyed(list(suppliers.columns)))
    verdicts = verdicts.rename(columns=_keyed(list(verdicts.columns)))
    for frame, needed in ((suppliers, ("supplier",)),
                          (verdicts, ("supplier", "criterion_id", "deduction_sek"))):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise InputFileError(tr("not a results workbook from procure check (no column {c})",
                                    "inte en resultatfil från procure check (kolumnen {c} "
                                    "saknas)", c=missing[0]), file=path)
    wanted = " ".join(winner.split()).casefold()
    names = suppliers["supplier"].map(lambda s: " ".join(str(s).split()).casefold())
    rows = suppliers[names == wanted]
    if rows.empty:
        raise InputFileError(tr("no supplier named {winner!r}; the suppliers are: {names}",
                                "ingen leverantör heter {winner!r}; leverantörerna är: {names}",
                                winner=winner, names=", ".join(suppliers["supplier"])),
                             file=path)
    row = rows.iloc[0]
    org = str(row.get("org_number", "") or "").strip() or None
    mine = verdicts[verdicts["supplier"].map(lambda s: " ".join(str(s).split()).casefold())
                    == wanted]
    award = Award(supplier=str(row["supplier"]), org_number=org)
    for number, item in enumerate(mine.itertuples(index=False), start=2):
        text = str(item.deduction_sek or "").strip()
        value = parse_amount(text) if text else None
        if text and value is None:
            raise InputFileError(tr("deduction {text!r} is not an amount",
                                    "avdraget {text!r} är inget belopp", text=text),
                                 file=path, location=tr("row {n}", "rad {n}", n=number))
        award.deductions[str(item.criterion_id)] = value
        award.verdicts[str(item.criterion_id)] = str(getattr(item, "verdict", "") or "")
    return award
