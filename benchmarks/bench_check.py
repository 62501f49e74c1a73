"""Benchmark: check 200 suppliers × 80 criteria, reading the XLSX answer files included.

Builds a synthetic criteria set (80 criteria of every answer type, award criteria in SEK, % and
points), writes the answer template, fills it for 200 suppliers with varied answers as people
type them, then times reading + checking. Target: under 3 s on the project's 2-core machine.

    .venv/bin/python benchmarks/bench_check.py [--suppliers 200] [--criteria 80]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure.answers.evaluation import evaluate, write_evaluation
from procure.answers.read import read_answers
from procure.criteria import load_criteria_set
from procure.tender.spec import build_spec, resolve
from procure.tender.template import fill_template, write_template

KINDS = ("qualification", "technical_spec", "award", "contract_clause")


def synthetic_set(n_criteria: int) -> dict:
    criteria = []
    for i in range(n_criteria):
        kind = KINDS[i % 4]
        rtype = ("boolean", "number", "choice", "date", "text")[i % 5]
        if kind == "award" and rtype in ("text", "date"):
            rtype = "number"
        answer: dict = {"type": rtype}
        award = None
        if rtype == "number":
            answer.update(unit="%", min=0 if kind == "award" else 50)
            if kind == "award":
                award = {"method": ("price_deduction_pct", "price_deduction_sek", "points")[i % 3],
                         "steps": [{"at_least": 60, "value": 2}, {"at_least": 90, "value": 5}]}
        elif rtype == "choice":
            answer.update(choices=["Svanen", "EU Ecolabel", "Bra Miljöval", "Ingen"],
                          accepted=["Svanen", "EU Ecolabel", "Bra Miljöval"])
            if kind == "award":
                award = {"method": "price_deduction_sek", "value": 50000}
        elif rtype == "date":
            answer.update(not_after="2027-12-31")
        elif rtype == "boolean" and kind == "award":
            award = {"method": "price_deduction_sek", "value": 100000}
        if i % 7 == 0:
            answer["evidence"] = "required"
        item = {
            "id": f"BEN-{i:03d}-01", "categories": ["bench"], "kind": kind,
            "title": {"sv": f"Krav {i}", "en": f"Requirement {i}"},
            "text": {"sv": f"Kravtext nummer {i} som beskriver vad som krävs.",
                     "en": f"Requirement text number {i}."},
            "verification": {"sv": "Intyg.", "en": "Certificate."},
            "follow_up": {"sv": "Årligen.", "en": "Yearly."},
            "rationale": {"sv": "Klimat.", "en": "Climate."},
            "answer": answer, "levels": {"bas": {}},
            "eforms": {"gpp_criteria": "national", "environmental_impact": ["clim-mitig"]},
            "sources": [{"title": "Benchmark"}],
        }
        if award:
            item["award"] = award
        criteria.append(item)
    return {
        "$schema": "procure/criteria-set/v1", "name": "bench", "version": "1.0.0",
        "title": {"sv": "Benchmark", "en": "Benchmark"}, "languages": ["sv", "en"],
        "categories": [{"id": "bench", "name": {"sv": "Benchmark", "en": "Benchmark"},
                        "keywords": {"sv": ["benchmark"], "en": ["benchmark"]}}],
        "criteria": criteria,
    }


ANSWERS = {
    "boolean": ["Ja", "ja", "JA", "Yes", "X", "✓", "Nej", "N/A", ""],
    "number": ["70 %", "1,5", "95", "65", "ca 70", "abc", "100 %", "", "Ej tillämpligt"],
    "choice": ["Svanen", "eu ecolabel", "Ingen", "Bra Miljöval", "Blue Angel", ""],
    "date": ["2027-06-30", "2028-01-15", "30/6/2027", ""],
    "text": ["Vi har en plan.", "", "None"],
}
GOOD = {"boolean": "Ja", "number": "95 %", "choice": "Svanen", "date": "2027-06-30",
        "text": "Vi har en plan."}


def supplier_answers(selected: list, rnd: random.Random, profile: str) -> dict:
    """Answers as a supplier of one profile types them: careful, careless or in between.

    A mix of profiles gives a spread of pending (free-text criteria always need a person) and
    not qualified suppliers, so more than the failing branch of the check is timed.
    """
    slip = {"careful": 0.0, "gaps": 0.03, "careless": 1.0}[profile]
    return {s.id: ((rnd.choice(ANSWERS[s.answer.type]), rnd.choice(["", "Bilaga 1"]))
                   if rnd.random() < slip else (GOOD[s.answer.type], "Bilaga 1"))
            for s in selected}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=200)
    parser.add_argument("--criteria", type=int, default=80)
    args = parser.parse_args()
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        set_path = root / "set.yaml"
        set_path.write_text(yaml.safe_dump(synthetic_set(args.criteria), allow_unicode=True),
                            encoding="utf-8")
        cset = load_criteria_set(set_path)
        spec = build_spec(cset, title="Benchmark", category="bench", level="bas")
        _, selected = resolve(spec, cset)
        template = root / "template.xlsx"
        write_template(spec, cset, selected, template)
        folder = root / "answers"
        folder.mkdir()
        started = time.perf_counter()
        for n in range(args.suppliers):
            profile = ("careful", "gaps", "careless")[n % 3]
            answers = supplier_answers(selected, rnd, profile)
            fill_template(template, folder / f"supplier-{n:03d}.xlsx",
                          {"name": f"Leverantör {n} AB",
                           "bid_price": f"{rnd.randint(3_000, 6_000)} 000 kr"}, answers)
        prepared = time.perf_counter() - started

        started = time.perf_counter()
        answer_set = read_answers([folder], criteria_ids=[s.id for s in selected],
                                  fingerprint=spec.fingerprint(selected))
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        evaluation = evaluate(spec, cset, selected, answer_set)
        check_s = time.perf_counter() - started
        started = time.perf_counter()
        write_evaluation(evaluation, root / "results.xlsx")
        write_s = time.perf_counter() - started

    cells = args.suppliers * len(selected)
    total = read_s + check_s
    print(f"suppliers × criteria: {args.suppliers} × {len(selected)} = {cells} verdicts")
    print(f"prepare (write {args.suppliers} filled templates): {prepared:.2f} s (not timed)")
    print(f"read {args.suppliers} XLSX files:                  {read_s:.3f} s")
    print(f"check (verdicts, qualification, deductions): {check_s:.3f} s")
    print(f"read + check:                                {total:.3f} s  (target < 3 s)")
    print(f"write results.xlsx:                          {write_s:.3f} s")
    status = evaluation.suppliers["status"].value_counts().to_dict()
    print(f"statuses: {status}")
    if total >= 3.0:
        sys.exit(f"too slow: {total:.2f} s >= 3 s")


if __name__ == "__main__":
    main()
