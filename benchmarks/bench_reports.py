"""Speed of the PDF reports: a 300-criterion annex and a 50 × 80 evaluation record.

Run: .venv/bin/python benchmarks/bench_reports.py [OUTDIR]   (prints the figures; exit 1 over
budget)

Budgets (from the issue): annex < 3 s, evaluation record < 5 s, checked against the first
build in the process (it pays for registering the fonts); the best of three further builds is
printed beside it. Give an OUTDIR argument to keep the two PDFs for a look.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from procure.criteria import load_criteria_set
from procure.reports.annex import build_annex_pdf
from procure.reports.evaluation import EvaluationTables, build_evaluation_pdf
from procure.tender.spec import ProcurementSpec, resolve

KINDS = ("qualification", "technical_spec", "award", "contract_clause")
BUDGETS = {"annex_300": 3.0, "evaluation_50x80": 5.0}


def synthetic_set(n: int, folder: Path) -> Path:
    """A valid criteria set with ``n`` criteria of every kind and answer type, one category."""
    criteria = []
    for i in range(n):
        kind = KINDS[i % 4]
        cid = f"BEN-{i:04d}"
        text = ("Minst {share} % av fordonen ska drivas med förnybara drivmedel och släppa ut "
                "högst 95 g CO₂/km; leverantören redovisar årligen utsläppen & åtgärderna. ") * 2
        crit = {
            "id": cid, "categories": ["transport"], "kind": kind,
            "title": {"sv": f"Krav {i} – förnybara drivmedel", "en": f"Requirement {i}"},
            "text": {"sv": text, "en": "At least {share} % renewable fuel."},
            "verification": {"sv": "Fordonsförteckning med registreringsnummer.", "en": "List."},
            "follow_up": {"sv": "Kontroll mot vägtrafikregistret två gånger per år.",
                          "en": "Register check."},
            "rationale": {"sv": "Minskar utsläppen.", "en": "Cuts emissions."},
            "answer": {"type": "number", "unit": "%", "min": "{share}"},
            "levels": {"bas": {"params": {"share": 50 + i % 50}}},
            "eforms": {"gpp_criteria": "national", "environmental_impact": ["clim-mitig"]},
            "sources": [{"title": "Benchmark"}],
        }
        if kind == "award":
            crit["answer"] = {"type": "number", "unit": "%", "min": 0, "max": 100}
            crit["text"] = {"sv": "Mervärde för andel el- och biogasfordon.", "en": "Added value."}
            crit["award"] = {"method": "price_deduction_pct",
                             "steps": [{"at_least": 50, "value": 3}, {"at_least": 80, "value": 6}]}
            crit["levels"] = {"bas": {}}
        criteria.append(crit)
    data = {
        "$schema": "procure/criteria-set/v1", "name": "bench", "version": "1.0.0",
        "title": {"sv": "Prestandatest", "en": "Benchmark"}, "languages": ["sv", "en"],
        "categories": [{"id": "transport", "name": {"sv": "Transporter", "en": "Transport"},
                        "keywords": {"sv": ["transport"], "en": ["transport"]}}],
        "criteria": criteria,
    }
    path = folder / "bench-set.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def synthetic_evaluation(suppliers: int, selected: list, seed: int = 7) -> EvaluationTables:
    rng = random.Random(seed)
    rows = []
    for s in range(suppliers):
        name = f"Leverantör {s + 1} AB"
        for crit in selected:
            verdict = rng.choices(["met", "not_met", "missing", "invalid", "review"],
                                  weights=[80, 8, 5, 3, 4])[0]
            rows.append({"supplier": name, "criterion_id": crit.id, "kind": crit.kind,
                         "verdict": verdict, "answer": "" if verdict == "missing" else "42",
                         "reason": "" if verdict == "met" else
                         "Svaret 42 % är lägre än kravet; underlag saknas för fordon ABC123."})
    verdicts = pd.DataFrame(rows)
    summary = []
    for s in range(suppliers):
        name = f"Leverantör {s + 1} AB"
        bad = verdicts[(verdicts.supplier == name) & (verdicts.verdict != "met")
                       & (verdicts.kind != "award")]
        status = "qualified" if bad.empty else "not_qualified"
        bid = 40_000_000 + rng.randrange(0, 10_000_000)
        summary.append({"supplier": name, "status": status, "bid_price": float(bid),
                        "deductions": 1_000_000.0, "comparison_price": bid - 1_000_000.0,
                        "rank": None})
    frame = pd.DataFrame(summary)
    qualified = frame[frame.status == "qualified"].sort_values("comparison_price")
    frame.loc[qualified.index, "rank"] = range(1, len(qualified) + 1)
    return EvaluationTables(verdicts, frame)


def timed(fn, runs: int = 3) -> tuple[float, float]:
    """(first build, best of ``runs`` further builds) in seconds."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times[0], min(times[1:])


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cset = load_criteria_set(synthetic_set(300, folder))
        spec = ProcurementSpec(title="Prestandatest", category="transport", level="bas",
                               reference="BEN-1", organisation="Exempelkommun",
                               criteria_set=cset.ref)
        _, selected = resolve(spec, cset)
        pages: dict[str, int] = {}

        def annex() -> None:
            built = build_annex_pdf(spec, cset, selected, folder / "annex.pdf",
                                    date="2026-01-01")
            pages["annex_300"] = built.pages

        eighty = selected[:80]
        evaluation = synthetic_evaluation(50, eighty)

        def record() -> None:
            built = build_evaluation_pdf(evaluation, spec, cset, eighty,
                                         folder / "evaluation.pdf", date="2026-01-01")
            pages["evaluation_50x80"] = built.pages

        figures = {"annex_300": timed(annex), "evaluation_50x80": timed(record)}
        if len(sys.argv) > 1:  # keep the PDFs to look at: bench_reports.py OUTDIR
            out = Path(sys.argv[1])
            out.mkdir(parents=True, exist_ok=True)
            for name in ("annex.pdf", "evaluation.pdf"):
                (out / name).write_bytes((folder / name).read_bytes())
    over = False
    for name, (first, seconds) in figures.items():
        budget = BUDGETS[name]
        flag = "ok" if first < budget else "OVER BUDGET"
        over |= first >= budget
        print(f"{name:<18} first {first:5.2f} s, best {seconds:5.2f} s  "
              f"(budget {budget:.0f} s, {pages[name]} pages)  {flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
