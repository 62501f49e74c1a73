"""Speed of the register on SQLite and PostgreSQL; prints its figures.

1. ``procure register import`` of 10,000 procurements (CSV with Swedish headers; 20 % with a
   free-text category that the matcher decides; every row a contract with a supplier, three in
   four with 2–4 climate criteria, so the follow-up plans are written too). Target < 10 s.
   Then the same file again with ``--update``, as next month's export would come.
2. ``procure register spend`` of 200,000 ledger lines with about 20,000 distinct texts
   (supplier, account text, invoice text with place and month, amounts with decimal comma).
   Target < 20 s.
3. ``procure followup due`` over the 10,000 contracts (median of five runs). Target < 1 s.

The PostgreSQL runs start a throwaway server (tests/pgserver.py) when Debian's PostgreSQL
binaries are installed, and say so when they are not.

Usage: python benchmarks/bench_register.py [--procurements 10000] [--lines 200000]
       [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE)]

from bench_match import ACCOUNTS, MONTHS, OBJECTS, PLACES, SUPPLIERS  # noqa: E402
from pgserver import PgServer, binaries  # noqa: E402

from procure.criteria import load_criteria_set  # noqa: E402
from procure.matching import Matcher  # noqa: E402
from procure.register import db, followup, importer, spend  # noqa: E402

ORGS = ["Kommunstyrelseförvaltningen", "Barn- och utbildningsförvaltningen",
        "Socialförvaltningen", "Tekniska förvaltningen", "Kultur- och fritidsförvaltningen",
        "Miljö- och byggförvaltningen", "Exempelbostäder AB", "Exempel Energi AB"]


def contracts_file(path: Path, n: int, library) -> Path:
    rng = random.Random(1)
    categories = sorted(library.categories)
    by_category = {c: [x.id for x in library.criteria.values() if c in x.categories
                       and x.kind in ("contract_clause", "technical_spec")] for c in categories}
    lines = ["Diarienummer;Benämning;Förvaltning;Kategori;Avtalsvärde;Startdatum;Slutdatum;"
             "Klimatkrav;Nivå;Leverantör;Organisationsnummer;Kriterier"]
    for i in range(n):
        category = rng.choice(categories)
        free = rng.random() < 0.2
        start = dt.date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), 1)
        end = dt.date(start.year + rng.randint(1, 4), start.month, 1) - dt.timedelta(days=1)
        climate = rng.random() < 0.75 and by_category[category]
        ids = rng.sample(by_category[category], min(len(by_category[category]),
                                                    rng.randint(2, 4))) if climate else []
        value = f"{rng.randint(100_000, 90_000_000):,}".replace(",", " ") + ",00"
        lines.append(";".join([
            f"{rng.choice(['KS', 'BUF', 'TF'])} {start.year}/{i:05d}",
            f"{rng.choice(OBJECTS).capitalize()} {rng.choice(PLACES)} {i}".strip(),
            rng.choice(ORGS),
            f"{rng.choice(OBJECTS)} {rng.choice(ACCOUNTS).lower()}" if free else category,
            value, start.isoformat(), end.isoformat(), "ja" if climate else "nej",
            rng.choice(["bas", "avancerad", "spjutspets"]) if climate else "",
            rng.choice(SUPPLIERS), f"55{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}",
            ", ".join(ids)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ledger_file(path: Path, rows: int, distinct: int) -> Path:
    rng = random.Random(2)
    texts = [(rng.choice(SUPPLIERS), rng.choice(ACCOUNTS),
              f"{rng.choice(OBJECTS)} {rng.choice(PLACES)} {rng.choice(MONTHS)}".strip())
             for _ in range(distinct)]
    orgs = {s: f"55{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}" for s in SUPPLIERS}
    with path.open("w", encoding="utf-8") as out:
        out.write("Leverantör;Organisationsnummer;Förvaltning;Kontotext;Fakturatext;Belopp\n")
        for _ in range(rows):
            supplier, account, invoice = rng.choice(texts)
            out.write(f"{supplier};{orgs[supplier]};{rng.choice(ORGS)};{account};{invoice};"
                      f"{rng.randint(10, 250_000)},{rng.randint(0, 99):02d}\n")
    return path


class Clock:
    """Wall time, and this process's CPU time: on a shared machine the second says what the
    code costs when the wall clock also counts waiting for a core."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU"


def run(label: str, url: str, contracts: Path, ledger: Path, library, matcher) -> None:
    reg, _, _ = db.init(url)
    try:
        with Clock() as took:
            done = importer.import_register(reg, contracts, library, who="bench",
                                            matcher=matcher)
        print(f"{label}: import {len(done.added):,} procurements ({done.checkpoints:,} "
              f"checkpoints planned): {took} (target < 10 s)")
        with Clock() as took:  # next month's export of the same register, over the first
            again = importer.import_register(reg, contracts, library, who="bench",
                                             matcher=matcher, update=True)
        print(f"{label}: the same file again with --update ({len(again.updated):,} updated, "
              f"follow-ups kept): {took}")
        with Clock() as took:
            lines = spend.import_spend(reg, ledger, library, 2026, who="bench", matcher=matcher)
        print(f"{label}: spend {lines.rows:,} lines ({lines.unmatched:,} without category): "
              f"{took} (target < 20 s)")
        times = []
        for _ in range(5):
            start = time.perf_counter()
            due = followup.due(reg, dt.date(2026, 11, 30), 30)
            times.append(time.perf_counter() - start)
        print(f"{label}: followup due over {len(done.added):,} contracts ({len(due):,} items): "
              f"{statistics.median(times):.2f} s median of 5 (target < 1 s)")
    finally:
        reg.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procurements", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    library = load_criteria_set()
    matcher = Matcher(library)  # built once: the import commands build theirs too (≈1.5 s)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        contracts = contracts_file(folder / "avtal.csv", args.procurements, library)
        ledger = ledger_file(folder / "reskontra.csv", args.lines, args.lines // 10)
        print(f"data: {args.procurements:,} procurements, {args.lines:,} ledger lines with "
              f"{args.lines // 10:,} distinct texts")
        if args.only != "postgresql":
            run("SQLite", str(folder / "bench.db"), contracts, ledger, library, matcher)
        if args.only != "sqlite":
            if binaries() is None:
                print("PostgreSQL: not run (no /usr/lib/postgresql/*/bin/initdb)")
                return
            with PgServer() as server:
                run("PostgreSQL", server.new_database(), contracts, ledger, library, matcher)


if __name__ == "__main__":
    main()
