"""The app's own working folder: every upload and every download lives here, under an opaque id.

No path from the user reaches the file system: an upload is saved under a fresh random id with
its name cleaned to letters, digits and ``._-``; a download is looked up by id and name among the
files the app itself wrote. Messages from the library name files by their full path, so
:meth:`FileStore.clean` cuts the folder off before a message is shown.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from procure.errors import InputFileError
from procure.i18n import tr

_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_UNSAFE = re.compile(r"[^\w.\-åäöÅÄÖéÉüÜ ]+")


def safe_name(name: str, default: str = "fil") -> str:
    """A file name without folders or odd characters: ``../x/Svar (1).xlsx`` → ``Svar 1.xlsx``."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("", base).strip(" .")[:120]
    return base or default


class FileStore:
    """Folders named by random ids below one root, created when the app starts.

    A folder untouched for ``keep_hours`` is removed when a new one is made, so a server left
    running on an intranet does not keep every upload until it stops.
    """

    def __init__(self, root: str | Path | None = None, keep_hours: float = 24) -> None:
        self.owned = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="procure-web-")).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_hours * 3600
        self._pruned = 0.0

    def prune(self, now: float | None = None) -> int:
        """Remove job folders untouched for longer than the keeping time; returns how many."""
        now = time.time() if now is None else now
        removed = 0
        for folder in self.root.iterdir():
            try:
                newest = max([folder.stat().st_mtime, *(p.stat().st_mtime
                                                        for p in folder.rglob("*"))])
            except OSError:
                continue
            if folder.is_dir() and _ID.fullmatch(folder.name) and now - newest > self.keep_seconds:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        self._pruned = now
        return removed

    def new(self) -> str:
        """A new empty job folder; returns its id (old folders are pruned once an hour)."""
        if time.time() - self._pruned > 3600:
            self.prune()
        job = secrets.token_urlsafe(18)
        (self.root / job).mkdir()
        return job

    def folder(self, job: str) -> Path:
        """The folder of an existing job id; a clear error for an unknown or malformed id."""
        if not _ID.fullmatch(job or "") or not (self.root / job).is_dir():
            raise InputFileError(tr("this file or result is no longer here; start again",
                                    "filen eller resultatet finns inte längre; börja om"))
        return self.root / job

    def save(self, job: str, name: str, data: bytes, suffixes: tuple[str, ...]) -> Path:
        """Write an uploaded file into the job's folder under a cleaned, unique name."""
        clean = safe_name(name)
        if Path(clean).suffix.lower() not in suffixes:
            raise InputFileError(tr("{name!r} is not a {kinds} file", "{name!r} är ingen "
                                    "{kinds}-fil", name=clean, kinds="/".join(suffixes)))
        folder = self.folder(job)
        target = folder / clean
        stem, suffix, n = target.stem, target.suffix, 2
        while target.exists():
            target = folder / f"{stem}-{n}{suffix}"
            n += 1
        target.write_bytes(data)
        return target

    def file(self, job: str, name: str) -> Path:
        """A file the app wrote in a job folder, by its plain name (no folders allowed)."""
        folder = self.folder(job)
        if safe_name(name) != name:
            raise InputFileError(tr("no such file", "filen finns inte"))
        path = folder / name
        if not path.is_file():
            raise InputFileError(tr("no such file", "filen finns inte"))
        return path

    def clean(self, message: str) -> str:
        """A library message without the store's folders: ``…/ab12/svar.xlsx`` → ``svar.xlsx``."""
        return re.sub(re.escape(str(self.root)) + r"(?:[\\/][A-Za-z0-9_-]+)+[\\/]", "", message)

    def close(self) -> None:
        """Remove the folder when the app made it (``procure serve`` does; tests may not)."""
        if self.owned:
            shutil.rmtree(self.root, ignore_errors=True)
