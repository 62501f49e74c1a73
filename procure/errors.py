"""One exception tree for everything a user can get wrong.

Every error names where the problem is (file, row or field), what was found and, where we can
tell, what was expected or how to fix it. The CLI prints ``Fel: <str(error)>`` (``Error:`` in
English) and exits 1; no traceback reaches a user for bad input. Messages and hints may be
:class:`procure.i18n.Msg` objects, rendered in the user's language when printed.
"""

from __future__ import annotations

from pathlib import Path

from procure.i18n import Msg


class ProcureError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""

    def __init__(
        self,
        message: str | Msg,
        *,
        file: str | Path | None = None,
        location: str | Msg | None = None,
        hint: str | Msg | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        where = ": ".join(str(part) for part in (self.file, self.location) if part)
        text = f"{where}: {self.message}" if where else str(self.message)
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputFileError(ProcureError):
    """A file that does not exist, cannot be read, is empty or has the wrong format."""


class OutputFileError(ProcureError):
    """An output that cannot be written, or that would overwrite an input."""


class CriteriaSetError(ProcureError):
    """A criteria set that failed validation; ``report`` holds every finding."""

    def __init__(self, message: str | Msg, *, report: object, file: str | Path | None = None
                 ) -> None:
        super().__init__(message, file=file)
        self.report = report


class UnknownCategoryError(ProcureError, KeyError):
    """A category id that is not in the criteria set."""

    def __str__(self) -> str:
        return ProcureError.__str__(self)


class UnknownCriterionError(ProcureError, KeyError):
    """A criterion id that is not in the criteria set."""

    def __str__(self) -> str:
        return ProcureError.__str__(self)


class UnknownLevelError(ProcureError, ValueError):
    """A level name other than bas, avancerad, spjutspets."""


class ParamError(ProcureError, ValueError):
    """A param override that does not fit its criterion: an unknown name, or text for a number."""


class ColumnError(ProcureError, KeyError):
    """A column the command needs is missing from a table."""

    def __str__(self) -> str:
        return ProcureError.__str__(self)


class SpecError(ProcureError):
    """A procurement spec that is malformed or inconsistent with its criteria set."""


class AnswerError(ProcureError):
    """Supplier answers that cannot be read at all (single bad cells are findings instead)."""


class ProcureWarning(UserWarning):
    """A non-fatal problem the user should know about (e.g. a malformed CPV code ignored)."""


class UnsafeSetError(InputFileError):
    """A shared criteria set that breaks a safety rule (too large, a link out of its folder,
    a format newer than this procure reads). Shared sets are untrusted input."""


class SetConflictError(ProcureError):
    """Two sets that cannot both be true: the same name@version with different content, or a
    merge whose criteria collide without an explicit choice. ``report`` lists every conflict."""

    def __init__(self, message: str | Msg, *, report: object = None,
                 file: str | Path | None = None, hint: str | Msg | None = None) -> None:
        super().__init__(message, file=file, hint=hint)
        self.report = report
