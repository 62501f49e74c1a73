"""A shared criteria set is untrusted input: the checks made before anything is read from it.

Sets travel between municipalities by e-mail and file shares, so a set may be broken or made to
hurt. What is checked here, before the YAML parser sees a byte:

* size: a set is text; more than :data:`MAX_SET_BYTES` (or :data:`MAX_FILES` files) is refused;
* links: no file or folder of the set may be a link that leads out of the set's folder;
* format: a set written for a newer format (``$schema: procure/criteria-set/v9``) is refused
  with "upgrade procure" rather than half understood.

Parsing itself is safe already (:mod:`procure.io.yamlio` builds plain values only, bounds alias
expansion and nesting). What a set's text may do once read — markup in a PDF, a formula in a
spreadsheet — is defused where it is written (``para()`` escapes, ``neutralise()`` quotes);
:func:`scan_text` only warns the person installing the set that such text is there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from procure.criteria.load import FORMATS, format_of
from procure.errors import UnsafeSetError
from procure.findings import Report
from procure.i18n import tr
from procure.io.outputs import FORMULA_PREFIXES

MAX_SET_BYTES = 32 << 20  # the built-in library is 0.7 MB; 32 MB is no set anyone writes by hand
MAX_FILES = 1000
SET_SUFFIXES = (".yaml", ".yml")
SUPPORTED_FORMAT = FORMATS[-1]
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&[A-Za-z#][A-Za-z0-9]*;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def check_tree(path: str | Path) -> int:
    """Refuse a set folder (or file) that is too big or has links leading out of it.

    Returns the number of bytes of YAML the set holds. A link that stays inside the set's folder
    is allowed (some people keep ``criteria/superseded`` as a link); one that climbs out is not,
    whatever it points at.
    """
    path = Path(path)
    if path.is_file():
        size = path.stat().st_size
        _check_size(size, 1, path)
        return size
    root = path.resolve()
    total, files = 0, 0
    for folder, dirs, names in os.walk(path, followlinks=False):
        for name in [*dirs, *names]:
            entry = Path(folder) / name
            if entry.is_symlink() and not _inside(entry, root):
                raise UnsafeSetError(
                    tr("is a link that leads out of the set's folder (to {target})",
                       "är en länk som leder ut ur uppsättningens mapp (till {target})",
                       target=entry.readlink()), file=entry,
                    hint=tr("copy the file into the set instead of linking to it",
                            "kopiera in filen i uppsättningen i stället för att länka till den"))
        for name in names:
            entry = Path(folder) / name
            if entry.suffix.lower() in SET_SUFFIXES and entry.is_file():
                total += entry.stat().st_size
                files += 1
        _check_size(total, files, path)
    return total


def _check_size(size: int, files: int, path: Path) -> None:
    if size > MAX_SET_BYTES or files > MAX_FILES:
        raise UnsafeSetError(
            tr("is too large for a criteria set ({mb:.1f} MB in {files} files; the limit is "
               "{limit} MB and {max_files} files)",
               "är för stor för en kriterieuppsättning ({mb:.1f} MB i {files} filer; gränsen är "
               "{limit} MB och {max_files} filer)", mb=size / (1 << 20), files=files,
               limit=MAX_SET_BYTES >> 20, max_files=MAX_FILES), file=path)


def check_format(header: dict[str, Any], file: str | Path | None = None) -> None:
    """Refuse a set in a format newer than this procure reads (it would be half understood).

    The loader reports the same as a finding; a shared set is stopped here first, before any
    of its other files is read.
    """
    number = format_of(header.get("$schema"))
    if number is not None and number > SUPPORTED_FORMAT:
        raise UnsafeSetError(
            tr("the set is written in format v{found} ({schema}); this procure reads formats up "
               "to v{supported}",
               "uppsättningen är skriven i format v{found} ({schema}); den här versionen av "
               "procure läser format till och med v{supported}", found=number,
               schema=header.get("$schema"), supported=SUPPORTED_FORMAT),
            file=file, hint=tr("upgrade procure (pip install -U procure)",
                               "uppgradera procure (pip install -U procure)"))


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def scan_text(data: dict[str, Any], report: Report) -> None:
    """Warn about text that would be markup in a PDF or a formula in a spreadsheet.

    Warnings, not errors: the writers defuse such text, and a real requirement may well say
    "<= 50 g" or start with "-". The person installing a set should still know it is there.
    """
    for path, text in _strings(data):
        if _CONTROL.search(text):
            report.add("control-character", tr(
                "text holds control characters; they are left out of documents",
                "texten innehåller styrtecken; de tas bort i dokumenten"),
                file=report.source, path=path, severity="warning")
        if _MARKUP.search(text):
            report.add("markup-in-text", tr(
                "text looks like markup ({found!r}); it is printed as plain text, never "
                "interpreted", "texten ser ut som märkkod ({found!r}); den skrivs ut som vanlig "
                "text och tolkas aldrig", found=_MARKUP.search(text).group(0)),
                file=report.source, path=path, severity="warning")
        if text.startswith(FORMULA_PREFIXES[:4]) and not text[1:2].isdigit():
            report.add("formula-in-text", tr(
                "text starts with {char!r} like a spreadsheet formula; spreadsheets get it as "
                "text", "texten börjar med {char!r} som en kalkylbladsformel; i kalkylblad skrivs "
                "den som text", char=text[0]), file=report.source, path=path, severity="warning")
