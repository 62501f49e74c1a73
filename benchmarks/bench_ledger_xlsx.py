"""Benchmark: read an XLSX ledger as a finance system exports it.

The ledger has a report title and a date above the header, a supplier merged over its rows,
distinct invoice texts (one per row), amounts, and a =SUMMA total row per 1,000 rows. Times
``procure.io.tables.read_table`` (header search, merged cells, sum rows) against a plain
``pandas.read_excel`` of the same sheet (which sees none of those).

    .venv/bin/python benchmarks/bench_ledger_xlsx.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure.io.tables import read_table

SUPPLIERS = ("Preem AB", "Circle K Sverige AB", "Vattenfall AB", "Mälarenergi AB",
             "Norrlandsbuss AB", "Atea Sverige AB", "Martin & Servera AB", "Skanska Sverige AB")


def write_ledger(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=False)
    sheet = book.active
    sheet.append(["Leverantörsreskontra 2024"])
    sheet.append(["Utskriven 2025-01-15"])
    sheet.append([])
    sheet.append(["Verifikation", "Leverantör", "Fakturatext", "Belopp"])
    for n in range(rows):
        if n and n % 1000 == 0:
            sheet.append(["", "", "Summa", f"=SUMMA(D{sheet.max_row - 999}:D{sheet.max_row})"])
        supplier = SUPPLIERS[(n // 4) % len(SUPPLIERS)] if n % 4 == 0 else None
        sheet.append([f"LF{240000 + n}", supplier, f"Faktura {n}: skolskjuts och drivmedel",
                      round(100 + (n * 7919) % 100000 / 3, 2)])
        if n % 4 == 3:  # one supplier over four rows, as merged cells
            last = sheet.max_row
            sheet.merge_cells(start_row=last - 3, start_column=2, end_row=last, end_column=2)
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reskontra.xlsx"
        write_ledger(path, args.rows)
        start = time.perf_counter()
        plain = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl",
                              header=3)
        pandas_s = time.perf_counter() - start
        start = time.perf_counter()
        frame, info = read_table(path, columns=["Fakturatext", "Belopp"])
        procure_s = time.perf_counter() - start
    print(f"XLSX ledger: {args.rows:,} invoice rows, title rows above the header, suppliers "
          f"merged over 4 rows, a =SUMMA row per 1,000")
    print(f"  pandas.read_excel (header given): {pandas_s:.2f} s; supplier filled on "
          f"{(plain['Leverantör'] != '').mean():.0%} of rows")
    print(f"  procure read_table (header found at row {info.header_row}): {procure_s:.2f} s; "
          f"supplier filled on {(frame['Leverantör'] != '').mean():.0%} of rows")


if __name__ == "__main__":
    main()
