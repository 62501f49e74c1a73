"""Shared fixtures: the small test set, the example spec, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from procure.criteria import load_criteria_set
from procure.model import CriteriaSet

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
MINI_SET = FIXTURES / "mini-set.yaml"


@pytest.fixture(scope="session")
def mini_set() -> CriteriaSet:
    return load_criteria_set(MINI_SET)


@pytest.fixture(scope="session")
def library() -> CriteriaSet:
    """The built-in library (loaded once per test session)."""
    return load_criteria_set()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
