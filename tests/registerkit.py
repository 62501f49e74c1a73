"""Helpers the register's tests share: the example procurement registered with its winner."""

from __future__ import annotations

from pathlib import Path

from procure.register import db, store
from procure.register.awarded import Award
from procure.tender.spec import load_spec, resolve

from .conftest import EXAMPLES

REFERENCE = "KS 2026/0412"
WINNER = "Grön Skolskjuts i Örnsköldsvik AB"


def example_award() -> Award:
    """The winner's deductions as the demo's results workbook has them (award criteria)."""
    return Award(supplier=WINNER, org_number="559876-5432",
                 deductions={"GEN-SBT-01": 990000.0, "TRN-FUEL-03": 2970000.0,
                             "TRN-ZEV-01": 4950000.0, "TRN-QUAL-01": None})


def register_example(url: str, *, award: Award | None = None, tier: int | None = None,
                     spec_path: Path | None = None) -> tuple[db.Register, store.Registered]:
    reg, _, _ = db.init(url)
    spec = load_spec(spec_path or EXAMPLES / "spec.yaml")
    cset, selected = resolve(spec)
    done = store.register_spec(reg, spec, cset, selected, who="tester",
                               award=award or example_award(), tier=tier)
    return reg, done
