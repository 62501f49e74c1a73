"""procure — climate requirements for Swedish public procurement.

The library behind the ``procure`` command: load and validate criteria sets, select criteria
for a purchase at a level, match purchases to categories, write the answer template, check
supplier answers, write reports. Heavy modules (pandas, reportlab) load on first use, so
``import procure`` stays quick.
"""

from __future__ import annotations

from typing import Any

from procure.criteria import builtin_path, load_criteria_set, select, validate_path
from procure.errors import ProcureError, ProcureWarning
from procure.model import Category, CriteriaSet, Criterion, SelectedCriterion

__version__ = "0.1.0"

_LAZY = {
    # procure.tender.spec reads numbers with pandas: loaded on first use, like the rest here
    "ProcurementSpec": "procure.tender.spec",
    "load_spec": "procure.tender.spec",
    "resolve": "procure.tender.spec",
    "save_spec": "procure.tender.spec",
    "Matcher": "procure.matching",
    "match_frame": "procure.matching",
    "match_file": "procure.matching",
    "read_answers": "procure.answers.read",
    "evaluate": "procure.answers.evaluation",
    "check_answers": "procure.answers.evaluation",
    "write_evaluation": "procure.answers.evaluation",
    "write_template": "procure.tender.template",
    "build_annex_pdf": "procure.reports",
    "build_evaluation_pdf": "procure.reports",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'procure' has no attribute {name!r}")


__all__ = [
    "Category",
    "CriteriaSet",
    "Criterion",
    "ProcureError",
    "ProcureWarning",
    "ProcurementSpec",
    "SelectedCriterion",
    "__version__",
    "builtin_path",
    "load_criteria_set",
    "load_spec",
    "resolve",
    "save_spec",
    "select",
    "validate_path",
    *_LAZY,
]
