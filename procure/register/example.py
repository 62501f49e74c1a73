"""Building the example group's register from ``examples/register/`` (for the demo and tests).

The files are what a municipal group would have: its contract register (imported), a log of
follow-up checks and a list of deviations (recorded one by one, as a buyer would with
``procure followup record`` / ``deviation``, and closed with ``resolve`` when decided), three years of ledgers and the category
corrections a buyer made after the second year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from procure.io.numbers import parse_amount
from procure.io.tables import read_table
from procure.matching import Matcher
from procure.model import CriteriaSet
from procure.register import followup, importer, spend
from procure.register.db import Register

OUTCOMES = {label.render(lang).casefold(): code for code, label in followup.OUTCOME_LABELS.items()
            for lang in ("sv", "en") if code != "open"}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text.strip() else None


def build_example(register: Register, folder: str | Path, criteria_set: CriteriaSet, *,
                  who: str = "exempel") -> dict[str, int]:
    """Fill an empty register with the example group; returns what was stored."""
    folder = Path(folder)
    matcher = Matcher(criteria_set)
    done = importer.import_register(register, folder / "avtalsregister.csv", criteria_set,
                                    who=who, matcher=matcher)
    counts = {"procurements": len(done.added), "checkpoints": done.checkpoints,
              "followups": 0, "deviations": 0, "spend_lines": 0}
    frame, _ = read_table(folder / "uppfoljningar.csv")
    for row in frame.itertuples(index=False):
        followup.record(register, row.Diarienummer, row.Kriterium, row.Status,
                        who=row.Vem or who, on=dt.date.fromisoformat(row.Datum),
                        evidence=row.Bevis or None, valid_until=_date(row[5]),
                        note=row.Anteckning or None)
        counts["followups"] += 1
    frame, _ = read_table(folder / "avvikelser.csv")
    for row in frame.itertuples(index=False):
        found = followup.Deviation(category=row.Kategori, description=row.Beskrivning or None,
                                   events=int(row.Antal), sanction_agreed=row[5] or None,
                                   sanction_imposed_sek=parse_amount(row[6]) if row[6] else None,
                                   corrective_action=row[7] or None,
                                   corrective_due=_date(row[8]))
        fid = followup.deviation(register, row.Diarienummer, row.Kriterium, found, who=who)
        counts["deviations"] += 1
        if row.Utfall:  # the buyer closed the corrective action later ("genomförd")
            outcome = OUTCOMES[row.Utfall.strip().casefold()]
            followup.resolve(register, fid, outcome, who=who, on=dt.date.fromisoformat(row[10]))
    ledgers = sorted(folder.glob("reskontra-*.csv"))
    corrections, _ = read_table(folder / "rattelser.csv")
    for n, ledger in enumerate(ledgers):
        if n == len(ledgers) - 1:  # the buyer corrected after the earlier years
            for row in corrections.itertuples(index=False):
                spend.correct(register, row[0], row[1], criteria_set, who=who)
        year = int(ledger.stem.rsplit("-", 1)[1])
        counts["spend_lines"] += spend.import_spend(register, ledger, criteria_set, year,
                                                    who=who, matcher=matcher).rows
    return counts
