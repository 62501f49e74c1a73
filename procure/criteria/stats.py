"""Coverage of a criteria set: criteria per top-level area, kind and level."""

from __future__ import annotations

from typing import Any

from procure.model import KINDS, LEVELS, CriteriaSet


def coverage(cset: CriteriaSet) -> dict[str, Any]:
    """Counts per area (a criterion shared by areas counts in each) and for the whole set."""
    areas = sorted({c.area for c in cset.categories.values()})

    def empty() -> dict[str, Any]:
        return {"categories": 0, "criteria": 0, "kinds": dict.fromkeys(KINDS, 0),
                "levels": dict.fromkeys(LEVELS, 0)}

    result = {a: empty() for a in areas}
    for cat in cset.categories.values():
        result[cat.area]["categories"] += 1
    for crit in cset.criteria.values():
        touched = {cset.categories[c].area for c in crit.categories if c in cset.categories}
        for area in touched:
            row = result[area]
            row["criteria"] += 1
            row["kinds"][crit.kind] += 1
            for level in crit.levels:
                row["levels"][level] += 1
    total = empty()
    total["categories"] = len(cset.categories)
    total["criteria"] = len(cset.criteria)
    for crit in cset.criteria.values():
        total["kinds"][crit.kind] += 1
        for level in crit.levels:
            total["levels"][level] += 1
    return {"set": cset.ref, "areas": result, "total": total}
