"""Speed of sharing a set: the built-in library (se-klimat 2.0.0: 255 criteria, 67 categories,
old versions included) read, hashed, exported to XLSX/CSV and imported back, diffed and merged;
the example set from another municipality installed and uninstalled.

Run: python benchmarks/bench_sharing.py   (prints one line per step, best of three, seconds)

The data is the real library, not a toy: every step a user runs on it is timed as the command
does it, writing its files included. The merge takes the example set from another
municipality (examples/umea-klimat) into the library with --prefer base.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from procure.criteria.diff import diff_sets
from procure.criteria.document import read_document
from procure.criteria.install import install, uninstall
from procure.criteria.load import builtin_path
from procure.criteria.merge import merge_sets
from procure.criteria.tabular import export_csv, export_xlsx
from procure.criteria.tabular_import import import_table

ROOT = Path(__file__).resolve().parent.parent


def best(step: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sharing-"))
    os.environ["PROCURE_DATA_DIR"] = str(tmp / "data")
    try:
        library = read_document(builtin_path())
        umea = read_document(ROOT / "examples" / "umea-klimat")
        changed = library.copy()
        for criterion in changed.criteria[::10]:
            criterion["title"]["sv"] += " (ändrad)"

        def install_and_remove() -> None:
            install(ROOT / "examples" / "umea-klimat")
            uninstall("umea@1.0.0")

        steps: list[tuple[str, Callable[[], object]]] = [
            ("read + validate the library", lambda: read_document(builtin_path())),
            ("content hash", library.hash),
            ("install + uninstall umea", install_and_remove),
            ("export XLSX", lambda: export_xlsx(library, tmp / "s.xlsx")),
            ("export CSV (sv)", lambda: export_csv(library, tmp / "s.csv")),
            ("import XLSX", lambda: import_table(tmp / "s.xlsx", name="x", publisher="x")),
            ("import CSV", lambda: import_table(tmp / "s.csv", name="x", publisher="x")),
            ("diff (16 titles changed)", lambda: diff_sets(library, changed)),
            ("merge umea --prefer base (validated)",
             lambda: merge_sets(library, [umea], prefer="base")),
        ]
        print(f"{len(library.criteria)} criteria, {len(library.categories)} categories; "
              "best of 3, seconds")
        for name, step in steps:
            print(f"  {name:<40} {best(step):6.3f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
