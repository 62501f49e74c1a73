"""The outcome of a check as data: the verdict and status vocabularies, and the record.

:func:`procure.answers.evaluation.evaluate` makes an :class:`Evaluation`; :mod:`procure.answers.results` writes
one to files. Keeping the record apart lets the writer import it while ``procure.answers.evaluation``
still offers the writer as ``write_evaluation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from procure.findings import Report
from procure.tender.spec import ProcurementSpec

VERDICTS = ("met", "not_met", "missing", "invalid", "review")
# a supplier that fails a qualification requirement is not qualified (leverantörsprövning); a
# tender that fails a technical specification or a contract clause is rejected (förkastat)
STATUSES = ("qualified", "not_qualified", "rejected", "pending_review")
VERDICT_COLUMNS = ["supplier", "criterion_id", "kind", "verdict", "answer", "reason",
                   "reason_code", "evidence", "comment", "deduction_sek", "points", "title",
                   "source", "location"]
SUPPLIER_COLUMNS = ["supplier", "status", "reason", "bid_price", "deductions",
                    "comparison_price", "points", "rank", *VERDICTS, "counts", "org_number",
                    "remarks", "source"]

VERDICT_LABELS = {
    "met": {"sv": "uppfyllt", "en": "met"},
    "not_met": {"sv": "ej uppfyllt", "en": "not met"},
    "missing": {"sv": "svar saknas", "en": "missing"},
    "invalid": {"sv": "ogiltigt svar", "en": "invalid"},
    "review": {"sv": "granskas", "en": "review"},
}
STATUS_LABELS = {
    "qualified": {"sv": "kvalificerad", "en": "qualified"},
    "not_qualified": {"sv": "ej kvalificerad", "en": "not qualified"},
    "rejected": {"sv": "förkastat", "en": "rejected"},
    "pending_review": {"sv": "granskas", "en": "pending review"},
}

# (verdict, reason) per reason code; {answer} is the supplier's text, verbatim


@dataclass
class Evaluation:
    """The outcome of a check: ``verdicts`` (supplier × criterion) and ``suppliers``."""

    verdicts: pd.DataFrame
    suppliers: pd.DataFrame
    findings: Report
    spec: ProcurementSpec
    criteria_set: str
    fingerprint: str
    lang: str = "sv"
    sources: list[str] = field(default_factory=list)

    def counts(self, supplier: str) -> dict[str, int]:
        row = self.suppliers[self.suppliers["supplier"] == supplier].iloc[0]
        return {v: int(row[v]) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: procurement, suppliers (ranked), verdicts, findings."""
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            clean = frame.astype(object).where(frame.notna(), None)
            return clean.to_dict(orient="records")

        status = self.suppliers["status"].value_counts()
        return {
            "procurement": {"reference": self.spec.reference, "title": self.spec.title,
                            "category": self.spec.category, "level": self.spec.level,
                            "award_method": self.spec.award_method},
            "criteria_set": self.criteria_set,
            "fingerprint": self.fingerprint,
            "summary": {"suppliers": len(self.suppliers),
                        **{s: int(status.get(s, 0)) for s in STATUSES}},
            "suppliers": records(self.suppliers.drop(columns=["counts"]).assign(
                counts=list(self.suppliers["counts"]))),
            "verdicts": records(self.verdicts),
            "findings": [f.to_dict() for f in self.findings.findings],
            "sources": self.sources,
        }
