"""Taking criteria from other municipalities' sets into one's own, with provenance.

Rules, chosen so that a merged set can be trusted as much as its parts:

* Ids are never renumbered. A criterion the base lacks is taken under its own id.
* Every taken criterion records where it came from: ``origin: umea@1.1.0#TRN-FUEL-01:1``
  (an origin it already had is kept — it names the first source, not the last hop).
* A *conflict* — the same id with other content — is never settled silently. It stops the
  merge (nothing is written) until the user says how: ``prefer="base"`` keeps the base's
  criterion and adds the other's beside it, namespaced by set name (``umea/TRN-FUEL-01``);
  ``prefer="other"`` or ``take={"TRN-FUEL-01"}`` replaces the base's criterion. A replaced
  criterion gets the next version number and the base's old text moves to ``superseded`` with
  a note, so a contract citing ``TRN-FUEL-01:1`` still means what it meant.
* ``only_missing`` takes only what the base lacks; conflicts are then reported and skipped.
* Categories a taken criterion needs come along; a category the base already has keeps the
  base's definition (reported when the other's differs).
* The result is validated like any set before anyone may write it: a merge whose result would
  be invalid raises and leaves nothing behind.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from procure.criteria.diff import diff_sets, next_version
from procure.criteria.document import SetDocument, check_document
from procure.errors import ProcureError, SetConflictError
from procure.findings import Report
from procure.i18n import tr

PREFER = ("base", "other")


@dataclass(frozen=True)
class Taken:
    """A criterion that entered the result: its id there, where it came from, and how."""

    id: str
    origin: str
    how: str  # new | namespaced | replaced

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "origin": self.origin, "how": self.how}


@dataclass
class MergeResult:
    document: SetDocument
    taken: list[Taken] = field(default_factory=list)
    report: Report = field(default_factory=lambda: Report(source="merge"))

    def to_dict(self) -> dict[str, Any]:
        return {"result": self.document.ref, "taken": [t.to_dict() for t in self.taken],
                **{k: v for k, v in self.report.to_dict().items() if k != "source"}}


def origin_of(criterion: dict[str, Any], other: SetDocument) -> str:
    """``set@version#id:version`` — the citation of a criterion in the set it comes from."""
    return criterion.get("origin") or (
        f"{other.ref}#{criterion['id']}:{criterion.get('version', 1)}")


def _content(criterion: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in criterion.items() if k != "origin"}


def namespaced(set_name: str, criterion_id: str) -> str:
    """``umea/TRN-FUEL-01``: a colliding criterion under its set's name (never renumbered)."""
    return f"{set_name}/{criterion_id.rsplit('/', 1)[-1]}"


