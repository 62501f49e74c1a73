"""Installed criteria sets: the user's own shelf of sets, keyed ``name@version``.

A set received from another municipality is installed once (validated and checked first) and
then cited by specs as ``criteria_set: umea@1.1.0``; :func:`resolve_set` is the one function
that turns such a reference into a folder, with the built-in library always present.

Layout, under the user data folder (``platformdirs``; ``$PROCURE_DATA_DIR`` overrides it, which
is what tests and the demo use)::

    sets/umea@1.1.0/set.yaml               the set as one file (categories and criteria)
    sets/umea@1.1.0/superseded/set.yaml    its old criterion versions, if it has any
    sets/umea@1.1.0/installed.json         content hash, where it came from, when

Nothing is ever half there: an install is built in a hidden temporary folder and renamed into
place in one step; an uninstall renames the folder away first and deletes it afterwards. The
same name@version with different content is refused (content hash), so a citation
``umea@1.1.0`` always means the same requirements.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from procure.criteria.document import SUPERSEDED_FOLDER, SetDocument, dump_yaml, read_document
from procure.criteria.load import builtin_path
from procure.errors import InputFileError, OutputFileError, ProcureError, SetConflictError
from procure.findings import Report
from procure.i18n import tr
from procure.io.yamlio import load_yaml

DATA_DIR_ENV = "PROCURE_DATA_DIR"
RECORD = "installed.json"


def data_dir() -> Path:
    """Where procure keeps the user's data: ``$PROCURE_DATA_DIR``, else the platform's place."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(override) if override else Path(platformdirs.user_data_dir("procure",
                                                                            appauthor=False))


def sets_dir() -> Path:
    return data_dir() / "sets"


@dataclass(frozen=True)
class InstalledSet:
    """One set on the shelf (``builtin``: the library shipped with procure)."""

    name: str
    version: str
    path: Path
    title: str = ""
    content_hash: str | None = None
    source: str | None = None
    installed: str | None = None
    builtin: bool = False

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "name": self.name, "version": self.version,
                "title": self.title, "path": str(self.path), "hash": self.content_hash,
                "source": self.source, "installed": self.installed, "builtin": self.builtin}


def _header(path: Path) -> dict[str, Any]:
    file = path / "set.yaml" if path.is_dir() else path
    data, _ = load_yaml(file)
    return data if isinstance(data, dict) else {}


def builtin_set() -> InstalledSet:
    path = builtin_path()
    header = _header(path)
    title = header.get("title") or {}
    return InstalledSet(str(header.get("name")), str(header.get("version")), path,
                        title=str(title.get("sv", "")) if isinstance(title, dict) else "",
                        builtin=True)


def _split_version(version: str) -> tuple[int, ...]:
    core = version.split("+", 1)[0].split("-", 1)[0]
    return tuple(int(p) if p.isdigit() else 0 for p in core.split("."))


def installed_sets() -> list[InstalledSet]:
    """The built-in set, then every installed set by name and version."""
    found = [builtin_set()]
    folder = sets_dir()
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or "@" not in entry.name or not entry.is_dir():
                continue
            name, version = entry.name.split("@", 1)
            record: dict[str, Any] = {}
            try:
                record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = {}
            found.append(InstalledSet(name, version, entry, title=record.get("title", ""),
                                      content_hash=record.get("hash"),
                                      source=record.get("source"),
                                      installed=record.get("installed")))
    found[1:] = sorted(found[1:], key=lambda s: (s.name, _split_version(s.version)))
    return found


def _parse_ref(ref: str) -> tuple[str, str | None]:
    name, _, version = ref.strip().partition("@")
    return name, version or None


def resolve_set(ref: str) -> Path:
    """The folder of the set a spec cites as ``criteria_set: name@version``.

    The built-in library and every installed set are looked at; a bare ``name`` gives its
    highest installed version. Raises :class:`ProcureError` naming the versions that are
    there when the one asked for is not.
    """
    name, version = _parse_ref(ref)
    shelf = [s for s in installed_sets() if s.name == name]
    if version is None and shelf:
        return max(shelf, key=lambda s: (_split_version(s.version), not s.builtin)).path
    for candidate in shelf:
        if candidate.version == version:
            return candidate.path
    there = ", ".join(s.ref for s in shelf)
    raise ProcureError(
        tr("criteria set {ref} is not installed{there}",
           "kriterieuppsättningen {ref} är inte installerad{there_sv}", ref=ref,
           there=f" (installed: {there})" if there else "",
           there_sv=f" (installerade: {there})" if there else ""),
        hint=tr("install it with `procure criteria install FILE`; "
                "`procure criteria sets` lists what is installed",
                "installera den med `procure criteria install FIL`; "
                "`procure criteria sets` visar vad som är installerat"))


def locate(arg: str | Path) -> Path:
    """A set given on the command line: a path if one exists, else ``name@version`` or the
    bare name of an installed set (its highest version)."""
    path = Path(arg)
    if path.exists():
        return path
    text = str(arg)
    if "@" in text or any(s.name == text for s in installed_sets()):
        return resolve_set(text)
    raise InputFileError(tr("does not exist; expected a criteria folder, a YAML file "
                            "or name@version of an installed set",
                            "finns inte; ska vara en mapp med kriterier, en YAML-fil "
                            "eller namn@version för en installerad uppsättning"),
                         file=path)


