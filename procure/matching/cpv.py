"""CPV codes: reading what users write, and the prefix rule categories use.

A category's code with trailing zeros is a prefix: "60130000" covers every code starting
"6013". Users write codes with or without the check digit ("34110000-1") and with stray spaces;
anything that is not eight digits after that is reported with a :class:`ProcureWarning` and the
text is matched alone.
"""

from __future__ import annotations

import re
import warnings

from procure.errors import ProcureWarning
from procure.i18n import tr

_CPV_RE = re.compile(r"^(\d{8})(?:-\d)?$")


def prefix_of(code: str) -> str:
    """The prefix a category code stands for ("60130000" → "6013"; at least the division)."""
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


def clean_cpv(value: str | None) -> str | None:
    """The 8-digit code in ``value``, or ``None`` when it is empty or malformed."""
    if value is None:
        return None
    text = str(value).strip().replace(" ", "")
    if not text:
        return None
    found = _CPV_RE.match(text)
    return found.group(1) if found else None


def parse_cpv(value: str | None, *, where: str = "") -> str | None:
    """Like :func:`clean_cpv`, but warns (ProcureWarning) about a malformed, non-empty code."""
    code = clean_cpv(value)
    if code is None and value is not None and str(value).strip():
        place = f" ({where})" if where else ""
        warnings.warn(
            str(tr("CPV code {code!r}{place} is not 8 digits (e.g. 60130000 or 60130000-8); it "
                   "was ignored and the text matched alone",
                   "CPV-koden {code!r}{place} har inte 8 siffror (t.ex. 60130000 eller "
                   "60130000-8); den ignorerades och texten matchades ensam",
                   code=str(value).strip(), place=place)),
            ProcureWarning, stacklevel=3,
        )
    return code