class _Merger:
    def __init__(self, base: SetDocument, prefer: str | None, take: set[str],
                 only_missing: bool, today: str) -> None:
        self.doc = base.copy()
        self.prefer, self.take, self.only_missing, self.today = prefer, take, only_missing, today
        self.result = MergeResult(self.doc, report=Report(source=base.ref))
        self.index = {c["id"]: i for i, c in enumerate(self.doc.criteria)}
        self.used_take: set[str] = set()

    def note(self, code: str, message: Any, severity: str = "info", **where: Any) -> None:
        self.result.report.add(code, message, severity=severity, **where)

    def merge(self, other: SetDocument) -> None:
        for criterion in other.criteria:
            self._criterion(other, criterion)

    def _wants_other(self, other: SetDocument, cid: str) -> bool:
        for key in (cid, namespaced(other.name, cid)):
            if key in self.take:
                self.used_take.add(key)
                return True
        return self.prefer == "other"

    def _criterion(self, other: SetDocument, criterion: dict[str, Any]) -> None:
        cid = criterion["id"]
        taken = copy.deepcopy(criterion)
        taken["origin"] = origin_of(criterion, other)
        if cid not in self.index:
            self._add(other, taken, "new")
            return
        existing = self.doc.criteria[self.index[cid]]
        if _content(existing) == _content(criterion):
            return
        where = {"path": f"criteria.{cid}", "file": other.source}
        if self._wants_other(other, cid):
            self._replace(other, existing, taken)
        elif self.only_missing:
            self.note("skipped-conflict", tr(
                "{id}: {other} has other content; skipped (--only-missing keeps the base's)",
                "{id}: {other} har annat innehåll; hoppas över (--only-missing behåller "
                "basens)", id=cid, other=other.ref), **where)
        elif self.prefer == "base":
            taken["id"] = namespaced(other.name, cid)
            if taken["id"] in self.index:
                there = self.doc.criteria[self.index[taken["id"]]]
                if _content({**there, "id": cid}) != _content(criterion):
                    self.note("conflict", tr(
                        "{id} is already in the base with other content",
                        "{id} finns redan i basen med annat innehåll", id=taken["id"]),
                        severity="error", **where)
                return
            self._add(other, taken, "namespaced")
        else:
            self.note("conflict", tr(
                "{id}: {base} and {other} both have it, with different content; choose with "
                "--prefer base (keep both, theirs as {ns}), --prefer other or --take {id}",
                "{id}: både {base} och {other} har det, med olika innehåll; välj med "
                "--prefer base (behåll båda, deras som {ns}), --prefer other eller --take {id}",
                id=cid, base=self.doc.ref, other=other.ref, ns=namespaced(other.name, cid)),
                severity="error", **where)

    def _add(self, other: SetDocument, taken: dict[str, Any], how: str) -> None:
        self.index[taken["id"]] = len(self.doc.criteria)
        self.doc.criteria.append(taken)
        self._categories(other, taken)
        self._superseded(other, taken)
        self.result.taken.append(Taken(taken["id"], taken["origin"], how))

    def _replace(self, other: SetDocument, existing: dict[str, Any],
                 taken: dict[str, Any]) -> None:
        old_version = int(existing.get("version", 1))
        taken["version"] = old_version + 1
        retired = {**copy.deepcopy(existing), "version": old_version,
                   "superseded": {"by": old_version + 1, "date": self.today, "note": {
                       "sv": f"Ersatt av {taken['origin']} vid sammanslagning.",
                       "en": f"Replaced by {taken['origin']} in a merge."}}}
        self.doc.superseded.append(retired)
        self.doc.criteria[self.index[existing["id"]]] = taken
        self._categories(other, taken)
        self.result.taken.append(Taken(taken["id"], taken["origin"], "replaced"))

    def _superseded(self, other: SetDocument, taken: dict[str, Any]) -> None:
        source_id = taken["origin"].split("#", 1)[-1].rsplit(":", 1)[0]
        for old in other.superseded:
            if old.get("id") == source_id:
                self.doc.superseded.append({**copy.deepcopy(old), "id": taken["id"]})

    def _categories(self, other: SetDocument, taken: dict[str, Any]) -> None:
        theirs = {c["id"]: c for c in other.categories}
        ours = {c["id"]: c for c in self.doc.categories}
        for cat in taken.get("categories", []):
            chain = [cat]
            while "." in chain[-1]:
                chain.append(chain[-1].rsplit(".", 1)[0])
            for cid in reversed(chain):
                if cid in ours:
                    if cid in theirs and ours[cid] != theirs[cid]:
                        self.note("category-kept", tr(
                            "category {id}: the base's definition is kept ({other} words it "
                            "differently)", "kategorin {id}: basens definition behålls ({other} "
                            "beskriver den annorlunda)", id=cid, other=other.ref),
                            path=f"categories.{cid}")
                    continue
                if cid in theirs:
                    ours[cid] = copy.deepcopy(theirs[cid])
                    self.doc.categories.append(ours[cid])


def merge_sets(base: SetDocument, others: list[SetDocument], *, prefer: str | None = None,
               take: set[str] | frozenset[str] = frozenset(), only_missing: bool = False,
               name: str | None = None, version: str | None = None,
               today: str | None = None) -> MergeResult:
    """Merge ``others`` into ``base`` (see the module docstring for the rules).

    Raises :class:`SetConflictError` (with the report) for conflicts no option settles and
    :class:`CriteriaSetError` when the result would not be a valid set. The result's version is
    the base's raised by what the merge changed (minor for additions, major for replacements
    that tighten), unless ``version`` is given.
    """
    if prefer not in (None, *PREFER):
        raise ProcureError(tr("prefer must be base or other", "prefer ska vara base eller other"))
    merger = _Merger(base, prefer, set(take), only_missing, today or dt.date.today().isoformat())
    for other in others:
        if other.name == base.name and other.version == base.version:
            continue
        merger.merge(other)
    result = merger.result
    unused = set(take) - merger.used_take
    if unused:
        raise ProcureError(tr("--take {ids}: no other set has a conflicting criterion with that "
                              "id", "--take {ids}: ingen annan uppsättning har ett kriterium i "
                              "konflikt med det id:t", ids=", ".join(sorted(unused))))
    if not result.report.valid:
        conflicts = result.report.errors
        ids = ", ".join(dict.fromkeys(str(f.path).removeprefix("criteria.") for f in conflicts))
        raise SetConflictError(tr("{n} conflict(s) ({ids}); {first}",
                                  "{n} konflikt(er) ({ids}); {first}", n=len(conflicts), ids=ids,
                                  first=conflicts[0].message), report=result.report)
    doc = result.document
    if name:
        doc.data["name"] = name
    change = diff_sets(base, doc).bump
    doc.data["version"] = version or next_version(base.version, change)
    if result.taken:
        doc.data.setdefault("provenance", [])
        doc.data["provenance"] = [*doc.data["provenance"], {
            "merged": [o.ref for o in others], "date": merger.today,
            "taken": [t.to_dict() for t in result.taken]}]
    check_document(doc, tr("the merged set", "den sammanslagna uppsättningen"))
    return result
