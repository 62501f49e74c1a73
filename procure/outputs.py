"""Writing output files safely: atomically, and never over one of the command's inputs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from procure.errors import OutputFileError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def check_not_input(output: str | Path, inputs: Iterable[str | Path]) -> Path:
    """Refuse an output path that is one of the inputs (nothing a user gave us is overwritten)."""
    out = Path(output)
    resolved = out.resolve()
    for source in inputs:
        if Path(source).exists() and Path(source).resolve() == resolved:
            raise OutputFileError(
                "output would overwrite an input file", file=out,
                hint="choose another output name",
            )
    if out.exists() and out.is_dir():
        raise OutputFileError("output is a folder; expected a file name", file=out)
    return out


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def atomic_path(output: str | Path):
    """Yield a temporary path beside ``output``; on success it replaces ``output`` in one step."""
    out = Path(output)
    parent = out.parent if str(out.parent) else Path()
    if not parent.exists():
        raise OutputFileError("the output folder does not exist", file=out,
                              hint=f"create {parent} first")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield tmp
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(output: str | Path, writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp_path)`` then move the result into place."""
    try:
        with atomic_path(output) as tmp:
            writer(tmp)
    except PermissionError as exc:
        raise OutputFileError(f"cannot write: {exc.strerror}", file=output) from None
    return Path(output)


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


def open_text(path: Path, mode: str = "w") -> IO[str]:
    return open(path, mode, encoding="utf-8", newline="")
