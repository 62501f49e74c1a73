"""Matching quality on the CPV vocabulary itself: every CPV label, matched as if it were a title.

The shared CPV list (``../shared/data/cpv-2008-sv-en.csv``, read in place, never copied into the
project) gives about 9,500 codes with a Swedish and an English label. A code is *in scope* when
it falls in one of the library's categories by the longest-prefix rule, and its right answer is
that category — the same rule that labels the TED notices. The labels are short and literal, so
this set measures vocabulary coverage across the whole CPV tree under each category, and, on the
codes outside the library, how often an unrelated label gets a high-confidence match.

    python benchmarks/bench_match_cpv.py                 # both languages, one line each
    python benchmarks/bench_match_cpv.py --by-category   # plus right/total per category
    python benchmarks/bench_match_cpv.py --misses --lang en --area construction
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import pandas as pd

from procure.criteria import load_criteria_set
from procure.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent
CPV = ROOT.parent / "shared" / "data" / "cpv-2008-sv-en.csv"


def run(matcher: Matcher, frame: pd.DataFrame, lang: str, area: str | None,
        by_category: bool, misses: bool) -> None:
    cset = matcher.criteria_set
    family = {cid: {cid, *cset.ancestors(cid)} for cid in cset.categories}
    inside = right = branch = outside = out_high = 0
    total: collections.Counter[str] = collections.Counter()
    good: collections.Counter[str] = collections.Counter()
    wrong = []
    for code, text in zip(frame["code"], frame[f"label_{lang}"]):
        if not text.strip():
            continue
        want = matcher.cpv_categories(code)
        if area and not any(c == area or c.startswith(area + ".") for c in want):
            continue
        got = matcher.match(text, limit=2)
        top = got[0].category_id if got else None
        shown = [(m.category_id, m.score, m.confidence) for m in got]
        if want:
            inside += 1
            hit = top in want
            right += hit
            branch += top is not None and bool(family[top] & set(want))
            total[want[0]] += 1
            good[want[0]] += hit
            if not hit:
                wrong.append((code, text, want, shown))
        else:
            outside += 1
            if got and got[0].confidence == "high":
                out_high += 1
                wrong.append((code, text, ["(none)"], shown))
    line = f"CPV labels ({lang}): {inside} in scope, top-1 {right / max(inside, 1):.1%}"
    line += f" (right or a subcategory {branch / max(inside, 1):.1%})"
    if outside:
        line += f"; {outside} out of scope, given a high match {out_high / outside:.1%}"
    print(line)
    if by_category:
        for cid in sorted(total):
            print(f"  {cid:34s} {good[cid]:4d} / {total[cid]:4d}")
    if misses:
        for code, text, want, shown in wrong:
            print(f"  {code} {text[:70]!r}\n      want {want} got {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=None, help="criteria set (default built-in)")
    parser.add_argument("--lang", choices=["sv", "en"], action="append",
                        help="label language (default both)")
    parser.add_argument("--area", help="only codes whose category is this one or below it")
    parser.add_argument("--by-category", action="store_true", help="right/total per category")
    parser.add_argument("--misses", action="store_true", help="list misses and false highs")
    args = parser.parse_args()
    if not CPV.exists():
        print(f"CPV list not found at {CPV}; nothing to measure")
        return 0
    frame = pd.read_csv(CPV, dtype=str, keep_default_na=False)
    started = time.perf_counter()
    matcher = Matcher(load_criteria_set(args.set))
    print(f"{len(frame)} CPV codes; matcher built in {time.perf_counter() - started:.2f} s")
    for lang in args.lang or ["sv", "en"]:
        run(matcher, frame, lang, args.area, args.by_category, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
