"""The procurement spec: one YAML file describing one procurement and its chosen criteria.

The spec pins the criteria set by ``name@version`` and records the buyer's choices (criteria
added or removed, params overridden), so the annex, the answer template and the check all see
exactly the same criteria — and a template made for another spec can be recognised by its
fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procure.criteria import load_criteria_set, select
from procure.errors import ProcureError, SpecError
from procure.model import LEVELS, CriteriaSet, SelectedCriterion
from procure.outputs import write_text_atomic
from procure.yamlio import load_yaml

AWARD_METHODS = ("price_deduction", "points", "lowest_price")


@dataclass
class ProcurementSpec:
    """One procurement: who buys what, at which level, with which criteria."""

    title: str
    category: str
    level: str
    reference: str = ""
    organisation: str = ""
    criteria_set: str = ""
    estimated_value_sek: float | None = None
    contract_start: str | None = None
    contract_end: str | None = None
    award_method: str = "price_deduction"
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    set_path: str | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "reference": self.reference,
            "title": self.title,
            "organisation": self.organisation,
            "category": self.category,
            "level": self.level,
            "criteria_set": self.criteria_set,
            "estimated_value_sek": self.estimated_value_sek,
            "contract_period": {"start": self.contract_start, "end": self.contract_end},
            "award_method": self.award_method,
            "criteria": {"add": list(self.add), "remove": list(self.remove),
                         "params": {k: dict(v) for k, v in self.params.items()}},
        }
        if self.set_path:
            data["criteria_set_path"] = self.set_path
        return data

    def fingerprint(self, selected: list[SelectedCriterion]) -> str:
        """A short hash of what suppliers answer to: set, level and each criterion's rule."""
        payload = {
            "set": self.criteria_set, "category": self.category, "level": self.level,
            "criteria": [[s.id, s.level, sorted((k, str(v)) for k, v in s.params.items())]
                         for s in selected],
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]


def _str(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def load_spec(path: str | Path) -> ProcurementSpec:
    """Read and check a spec file; every problem names the file and the field."""
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise SpecError("expected a mapping with title, category, level", file=path)

    def need(key: str) -> Any:
        if data.get(key) in (None, ""):
            raise SpecError(f"field {key!r} is missing", file=path,
                            location=f"line {lines.get('', 1)}",
                            hint="see examples/spec.yaml")
        return data[key]

    level = str(need("level"))
    if level not in LEVELS:
        raise SpecError(f"level {level!r} is not one of {', '.join(LEVELS)}", file=path,
                        location=f"line {lines.get('level', 1)}")
    crit = data.get("criteria") or {}
    if not isinstance(crit, dict):
        raise SpecError("field 'criteria' must be a mapping with add/remove/params", file=path,
                        location=f"line {lines.get('criteria', 1)}")
    period = data.get("contract_period") or {}
    value = data.get("estimated_value_sek")
    if value is not None and not isinstance(value, int | float):
        raise SpecError(f"estimated_value_sek {value!r} is not a number", file=path,
                        location=f"line {lines.get('estimated_value_sek', 1)}",
                        hint="write digits without spaces, e.g. 48000000")
    award_method = str(data.get("award_method") or "price_deduction")
    if award_method not in AWARD_METHODS:
        raise SpecError(f"award_method {award_method!r} is not one of {', '.join(AWARD_METHODS)}",
                        file=path, location=f"line {lines.get('award_method', 1)}")
    set_path = data.get("criteria_set_path")
    if set_path and not Path(set_path).is_absolute():
        set_path = str((path.parent / set_path).resolve())
    return ProcurementSpec(
        title=str(need("title")),
        category=str(need("category")),
        level=level,
        reference=_str(data.get("reference")),
        organisation=_str(data.get("organisation")),
        criteria_set=_str(data.get("criteria_set")),
        estimated_value_sek=value,
        contract_start=_str(period.get("start")) or None,
        contract_end=_str(period.get("end")) or None,
        award_method=award_method,
        add=[str(x) for x in crit.get("add") or []],
        remove=[str(x) for x in crit.get("remove") or []],
        params={str(k): dict(v) for k, v in (crit.get("params") or {}).items()},
        set_path=set_path,
        path=str(path),
    )


def resolve(spec: ProcurementSpec, criteria_set: CriteriaSet | None = None
            ) -> tuple[CriteriaSet, list[SelectedCriterion]]:
    """Load the spec's criteria set (checking name@version) and select its criteria."""
    cset = criteria_set or load_criteria_set(spec.set_path)
    if spec.criteria_set and spec.criteria_set != cset.ref:
        name = spec.criteria_set.split("@", 1)[0]
        if name != cset.name:
            raise SpecError(
                f"spec uses criteria set {spec.criteria_set!r} but {cset.ref!r} is loaded",
                file=spec.path, hint="give the right set with criteria_set_path",
            )
    try:
        selected = select(cset, spec.category, spec.level, overrides=spec.params,
                          add=spec.add, remove=spec.remove)
    except ProcureError as exc:
        exc.file = exc.file or spec.path
        raise
    return cset, selected


def save_spec(spec: ProcurementSpec, output: str | Path) -> Path:
    text = yaml.safe_dump(spec.to_dict(), allow_unicode=True, sort_keys=False)
    return write_text_atomic(output, text)
