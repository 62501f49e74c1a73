"""A criteria set as one plain document: what is sent, installed, compared and merged.

Sharing works on the set as written (plain dicts and lists, every field kept), not on the loaded
model, so nothing a set says is lost on the way through export, diff or merge — a field the
model does not use yet still travels. :func:`read_document` is the one door: the set is checked
for safety (:mod:`procure.criteria.safety`), validated in both passes, and only then read.

The content hash (:func:`content_hash`) is over the canonical JSON of the document, so the same
set written as a folder or as one file, in another key order or with other comments, hashes the
same; that is what lets ``install`` tell "already installed" from "same name@version, different
content".
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from procure.criteria.load import SUPERSEDED_DIR, validate_path, validate_raw
from procure.criteria.safety import check_format, check_tree
from procure.errors import CriteriaSetError, InputFileError
from procure.findings import Report
from procure.i18n import Msg, tr
from procure.io.yamlio import load_yaml

HEADER_ORDER = ("$schema", "name", "title", "version", "publisher", "license", "languages",
                "description", "sources", "provenance")
BODY_KEYS = ("categories", "criteria", "superseded")
SUPERSEDED_FOLDER = SUPERSEDED_DIR


@dataclass
class SetDocument:
    """One criteria set as plain data: header keys plus ``categories``, ``criteria`` and
    ``superseded`` lists (the last empty when the set keeps no old versions)."""

    data: dict[str, Any]
    source: str | None = None

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def version(self) -> str:
        return str(self.data["version"])

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def header(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k not in BODY_KEYS}

    @property
    def categories(self) -> list[dict[str, Any]]:
        return self.data.setdefault("categories", [])

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return self.data.setdefault("criteria", [])

    @property
    def superseded(self) -> list[dict[str, Any]]:
        return self.data.setdefault("superseded", [])

    def copy(self) -> SetDocument:
        return SetDocument(copy.deepcopy(self.data), self.source)

    def hash(self) -> str:
        return content_hash(self.data)


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Header keys in the documented order, then anything else, then the lists; empty lists
    dropped (a set without old versions has no ``superseded:``)."""
    out = {k: data[k] for k in HEADER_ORDER if k in data}
    out.update({k: v for k, v in data.items() if k not in out and k not in BODY_KEYS})
    out.update({k: data[k] for k in BODY_KEYS if data.get(k)})
    return out


def content_hash(data: dict[str, Any]) -> str:
    """``sha256:…`` of the canonical JSON of a set (key order and formatting do not count)."""
    canonical = json.dumps(ordered(data), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_document(path: str | Path, *, report: Report | None = None) -> SetDocument:
    """Check, validate and read the set at ``path`` (folder or one YAML file).

    Raises :class:`CriteriaSetError` with the full report when the set is invalid, and
    :class:`procure.errors.UnsafeSetError` when it breaks a safety rule; ``report`` (if given)
    receives the validation findings, warnings included.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(tr("path does not exist; expected a criteria folder or YAML file",
                                "sökvägen finns inte; ska vara en mapp med kriterier eller en "
                                "YAML-fil"), file=path)
    check_tree(path)
    header_file = path if path.is_file() else path / "set.yaml"
    if header_file.is_file():
        header, _ = load_yaml(header_file)
        if isinstance(header, dict):
            check_format(header, header_file)
    raw, checked = validate_raw(path)
    if report is not None:
        report.findings.extend(checked.findings)
    if not checked.valid:
        first = checked.errors[0]
        raise CriteriaSetError(tr("invalid criteria set: {first} ({n} errors; run `procure "
                                  "criteria validate {path}`)",
                                  "ogiltig kriterieuppsättning: {first} ({n} fel; kör `procure "
                                  "criteria validate {path}`)", first=first,
                                  n=len(checked.errors), path=path), report=checked)
    data = {**raw.header, "categories": [i.data for i in raw.categories],
            "criteria": [i.data for i in raw.criteria],
            "superseded": [i.data for i in raw.superseded]}
    return SetDocument(data, str(path))


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml: ~10x faster
    """Block style, long lines kept whole, strings that YAML would misread quoted."""


def _str(dumper: Any, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any], comment: str | None = None) -> str:
    """The set as one YAML file (the one-file form of docs/criteria-format.md)."""
    text = yaml.dump(ordered(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100, default_flow_style=False)
    return (f"# {comment}\n" if comment else "") + text


def write_folder(document: SetDocument, folder: str | Path, *, force: bool = False) -> Path:
    """Write a set as a folder (``set.yaml``, ``criteria.yaml``, ``superseded/criteria.yaml``).

    All or nothing: the folder is built beside the target under a hidden name and renamed into
    place; an existing folder is replaced only with ``force`` (and only after the new one is
    complete).
    """
    import shutil
    import tempfile

    from procure.errors import OutputFileError

    target = Path(folder)
    if target.exists() and not force and (not target.is_dir() or any(target.iterdir())):
        raise OutputFileError(tr("exists already", "finns redan"), file=target,
                              hint=tr("choose another folder or add --force",
                                      "välj en annan mapp eller lägg till --force"))
    parent = target.parent if str(target.parent) else Path()
    if not parent.is_dir():
        raise OutputFileError(tr("the output folder does not exist",
                                 "mappen för utfilen finns inte"), file=target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        staging.chmod(0o755)
        header = {k: v for k, v in document.data.items() if k not in BODY_KEYS}
        (staging / "set.yaml").write_text(dump_yaml(header), encoding="utf-8")
        body = {"categories": document.categories, "criteria": document.criteria}
        (staging / "criteria.yaml").write_text(dump_yaml(body), encoding="utf-8")
        if document.superseded:
            (staging / SUPERSEDED_FOLDER).mkdir()
            (staging / SUPERSEDED_FOLDER / "criteria.yaml").write_text(
                dump_yaml({"superseded": document.superseded}), encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputFileError(tr("cannot write: {error}", "kan inte skriva: {error}",
                                 error=exc.strerror or exc), file=target) from None
    return target


def check_document(document: SetDocument, what: str | Msg) -> None:
    """Validate a set built in memory (merge, import) exactly as ``criteria validate`` would,
    raising :class:`CriteriaSetError` — before anything is written."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="procure-check-") as tmp:
        file = Path(tmp) / "set.yaml"
        file.write_text(dump_yaml(document.data), encoding="utf-8")
        report = validate_path(file)
    if not report.valid:
        names = {f"criteria[{i}]": c.get("id") for i, c in enumerate(document.criteria)}
        names.update({f"categories[{i}]": c.get("id") for i, c in enumerate(document.categories)})
        first = report.errors[0]
        where = first.path or ""
        head = where.split(".", 1)[0]
        if head in names:
            where = where.replace(head, str(names[head]), 1)
        report.source = str(document.source or "")
        raise CriteriaSetError(tr(
            "{what} would be invalid, nothing was written: {where}{first} ({n} errors)",
            "{what} skulle bli ogiltig, inget skrevs: {where}{first} ({n} fel)", what=what,
            where=f"{where}: " if where else "", first=first.message, n=len(report.errors)),
            report=report)
