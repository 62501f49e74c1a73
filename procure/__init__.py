"""procure — climate requirements for Swedish public procurement.

The library behind the ``procure`` command: load and validate criteria sets, select criteria
for a purchase at a level, match purchases to categories, check supplier answers, write reports.
"""

from procure.criteria import builtin_path, load_criteria_set, select, validate_path
from procure.errors import ProcureError, ProcureWarning
from procure.model import Category, CriteriaSet, Criterion, SelectedCriterion

__version__ = "0.1.0"

__all__ = [
    "Category",
    "CriteriaSet",
    "Criterion",
    "ProcureError",
    "ProcureWarning",
    "SelectedCriterion",
    "__version__",
    "builtin_path",
    "load_criteria_set",
    "select",
    "validate_path",
]
