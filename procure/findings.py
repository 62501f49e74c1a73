"""Findings are data: a stable code, a message and a location — not log lines.

Validation of criteria sets (and other checks) return a :class:`Report` whose ``valid`` decides
the exit code and whose ``to_dict()`` is what ``--format json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procure.i18n import Msg, tr


@dataclass(frozen=True)
class Finding:
    """One problem found in an input, located as precisely as the input allows."""

    code: str
    message: str | Msg
    file: str | None = None
    path: str | None = None
    line: int | None = None
    severity: str = "error"

    @property
    def location(self) -> str:
        """``file:line: path`` with whatever parts are known."""
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else str(tr("line {n}", "rad {n}",
                                                                 n=self.line))
        if self.path:
            where = f"{where}: {self.path}" if where else self.path
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else str(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": str(self.message),
            "file": self.file,
            "path": self.path,
            "line": self.line,
        }


@dataclass
class Report:
    """The outcome of a check: every finding, collected rather than stopping at the first."""

    source: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, code: str, message: str | Msg, **where: Any) -> None:
        self.findings.append(Finding(code, message, **where))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }
