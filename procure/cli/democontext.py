"""What the demo's steps share: the output folder, the examples and the state one step leaves
for the next. It sits below ``demo`` and the command modules that contribute steps, so they
import it and not each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from procure.errors import ProcureError
from procure.i18n import tr
from procure.model import CriteriaSet


def examples_path() -> Path:
    """``examples/`` beside the package (checkout) or inside it (wheel)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_examples", here.parent / "examples"):
        if (candidate / "spec.yaml").exists():
            return candidate
    raise ProcureError(tr("the examples folder was not found; reinstall procure",
                          "mappen med exempel finns inte; installera om procure"))


@dataclass
class DemoContext:
    outdir: Path
    examples: Path
    criteria_set: CriteriaSet
    lang: str = "sv"
    state: dict[str, Any] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    def wrote(self, path: Path, what: str) -> None:
        self.written.append(path)
        click.echo(f"  → {what}: {path}")
