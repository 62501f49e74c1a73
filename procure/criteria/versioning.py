"""``validate --previous``: is a new release's version raised as much as its changes need?"""

from __future__ import annotations

from pathlib import Path

from procure.criteria.diff import check_bump, diff_sets
from procure.criteria.document import read_document
from procure.criteria.install import locate
from procure.findings import Report


def check_against_previous(previous: str | Path, path: str | Path) -> Report:
    """Findings (code ``version-bump``) when ``path``'s version is too small a step from
    ``previous`` (a folder, file or installed ``name@version``) for what changed."""
    old, new = read_document(locate(previous)), read_document(path)
    return check_bump(diff_sets(old, new), old.version, new.version, source=str(path))
