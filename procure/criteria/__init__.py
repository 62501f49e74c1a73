"""Criteria sets: load, validate, select by level."""

from procure.criteria.load import builtin_path, load_criteria_set, validate_path
from procure.criteria.select import at_level, select

__all__ = ["at_level", "builtin_path", "load_criteria_set", "select", "validate_path"]
