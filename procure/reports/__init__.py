"""PDF reports: the tender annex and the evaluation record, on one shared foundation.

``fonts`` registers the DejaVu Sans family shipped in ``fonts/``; ``styles`` holds the look and
``para()``, the one door through which text enters Paragraph markup; ``layout`` holds the page
template (header, "Sida N av M" footer) and the atomic, deterministic build. ``annex`` and
``evaluation`` turn a spec (and an evaluation) into a story of flowables.

The builders are imported lazily so that ``import procure.reports.fonts`` (or the CLI starting
up) does not pay for pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvaluationTables", "build_annex_pdf", "build_evaluation_pdf"]


def __getattr__(name: str) -> Any:
    if name == "build_annex_pdf":
        from procure.reports.annex import build_annex_pdf

        return build_annex_pdf
    if name in ("build_evaluation_pdf", "EvaluationTables"):
        from procure.reports import evaluation

        return getattr(evaluation, name)
    raise AttributeError(f"module 'procure.reports' has no attribute {name!r}")
