"""Benchmark: validate the built-in library under the v1 rules and under the stricter v2 rules.

Copies criteria/ to a temporary folder with ``$schema`` switched to v2, times both validations
(best of N) and prints the v2 findings per code: what content authors must clear before the
library can declare v2.

    .venv/bin/python benchmarks/bench_validate.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure.criteria import validate_path
from procure.criteria.load import builtin_path


def best_of(repeat: int, path: Path) -> tuple[float, object]:
    times, report = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate_path(path)
        times.append(time.perf_counter() - start)
    return min(times), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = builtin_path()
    with tempfile.TemporaryDirectory() as tmp:
        v2 = Path(tmp) / "criteria"
        shutil.copytree(source, v2)
        header = v2 / "set.yaml"
        header.write_text(header.read_text("utf-8").replace(
            "procure/criteria-set/v1", "procure/criteria-set/v2"), "utf-8")
        t1, r1 = best_of(args.repeat, source)
        t2, r2 = best_of(args.repeat, v2)
    print(f"v1 rules: {t1 * 1000:.0f} ms, {len(r1.errors)} errors, {len(r1.warnings)} warnings")
    print(f"v2 rules: {t2 * 1000:.0f} ms, {len(r2.errors)} errors, {len(r2.warnings)} warnings")
    print("v2 findings per code:")
    for (code, severity), n in sorted(Counter((f.code, f.severity)
                                              for f in r2.findings).items()):
        print(f"  {code:<24}{severity:<9}{n:>5}")


if __name__ == "__main__":
    main()
