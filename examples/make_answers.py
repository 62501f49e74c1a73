"""Regenerate the example supplier answers in examples/answers/ for examples/spec.yaml.

Five suppliers answer the school-transport procurement, each showing one thing the check does:

- Norrlandsbuss AB: meets every requirement; modest award answers.
- Grön Skolskjuts i Örnsköldsvik AB: the highest bid price, but wins on award deductions.
- Kustlinjens Trafik AB: the lowest bid, but fails the renewable-fuel clause (not qualified).
- Byträsk Taxi & Buss: leaves answers empty and gives no evidence (not qualified).
- Skolskjuts Mitt AB: a combined long-form CSV as an e-procurement system exports it, with
  answers a person must review ("Ja, se bilaga 4", "N/A") — pending review.

Answers are typed the way people type them ("JA", "X", "✓", "38,5 %", "Euro VI"). Criteria not
named below get a plain passing answer from their rule, so the script keeps working when the
library gains a criterion. Run from the repository root:

    .venv/bin/python examples/make_answers.py
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from procure.io.outputs import write_text_atomic  # noqa: E402
from procure.model import SelectedCriterion  # noqa: E402
from procure.tender.spec import load_spec, resolve  # noqa: E402
from procure.tender.template import fill_template, write_template  # noqa: E402

SUPPLIERS: list[dict[str, Any]] = [
    {
        "file": "01-norrlandsbuss.xlsx",
        "supplier": {"name": "Norrlandsbuss AB", "org_number": "556123-4567",
                     "bid_price": "46 000 000 kr", "contact": "Anna Lind",
                     "email": "anbud@norrlandsbuss.example"},
        "answers": {"GEN-EMS-01": ("Ja", "ISO 14001-certifikat nr 12345, bilaga 2"),
                    "TRN-EURO-01": ("Euro VI", "Fordonsförteckning, bilaga 3"),
                    "GEN-SBT-01": ("ja", "Klimatplan, bilaga 5"),
                    "TRN-FUEL-03": ("80 %", "Fordonsförteckning, bilaga 3"),
                    "TRN-ZEV-01": ("20 %", "Fordonsförteckning, bilaga 3"),
                    "TRN-CVD-01": ("40 %", "Fordonsförteckning, bilaga 3"),
                    "TRN-FUEL-01": ("80 %", "Fordonsförteckning, bilaga 3")},
    },
    {
        "file": "02-gron-skolskjuts.xlsx",
        "supplier": {"name": "Grön Skolskjuts i Örnsköldsvik AB", "org_number": "559876-5432",
                     "bid_price": "49 500 000", "contact": "Erik Berg",
                     "email": "erik@gronskolskjuts.example"},
        "answers": {"GEN-EMS-01": ("JA", "EMAS-registrering SE-000123"),
                    "GEN-SBT-01": ("X", "SBTi-godkänt mål, bilaga 6"),
                    "TRN-FUEL-03": ("100 %", "Fordonsförteckning, bilaga 2"),
                    "TRN-ZEV-01": ("100 %", "Elbussar, fordonsförteckning bilaga 2"),
                    "TRN-CVD-01": ("100 %", "Fordonsförteckning, bilaga 2"),
                    "TRN-FUEL-01": ("100 %", "Fordonsförteckning, bilaga 2"),
                    "TRN-IDLE-01": "✓"},
    },
    {
        "file": "03-kustlinjens-trafik.xlsx",
        "supplier": {"name": "Kustlinjens Trafik AB", "org_number": "556555-1212",
                     "bid_price": "41 000 000 kr", "contact": "Maria Öberg",
                     "email": "maria@kustlinjen.example"},
        "answers": {"TRN-FUEL-01": ("50 %", "Fordonsförteckning, bilaga 1"),
                    "TRN-CVD-01": ("38,5 %", "Fordonsförteckning, bilaga 1"),
                    "GEN-SBT-01": "Nej", "TRN-FUEL-03": ("50 %", "bilaga 1"),
                    "TRN-ZEV-01": ("0 %", "bilaga 1")},
    },
    {
        "file": "04-bytrask-taxi.xlsx",
        "supplier": {"name": "Byträsk Taxi & Buss", "org_number": "",
                     "bid_price": "44 200 000", "contact": "Jonas Nilsson", "email": ""},
        "answers": {"GEN-EMS-01": ("Ja", ""), "TRN-CVD-01": "", "ENR-FOSS-01": "",
                    "GEN-SBT-01": "", "TRN-FUEL-03": ("70 %", "bilaga A"),
                    "TRN-ZEV-01": ""},
    },
]
LONG_SUPPLIER = {
    "file": "05-skolskjuts-mitt-export.csv",
    "supplier": {"name": "Skolskjuts Mitt AB", "bid_price": "45 000 000"},
    "answers": {"GEN-POLICY-01": ("Ja, se bilaga 4", "Bilaga 4"),
                "TRN-IDLE-01": "N/A",
                "TRN-FUEL-03": ("75 %", "Tankkort och fordonslista"),
                "TRN-ZEV-01": ("10 %", "Fordonslista")},
}


def default_answer(s: SelectedCriterion) -> tuple[str, str]:
    """A plain passing answer from the rule (for criteria a profile does not name)."""
    rule = s.answer
    evidence = "Bilaga 1" if rule.evidence_required else ""
    if rule.type == "boolean":
        return ("Ja" if s.kind != "award" else "Nej"), evidence
    if rule.type == "number":
        if s.kind == "award":
            return "0", evidence
        value = rule.min if rule.min is not None else rule.max
        unit = "" if "euro" in (rule.unit or "").casefold() else f" {rule.unit}"
        return f"{value}{unit}".replace(".", ","), evidence
    if rule.type == "choice":
        return rule.accepted_choices[0], evidence
    if rule.type == "date":
        return str(rule.not_after or rule.not_before), evidence
    return "Se bilaga 1.", evidence


def answers_for(profile: dict[str, Any], selected: list[SelectedCriterion]
                ) -> dict[str, tuple[str, str]]:
    result = {}
    for s in selected:
        given = profile["answers"].get(s.id)
        if given is None:
            result[s.id] = default_answer(s)
        elif isinstance(given, tuple):
            result[s.id] = given
        else:
            result[s.id] = (given, default_answer(s)[1] if given else "")
    return result


def main(out: Path | None = None) -> None:
    """Write the example answers into ``out`` (default: examples/answers/)."""
    spec = load_spec(HERE / "spec.yaml")
    cset, selected = resolve(spec)
    out = out or HERE / "answers"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.xlsx"
        write_template(spec, cset, selected, template)
        for profile in SUPPLIERS:
            fill_template(template, out / profile["file"], profile["supplier"],
                          answers_for(profile, selected))
            print(f"wrote {out / profile['file']}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["Leverantör", "Kriterium", "Svar", "Bevis"])
    name = LONG_SUPPLIER["supplier"]["name"]
    writer.writerow([name, "anbudspris", LONG_SUPPLIER["supplier"]["bid_price"], ""])
    for cid, (answer, evidence) in answers_for(LONG_SUPPLIER, selected).items():
        writer.writerow([name, cid, answer, evidence])
    path = out / LONG_SUPPLIER["file"]
    write_text_atomic(path, "\ufeff" + buffer.getvalue())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
