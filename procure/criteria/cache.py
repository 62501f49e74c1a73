"""A validated criteria set kept ready between runs.

Loading the library parses 32 YAML files and checks them against the schema and the rules:
0.6 s before any command can start its work. A set that loaded without errors is kept, as
built, in the user's cache folder (``platformdirs``; ``$PROCURE_CACHE_DIR`` overrides it), under
a key made of the bytes of every file of the set and of procure's own code. Change a criterion,
add a file or update procure and the key changes, so the set is validated again; an old entry is
never read for a changed set. Reading it back takes 0.05 s.

The cache is a convenience only: a folder that cannot be written, or an entry that cannot be
read, is passed over in silence and the set is loaded the long way. Entries are pickles, so only
one this user wrote and nobody else may change is read. ``PROCURE_NO_CACHE=1``
turns it off. Only the newest :data:`KEEP` entries are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import platformdirs

from procure.model import CriteriaSet

CACHE_DIR_ENV = "PROCURE_CACHE_DIR"
NO_CACHE_ENV = "PROCURE_NO_CACHE"
KEEP = 16
_PACKAGE = Path(__file__).resolve().parent.parent
_SUFFIX = ".criteria-set"


def cache_dir() -> Path | None:
    """Where validated sets are kept; None when the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    override = os.environ.get(CACHE_DIR_ENV)
    base = Path(override) if override else Path(platformdirs.user_cache_dir("procure",
                                                                               appauthor=False))
    return base / "criteria"


@cache
def _code() -> bytes:
    """A digest of procure's code and schemas: a set validated by other code is not reused."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*")):
        if file.suffix in (".py", ".json") and "__pycache__" not in file.parts:
            digest.update(str(file.relative_to(_PACKAGE)).encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.digest()


def key_of(path: Path, files: list[Path]) -> str:
    """The cache key of the set at ``path`` made of ``files`` (read in full: a file changed
    within the same second, or copied with its time kept, still changes the key)."""
    digest = hashlib.sha256(_code())
    digest.update(str(path.resolve()).encode() + b"\0")
    for file in files:
        data = file.read_bytes()
        digest.update(f"{file.relative_to(path) if file != path else file.name}\0{len(data)}\0"
                      .encode())
        digest.update(data)
    return digest.hexdigest()


def _trusted(path: Path) -> bool:
    """An entry is a pickle, and reading a pickle can run code: only an entry this user wrote
    and nobody else may change is read (on systems with file owners)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def read(key: str) -> CriteriaSet | None:
    """The set kept under ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}{_SUFFIX}"
    try:
        if not _trusted(path):
            return None
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except Exception:  # missing, half-written by another version, unreadable: load anew
        return None
    return found if isinstance(found, CriteriaSet) else None


def write(key: str, cset: CriteriaSet) -> None:
    """Keep ``cset`` under ``key`` (atomically); drop the oldest entries beyond :data:`KEEP`."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(cset, out, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(folder / f"{key}{_SUFFIX}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        entries = sorted(folder.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # a read-only or full disk: the cache is only a convenience
        return
