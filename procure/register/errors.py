"""The register's errors (all :class:`procure.errors.ProcureError`, shown as one line)."""

from __future__ import annotations

from procure.errors import InputFileError, ProcureError


class RegisterError(ProcureError):
    """A register that cannot be opened, is not procure's, or is from another version."""


class DuplicateReferenceError(ProcureError):
    """A procurement reference the register already holds (never silently doubled)."""


class NotFoundError(ProcureError, KeyError):
    """A reference or criterion the register does not hold."""

    def __str__(self) -> str:
        return ProcureError.__str__(self)


class ImportRowError(ProcureError, ValueError):
    """A row of an import file that cannot be stored; nothing from the file was written."""


class AlreadyImportedError(InputFileError):
    """A ledger file whose lines the register already holds for that year (replacing them is a
    choice the person makes: ``--replace`` on the command line, a checkbox in the browser)."""


class DeviationError(ProcureError, ValueError):
    """A deviation or its closing that cannot be followed up as given (nothing was written)."""
