"""Speed of the yearly follow-up report on a register the size of a large municipal group.

Run: python benchmarks/bench_report.py [--postgres URL] [--keep OUTDIR]   (prints the figures;
exit 1 over budget)

The register: 8 organisations, 45 categories, 10,000 procurements started 2022–2026 (about 60 %
with climate criteria), one contract each, 30,000 follow-up checkpoints, 1,500 deviations and
200,000 spend lines for the report year (2026) from 3,000 suppliers, 5 % of them without a
category and 10 % without an organisation number. Random but seeded, so every run builds the
same register. The figure is the whole command as a user runs it — open the register, compute
every figure including the trend and the per-organisation table, write the PDF — in one
process, first run (fonts and the criteria library load included). Budget: 10 s (issue 14).

With ``--postgres URL`` (an empty database the script may create the register in) the same register is built
there and timed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's procure

from procure.cli import main
from procure.register import db
from procure.register import tables as t

BUDGET_S = 10.0
ORGS = ["Barn- och utbildningsförvaltningen", "Socialförvaltningen", "Tekniska förvaltningen",
        "Kultur- och fritidsförvaltningen", "Stadsbyggnadsförvaltningen", "Kommunfastigheter AB",
        "Bostadsbolaget AB", "Energi och vatten AB"]
CATEGORIES = [f"cat{n:02d}" for n in range(45)]
KINDS = ["qualification", "technical_spec", "award", "contract_clause"]
LEVELS = ["bas", "avancerad", "spjutspets"]
NOW = dt.datetime(2026, 12, 1)


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def build(target: str, seed: int = 14) -> dict[str, int]:
    """Create the register at ``target`` (an empty database) and fill it; the row counts."""
    rng = random.Random(seed)
    register, _, _ = db.init(target)
    suppliers = [(f"Leverantör {n} AB", f"55{n:04d}-{n % 10000:04d}" if n % 10 else None)
                 for n in range(3000)]
    procs, pcrit, contracts, ccrit, miles, fails = [], [], [], [], [], []
    for pid in range(1, 10_001):
        year = 2022 + pid % 5
        climate = rng.random() < 0.6
        org = rng.choice(ORGS)
        procs.append({"id": pid, "reference": f"DNR-{pid}", "title": f"Upphandling {pid}",
                      "organisation": org, "category": rng.choice(CATEGORIES),
                      "level": rng.choice(LEVELS) if climate else None,
                      "has_climate_criteria": climate,
                      "gpp_criteria": rng.choice(["national", "eu", "other"]) if climate
                      else rng.choice(["none", None]),
                      "environmental_impact": rng.choice(["other", "clim-mitig", None, ""])
                      if climate else None,
                      "estimated_value_sek": rng.choice([None, *[rng.randrange(100_000, 50_000_000)
                                                                 for _ in range(9)]]),
                      "started": _day(rng, year), "status": "cancelled" if pid % 50 == 0
                      else "active", "source": "spec", "created_at": NOW})
        name, number = rng.choice(suppliers)
        signed = procs[-1]["started"] + dt.timedelta(days=rng.randrange(60, 200))
        end = signed + dt.timedelta(days=365 * rng.choice([1, 2, 3, 4]))
        contracts.append({"id": pid, "procurement_id": pid, "supplier": name,
                          "supplier_org_number": number, "value_sek": rng.randrange(50_000,
                                                                                    40_000_000),
                          "signed": signed, "period_start": signed, "period_end": end,
                          "status": "active", "risk_tier": rng.choice([1, 2, 2, 3, 3, 3]),
                          "created_at": NOW})
        if climate:
            for n in range(rng.randrange(2, 6)):
                kind = KINDS[n % 4]
                pcrit.append({"procurement_id": pid, "criterion_id": f"K-{n}",
                              "criterion_version": 1, "kind": kind, "level": "bas",
                              "params": {}})
                ccrit.append({"contract_id": pid, "criterion_id": f"K-{n}",
                              "criterion_version": 1, "kind": kind, "level": "bas",
                              "params": {}, "deduction_sek": None})
    climate_contracts = [c for c, p in zip(contracts, procs) if p["has_climate_criteria"]]
    for mid in range(1, 30_001):
        contract = rng.choice(climate_contracts)
        due = contract["signed"] + dt.timedelta(days=rng.randrange(30, 1200))
        status = rng.choice(["met", "met", "met", "notMet", "partiallyMet", "scheduled",
                             "scheduled"]) if due < dt.date(2026, 12, 1) else "scheduled"
        miles.append({"id": mid, "contract_id": contract["id"], "criterion_id": "K-1",
                      "title": "Kontroll", "due_date": due, "status": status,
                      "date_met": due if status == "met" else None,
                      "last_reviewed": due + dt.timedelta(days=5) if status != "scheduled"
                      else None,
                      "evidence_valid_until": due + dt.timedelta(days=rng.randrange(100, 800))
                      if rng.random() < 0.3 else None})
    for fid in range(1, 1501):
        contract = rng.choice(climate_contracts)
        fails.append({"id": fid, "contract_id": contract["id"], "criterion_id": "K-1",
                      "period_start": _day(rng, rng.choice([2024, 2025, 2026])),
                      "category": "avvikelse", "events": rng.randrange(1, 4),
                      "sanction_imposed_sek": rng.choice([None, 0, 10_000, 50_000]),
                      "corrective_action": rng.choice([None, "Åtgärdsplan"]),
                      "corrective_outcome": rng.choice([None, "open", "done", "not_done"]),
                      "recorded_at": NOW})
    spend = []
    for sid in range(1, 200_001):
        name, number = suppliers[min(int(rng.paretovariate(1.2)) - 1, 2999)] \
            if rng.random() < 0.5 else rng.choice(suppliers)
        spend.append({"id": sid, "year": 2026, "organisation": rng.choice(ORGS),
                      "supplier": name, "supplier_org_number": number,
                      "text": f"Faktura {sid}", "amount_sek": round(rng.lognormvariate(9, 1.6), 2),
                      "category": None if rng.random() < 0.05 else rng.choice(CATEGORIES)})
    with register.write() as conn:
        for table, rows in ((t.procurements, procs), (t.procurement_criteria, pcrit),
                            (t.contracts, contracts), (t.contract_criteria, ccrit),
                            (t.milestones, miles), (t.performance_failures, fails),
                            (t.spend_lines, spend)):
            for start in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[start:start + 20_000])
    register.close()
    return {"procurements": len(procs), "contracts": len(contracts), "milestones": len(miles),
            "spend_lines": len(spend)}


def time_report(db: str, out: Path, *extra: str) -> float:
    runner = CliRunner()
    start = time.perf_counter()
    result = runner.invoke(main, ["report", "followup", "--year", "2026", "--db", db,
                                  "--as-of", "2026-12-31", "-o", str(out), "--force", *extra])
    elapsed = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"report failed: {result.output}")
    return elapsed


def main_() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to fill")
    parser.add_argument("--keep", type=Path, help="keep the register and PDFs here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    targets = [("SQLite", f"{folder / 'register.db'}")]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    over = False
    for name, target in targets:
        if "://" not in target:
            for old in (target, f"{target}-wal", f"{target}-shm"):
                Path(old).unlink(missing_ok=True)
        start = time.perf_counter()
        counts = build(target)
        print(f"{name}: built {counts} in {time.perf_counter() - start:.1f} s")
        for label, extra, suffix in (("PDF", (), "pdf"),
                                     ("PDF --by organisation", ("--by", "organisation"), "pdf"),
                                     ("XLSX --by organisation", ("--by", "organisation"), "xlsx")):
            elapsed = time_report(target, folder / f"report-{name.lower()}.{suffix}", *extra)
            flag = "" if elapsed < BUDGET_S else "  OVER BUDGET"
            over |= elapsed >= BUDGET_S
            print(f"{name}: report followup ({label}): {elapsed:.2f} s (budget {BUDGET_S:.0f} s)"
                  f"{flag}")
    print(f"files in {folder}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main_())
