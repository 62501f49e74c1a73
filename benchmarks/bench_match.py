"""Speed and memory of the matcher; prints its figures.

1. A year of ledger lines: 1,000,000 rows with about 50,000 distinct texts (supplier, account
   text, invoice text, amount with decimal comma), streamed from CSV to CSV by ``match_file``.
   Run in a child process so its peak memory (max RSS) is measured on its own.
2. 100,000 distinct texts through ``match_frame`` on a fresh matcher: texts per second.
3. The same 10,000 rows through the naive loop a user would write (rapidfuzz
   ``process.extractOne`` per row over all keywords) and through ``match_frame``: the ratio.

Usage: python benchmarks/bench_match.py [--rows 1000000] [--distinct 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from procure.criteria import load_criteria_set
from procure.matching import Matcher, match_file, match_frame

SUPPLIERS = """Preem AB;Circle K Sverige AB;OKQ8 Företag AB;Vattenfall AB;E.ON Energilösningar AB;
Mälarenergi AB;Fortum Värme AB;Martin & Servera AB;Menigo Foodservice AB;Dagab Inköp & Logistik;
Arla Foods AB;Scan AB;Svensk Cater AB;Atea Sverige AB;Dustin Sverige AB;Telia Sverige AB;
Canon Svenska AB;Kinnarps AB;Lammhults Design AB;Lyreco Sverige AB;Staples Sweden AB;Coor AB;
ISS Facility Services AB;Samhall AB;Ahlsell Sverige AB;Beijer Byggmaterial AB;NCC Sverige AB;
Skanska Sverige AB;Peab AB;Ramirent AB;Cramo AB;Volvo Car Sverige AB;Hedin Bil AB;Scania AB;
Europcar AB;SJ AB;Scandic Hotels AB;Elis Textil Service AB;Renova Miljö AB;PostNord AB;
Taxi Kurir AB;Sverigetaxi AB;Advokatfirman Lind KB;KPMG AB;If Skadeförsäkring AB;
Adecco Sweden AB;Liber AB;Swerock AB;Stena Recycling AB;Papyrus AB""".replace("\n", "").split(";")
ACCOUNTS = """Drivmedel;El;Värme;Livsmedel;Städtjänster;Förbrukningsmaterial;Skolskjuts;
Färdtjänst;Frakt;Renhållning;Förbrukningsinventarier;Mobiltelefon;Hyra kontorsmaskiner;
Inventarier;Arbetskläder;Reparation fastighet;Pågående nyanläggning;Gatuunderhåll;Snöröjning;
Parkskötsel;Fastighetsskötsel;Resor och logi;Konferens;Kontorsmaterial;Leasing personbil;
Konsulttjänster;Revision;Försäkringar;Läromedel;Medlemsavgifter;Bemanning;Lokalhyra;Övrigt
""".replace("\n", "").split(";")
OBJECTS = """tankkort;diesel;HVO100;elförbrukning;fjärrvärme;kolonialvaror;mjölk och fil;
köttfärs;frukt och grönt;städning;lokalvård;fönsterputs;handtvål;toalettpapper;skolskjuts;
färdtjänstresor;paketfrakt;tömning av kärl;bärbara datorer;bildskärmar;mobiltelefoner;
kopiator;kontorsstolar;skrivbord;tvätt av arbetskläder;skyddskläder;byggmaterial;
totalentreprenad förskola;asfaltering;snöröjning och sandning;trädvård;fastighetsskötsel;
hotell;tågbiljetter;konferenspaket;kopieringspapper;leasingavgift;juridisk rådgivning;
revision;fordonsförsäkring;läromedel;årsavgift;sjuksköterskor;hyra lokal;diverse
""".replace("\n", "").split(";")
PLACES = ["Solbackens skola", "förskolan Trollet", "Björkhagens kök", "hemtjänsten Norr",
          "stadshuset", "äldreboendet Linden", "gatuenheten", "kulturskolan", "IT-enheten", ""]
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]


def make_ledger(path: Path, rows: int, distinct: int, seed: int = 7) -> int:
    """Write a ;-separated, decimal-comma ledger; returns the number of distinct texts."""
    rng = random.Random(seed)
    texts: set[tuple[str, str, str]] = set()
    while len(texts) < distinct:
        account = rng.choice(ACCOUNTS)
        detail = rng.choice(OBJECTS)
        extra = rng.choice([f"v.{rng.randint(1, 52)}", rng.choice(MONTHS), rng.choice(PLACES),
                            f"fakt {rng.randint(10000, 99999)}", ""])
        invoice = " ".join(p for p in (detail, extra) if p)
        texts.add((rng.choice(SUPPLIERS), account, invoice))
    pool = list(texts)
    np_rng = np.random.default_rng(seed)
    # realistic repetition: a few texts recur all year, most rarely (Zipf-like)
    weights = 1.0 / np.arange(1, len(pool) + 1) ** 0.6
    pick = np_rng.choice(len(pool), size=rows, p=weights / weights.sum())
    frame = pd.DataFrame([pool[i] for i in pick], columns=["Leverantör", "Kontotext",
                                                          "Fakturatext"])
    cents = np_rng.integers(-50_000, 5_000_000, size=rows)
    frame["Belopp"] = [f"{c // 100:,}".replace(",", " ") + f",{abs(c) % 100:02d}" for c in cents]
    frame.insert(0, "Verifikation", [f"LF{i:07d}" for i in range(rows)])
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")
    return len({pool[i] for i in pick})


def run_file(source: Path, out: Path) -> None:
    """Child process: match the file, print JSON with the time and the peak memory."""
    started = time.perf_counter()
    matcher = Matcher(load_criteria_set())
    summary = match_file(source, out, matcher, ["Leverantör", "Kontotext", "Fakturatext"],
                         amount_column="Belopp")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": summary.rows,
                      "distinct": summary.distinct_texts, "matched": summary.matched_rows,
                      "unmatched_share": summary.unmatched_share}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    parser.add_argument("--run-file", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_file:
        run_file(*args.run_file)
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="procure-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    cset = load_criteria_set()

    # 1. a year of ledger lines, streamed
    source = folder / "reskontra.csv"
    started = time.perf_counter()
    distinct = make_ledger(source, args.rows, args.distinct)
    print(f"generated {args.rows:,} rows, {distinct:,} distinct texts, "
          f"{source.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s")
    child = subprocess.run([sys.executable, __file__, "--run-file", str(source),
                            str(folder / "matchad.csv")], capture_output=True, text=True,
                           check=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"1. match_file, {result['rows']:,} rows ({result['distinct']:,} distinct texts): "
          f"{result['seconds']:.1f} s, peak memory {result['peak_mb']:.0f} MB "
          f"(targets: < 30 s, < 1024 MB); {result['matched'] / result['rows']:.1%} rows matched")

    # 2. distinct texts per second, fresh matcher (no cache help)
    rng = random.Random(11)
    texts: set[str] = set()
    while len(texts) < 100_000:
        texts.add(f"{rng.choice(ACCOUNTS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} "
                  f"{rng.choice(SUPPLIERS)} {rng.randint(1, 10**6)}")
    frame = pd.DataFrame({"text": sorted(texts)})
    matcher = Matcher(cset)
    started = time.perf_counter()
    match_frame(frame, matcher, "text")
    seconds = time.perf_counter() - started
    print(f"2. match_frame, 100,000 distinct texts: {seconds:.1f} s = "
          f"{len(frame) / seconds:,.0f} texts/s (target: >= 5,000)")

    # 3. side by side with the naive loop, same 10,000 rows
    sample = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False, nrows=10_000)
    joined = (sample["Leverantör"] + " " + sample["Kontotext"] + " " + sample["Fakturatext"]
              ).tolist()
    choices, owners = [], []
    for cid, cat in cset.categories.items():
        for words in cat.keywords.values():
            choices.extend(words)
            owners.extend([cid] * len(words))
    started = time.perf_counter()
    naive = []
    for text in joined:
        best = process.extractOne(text, choices, scorer=fuzz.WRatio,
                                  processor=utils.default_process, score_cutoff=0)
        naive.append(owners[best[2]] if best else "")
    naive_s = time.perf_counter() - started
    matcher = Matcher(cset)  # built once, as a user would; its caches start empty
    started = time.perf_counter()
    match_frame(sample, matcher, ["Leverantör", "Kontotext", "Fakturatext"])
    ours_s = time.perf_counter() - started
    print(f"3. 10,000 rows: naive extractOne loop {naive_s:.2f} s "
          f"({len(choices):,} keywords), match_frame {ours_s:.2f} s "
          f"({sample.drop_duplicates(['Leverantör', 'Kontotext', 'Fakturatext']).shape[0]:,} "
          "distinct texts, empty cache): "
          f"{naive_s / ours_s:.0f}x faster (target: >= 20x)")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
