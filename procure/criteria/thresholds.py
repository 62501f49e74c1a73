"""Every threshold of a set with the source that says it: the reviewer's one table.

One row per live criterion × level × numeric param, plus one row per buyer parameter (it has
no level value: the buyer sets it; the row shows the suggested value and its source). The
``status`` says how far to trust the number: ``sourced`` (a source with locator), ``buyer``,
``confirm`` (a v1 set's "no source gives it") or ``unsourced``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procure.model import LEVELS, CriteriaSet, Criterion, Parameter, Source

STATUSES = ("sourced", "buyer", "confirm", "unsourced")


@dataclass(frozen=True)
class Threshold:
    """One number in a criteria set and where it comes from."""

    criterion_id: str
    version: int
    level: str | None  # None for a buyer parameter: it is the same at every level
    param: str
    value: Any  # None for a buyer parameter
    unit: str | None
    status: str
    suggested: Any = None
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        source = self.source
        return {
            "criterion": self.criterion_id, "version": self.version, "level": self.level,
            "parameter": self.param, "value": self.value, "unit": self.unit,
            "status": self.status, "suggested": self.suggested,
            "source": source.title if source else None,
            "locator": source.locator if source else None,
            "checked": source.checked if source else None,
            "url": source.url if source else None,
        }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _status(param: Parameter | None) -> str:
    if param is None:
        return "unsourced"
    if param.buyer:
        return "buyer"
    if param.source is not None and not param.confirm:
        return "sourced"
    return "confirm" if param.confirm else "unsourced"


def criterion_thresholds(criterion: Criterion) -> list[Threshold]:
    """The thresholds of one criterion, levels in order, then its buyer parameters."""
    rows = []
    for level in LEVELS:
        variant = criterion.levels.get(level)
        if variant is None:
            continue
        for name, value in variant.params.items():
            if not _is_number(value):
                continue
            param = criterion.parameters.get(name)
            rows.append(Threshold(
                criterion.id, criterion.version, level, name, value,
                param.unit if param else None, _status(param),
                source=param.source if param else None))
    for name, param in criterion.parameters.items():
        if param.buyer:
            rows.append(Threshold(criterion.id, criterion.version, None, name, None, param.unit,
                                  "buyer", suggested=param.suggested, source=param.source))
    return rows


def thresholds(criteria_set: CriteriaSet, category: str | None = None) -> list[Threshold]:
    """Every threshold of the live criteria (of ``category`` and its parents, if given)."""
    criteria = (criteria_set.criteria_for(category) if category
                else criteria_set.criteria.values())
    return [row for criterion in sorted(criteria, key=lambda c: c.id)
            for row in criterion_thresholds(criterion)]
