"""Writing output files safely: atomically, and never over one of the command's inputs."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from procure.errors import OutputFileError
from procure.i18n import Msg, tr

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def check_not_input(output: str | Path, inputs: Iterable[str | Path]) -> Path:
    """Refuse an output nothing can be written to, before any work is done.

    The output must not be one of the inputs (nothing a user gave us is overwritten), not a
    folder, and its folder must exist — so a command fails at once instead of after writing
    half of its files.
    """
    out = Path(output)
    resolved = out.resolve()
    for source in inputs:
        if Path(source).exists() and Path(source).resolve() == resolved:
            raise OutputFileError(
                tr("output would overwrite an input file",
                   "utfilen skulle skriva över en av indatafilerna"), file=out,
                hint=tr("choose another output name", "välj ett annat namn på utfilen"),
            )
    if out.exists() and out.is_dir():
        raise OutputFileError(tr("output is a folder; expected a file name",
                                 "utfilen är en mapp; ange ett filnamn"), file=out)
    _output_folder(out)
    return out


def refuse_existing(outputs: Iterable[str | Path | None], force: bool = False) -> None:
    """Refuse to replace a file that exists, unless ``force``; ``None`` outputs are skipped.

    A command that writes several files checks all of them with one call before it writes the
    first, so a refusal leaves nothing half done (a filled supplier answer is never lost).
    """
    if force:
        return
    for output in outputs:
        if output is not None and Path(output).is_file():
            raise OutputFileError(tr("exists already; it was not replaced",
                                     "finns redan; den har inte ersatts"), file=output,
                                  hint=tr("choose another name or add --force",
                                          "välj ett annat namn eller lägg till --force"))


def _output_folder(out: Path) -> Path:
    parent = out.parent if str(out.parent) else Path()
    if not parent.exists():
        raise OutputFileError(tr("the output folder does not exist",
                                 "mappen för utfilen finns inte"),
                              file=out, hint=tr("create {parent} first", "skapa {parent} först",
                                                parent=parent))
    if not parent.is_dir():
        raise OutputFileError(tr("cannot write: {parent} is a file, not a folder",
                                 "kan inte skriva: {parent} är en fil, inte en mapp",
                                 parent=parent), file=out,
                              hint=tr("give a path in an existing folder",
                                      "ange en sökväg i en befintlig mapp"))
    return parent


def ensure_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) for outputs, or raise one clear error."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputFileError(tr("is a file; expected a folder to write into",
                                 "är en fil; ska vara en mapp att skriva i"), file=path,
                              hint=tr("give a new or existing folder name",
                                      "ange namnet på en ny eller befintlig mapp"))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a parent is a file, no permission, read-only disk
        raise OutputFileError(tr("cannot create the folder: {error}",
                                 "kan inte skapa mappen: {error}", error=exc.strerror or exc),
                              file=path) from None
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def atomic_path(output: str | Path):
    """Yield a temporary path beside ``output``; on success it replaces ``output`` in one step."""
    out = Path(output)
    parent = _output_folder(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputFileError(_cannot_write(exc), file=out) from None
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield tmp
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# errors of the disk rather than of a file: whatever the writer was doing, it could not write
_DISK_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EFBIG")
                          if hasattr(errno, name))


def write_atomic(output: str | Path, writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp_path)`` then move the result into place.

    An OS error about the output (its temporary file, the disk being full or read-only, a
    missing permission) becomes :class:`OutputFileError`; one about another file (an input the
    writer reads as it goes) is not disguised as a write error.
    """
    out = Path(output)
    tmp: Path | None = None
    try:
        with atomic_path(out) as tmp:
            writer(tmp)
    except OSError as exc:
        if not _about_output(exc, out, tmp):
            raise
        raise OutputFileError(_cannot_write(exc), file=output) from None
    return out


def _cannot_write(exc: OSError) -> Msg:
    return tr("cannot write: {error}", "kan inte skriva: {error}", error=exc.strerror or exc)


def _about_output(exc: OSError, out: Path, tmp: Path | None) -> bool:
    if exc.filename is not None:
        name = Path(os.fsdecode(exc.filename)).resolve()
        return name in {out.resolve(), *((tmp.resolve(),) if tmp else ())}
    return isinstance(exc, PermissionError) or exc.errno in _DISK_ERRNOS


def write_text_atomic(output: str | Path, text: str, encoding: str = "utf-8") -> Path:
    def _write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as handle:
            handle.write(text)

    return write_atomic(output, _write)


def neutralise(value: Any) -> Any:
    """Defuse spreadsheet formula injection: text starting with = + - @ gets a leading quote.

    Negative numbers stored as numbers are left alone; only strings are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