@dataclass(frozen=True)
class InstallResult:
    installed: InstalledSet
    already: bool  # the very same content was installed before; nothing changed
    report: Report


def _target(document: SetDocument) -> Path:
    root = sets_dir().resolve()
    target = root / document.ref
    if target.parent != root or document.ref.startswith("."):  # the schema forbids it; be sure
        raise InputFileError(tr("name@version {ref!r} cannot be a folder name",
                                "namn@version {ref!r} kan inte vara ett mappnamn",
                                ref=document.ref))
    return target


def install(path: str | Path, *, source: str | None = None) -> InstallResult:
    """Validate the set at ``path`` and put it on the shelf under ``name@version``.

    Installing the same content again is a no-op (``already``); the same name@version with
    other content is refused with :class:`SetConflictError`, as is the built-in set's
    name@version with other content.
    """
    from procure.criteria.safety import scan_text

    report = Report(source=str(path))
    document = read_document(path, report=report)
    scan_text(document.data, report)
    digest = document.hash()
    builtin = builtin_set()
    if document.ref == builtin.ref:
        if read_document(builtin.path).hash() != digest:
            raise _conflict(document, str(path), tr("the built-in library", "det inbyggda "
                                                    "biblioteket"))
        return InstallResult(builtin, True, report)
    target = _target(document)
    existing = _existing(target)
    if existing is not None:
        if existing.content_hash != digest:
            raise _conflict(document, str(path), existing.source or str(target))
        return InstallResult(existing, True, report)
    record = {"name": document.name, "version": document.version, "hash": digest,
              "title": str((document.data.get("title") or {}).get("sv", "")),
              "source": source or str(Path(path).resolve()),
              "installed": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}
    _write_installed(document, target, record)
    return InstallResult(_existing(target) or builtin, False, report)


def _existing(target: Path) -> InstalledSet | None:
    for candidate in installed_sets()[1:]:
        if candidate.path.resolve() == target:
            return candidate
    return None


def _conflict(document: SetDocument, path: str, holder: Any) -> SetConflictError:
    return SetConflictError(
        tr("{ref} is already installed with other content (from {holder}); the same "
           "name@version must always mean the same requirements",
           "{ref} är redan installerad med annat innehåll (från {holder}); samma namn@version "
           "måste alltid betyda samma krav", ref=document.ref, holder=holder),
        file=path, hint=tr("give the changed set a new version in set.yaml (see `procure "
                           "criteria diff`), or uninstall the old one first",
                           "ge den ändrade uppsättningen en ny version i set.yaml (se `procure "
                           "criteria diff`), eller avinstallera den gamla först"))


def _write_installed(document: SetDocument, target: Path, record: dict[str, Any]) -> None:
    root = target.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{document.ref}.", dir=root))
    except OSError as exc:
        raise OutputFileError(tr("cannot write to the data folder: {error}",
                                 "kan inte skriva i datamappen: {error}",
                                 error=exc.strerror or exc), file=root) from None
    try:
        staging.chmod(0o755)
        live = {k: v for k, v in document.data.items() if k != "superseded"}
        (staging / "set.yaml").write_text(dump_yaml(live, f"installed by procure from "
                                                          f"{record['source']}"),
                                          encoding="utf-8")
        if document.superseded:
            (staging / SUPERSEDED_FOLDER).mkdir()
            (staging / SUPERSEDED_FOLDER / "set.yaml").write_text(
                dump_yaml({"superseded": document.superseded}), encoding="utf-8")
        (staging / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
        staging.rename(target)  # one step: the set is there whole, or not at all
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if target.exists():  # someone else installed it at the same moment
            return
        raise OutputFileError(tr("cannot install: {error}", "kan inte installera: {error}",
                                 error=exc.strerror or exc), file=target) from None


def uninstall(ref: str) -> InstalledSet:
    """Remove an installed set; the built-in library cannot be removed.

    The folder is first renamed to a hidden name (one step, so the set is either fully there
    or gone for every reader) and then deleted; a crash in between leaves only a hidden folder
    that the next uninstall sweeps away.
    """
    name, version = _parse_ref(ref)
    builtin = builtin_set()
    if version is None:
        raise ProcureError(tr("give the version to uninstall: {name}@VERSION",
                              "ange vilken version som ska avinstalleras: {name}@VERSION",
                              name=name))
    if (name, version) == (builtin.name, builtin.version):
        raise ProcureError(tr("{ref} is the built-in library and cannot be uninstalled",
                              "{ref} är det inbyggda biblioteket och kan inte avinstalleras",
                              ref=ref))
    found = next((s for s in installed_sets()[1:] if (s.name, s.version) == (name, version)),
                 None)
    if found is None:
        resolve_set(ref)  # raises, naming what is installed
        raise AssertionError("unreachable")
    trash = found.path.with_name(f".removing-{found.path.name}-{os.getpid()}")
    try:
        found.path.rename(trash)
    except OSError as exc:
        raise OutputFileError(tr("cannot uninstall: {error}", "kan inte avinstallera: {error}",
                                 error=exc.strerror or exc), file=found.path) from None
    shutil.rmtree(trash, ignore_errors=True)
    for stale in sets_dir().glob(".removing-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return found
