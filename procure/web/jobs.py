"""Running a piece of library work for one request: its language, its warnings, its errors.

The library keeps the message language and the warning filters in process-wide state (the CLI
runs one command per process). A web server runs many requests at once, so each piece of work
holds one lock while it sets the request's language and records its warnings: messages come out
in the asker's language and no warning is lost or shown to the wrong person. The checks are
CPU-bound Python, so the lock costs little that the interpreter lock does not already take.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from procure.errors import ProcureError, ProcureWarning
from procure.i18n import set_lang

T = TypeVar("T")
_LOCK = threading.Lock()


class WebError(Exception):
    """A one-line message for the person at the browser (already in their language)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Outcome(Generic[T]):
    """What the work returned and the warnings it raised, as lines to show."""

    value: T
    warnings: list[str] = field(default_factory=list)


def run(work: Callable[[], T], lang: str, clean: Callable[[str], str] = str) -> Outcome[T]:
    """Run ``work`` in ``lang``; a library error becomes a :class:`WebError` with one line.

    ``clean`` strips the app's own folders from messages so a user sees ``svar.xlsx``.
    """
    with _LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProcureWarning)
        set_lang(lang)
        try:
            value = work()
            notes = [clean(str(w.message)) for w in caught
                     if issubclass(w.category, ProcureWarning)]
        except ProcureError as exc:
            raise WebError(clean(str(exc))) from None
        finally:
            set_lang(None)
    return Outcome(value, notes)
