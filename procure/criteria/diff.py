"""What changed between two versions of a criteria set, and which version bump that needs.

Sets are compared as written (:class:`procure.criteria.document.SetDocument`), item by item
(categories and criteria by id, old criterion versions by ``id:version``) and field by field, so
a change reads as an officer would say it: ``TRN-FUEL-01 avancerad share_pct 70 → 80``.

Every change carries the semver bump it needs, following the data-versioning convention
(patch = no change in intent, minor = backwards-compatible additions, major = changed meaning):

* patch — wording: titles, texts, verification, sources, keywords;
* minor — new criteria, categories or levels, and *looser* requirements;
* major — removed criteria, categories or levels, *tightened* thresholds, a changed kind,
  answer type or unit, old criterion versions dropped (citations of them would break).

Whether a new threshold is tighter is read from the answer rule: a param used as ``min`` is
tighter when it rises, one used as ``max`` when it falls (``not_before``: later, ``not_after``:
earlier). When the direction cannot be told the change counts as major — a bump too big costs
a version number, one too small misleads every municipality that follows the set. Award rules
never exclude a tender, so changes to how they score are minor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procure.criteria.document import SetDocument
from procure.findings import Report
from procure.i18n import Msg, tr

BUMPS = ("patch", "minor", "major")
PATCH, MINOR, MAJOR = BUMPS
_IGNORED_HEADER = {"version", "provenance"}


@dataclass(frozen=True)
class Change:
    """One difference: ``what`` (set, category, criterion, superseded) ``id`` ``change``
    (added, removed, changed), the field path inside the item, old and new value, the bump it
    needs and why."""

    what: str
    id: str
    change: str
    field: str = ""
    old: Any = None
    new: Any = None
    bump: str = PATCH
    reason: Msg | str = ""

    def describe(self) -> str:
        """``TRN-FUEL-01 avancerad share_pct 70 → 80`` (levels shown as officers name them)."""
        if self.change == "added":
            return f"{self.id} " + str(tr("added", "tillkommer"))
        if self.change == "removed":
            return f"{self.id} " + str(tr("removed", "tas bort"))
        where = self.field
        parts = where.split(".")
        if len(parts) == 4 and parts[0] == "levels" and parts[2] == "params":
            where = f"{parts[1]} {parts[3]}"
        return f"{self.id} {where} {_show(self.old)} → {_show(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "id": self.id, "change": self.change, "field": self.field,
                "old": self.old, "new": self.new, "bump": self.bump, "reason": str(self.reason),
                "text": self.describe()}


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value if len(value) <= 60 else value[:57] + "…"
    if isinstance(value, dict | list):
        text = str(value)
        return text if len(text) <= 60 else text[:57] + "…"
    return str(value)


@dataclass
class SetDiff:
    """Every change from ``old`` to ``new``; ``bump`` is the largest any change needs."""

    old_ref: str
    new_ref: str
    changes: list[Change] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.changes

    @property
    def bump(self) -> str | None:
        if not self.changes:
            return None
        return max((c.bump for c in self.changes), key=BUMPS.index)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            key = f"{c.what}_{c.change}"
            out[key] = out.get(key, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old_ref, "new": self.new_ref, "equal": self.equal,
                "bump": self.bump, "counts": self.counts(),
                "changes": [c.to_dict() for c in self.changes]}


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dicts become dotted paths; lists and scalars are leaves (compared whole)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _by_id(items: list[dict[str, Any]], key: Any = None) -> dict[str, dict[str, Any]]:
    return {(key(i) if key else str(i.get("id"))): i for i in items}


def diff_sets(old: SetDocument, new: SetDocument) -> SetDiff:
    """Compare two sets; the result lists set, category, criterion and old-version changes."""
    result = SetDiff(old.ref, new.ref)
    result.changes += _header_changes(old.header, new.header)
    result.changes += _items("category", _by_id(old.categories), _by_id(new.categories),
                             _category_field)
    result.changes += _items("criterion", _by_id(old.criteria), _by_id(new.criteria),
                             _criterion_field)
    version_key = _superseded_key
    result.changes += _items("superseded", _by_id(old.superseded, version_key),
                             _by_id(new.superseded, version_key), _superseded_field,
                             added=PATCH)
    return result


def _superseded_field(path: str, *_: Any) -> tuple[str, Msg]:
    """An old version is kept verbatim: only its ``superseded`` note may change freely."""
    if path.startswith("superseded."):
        return PATCH, tr("note on the old version", "anteckning om den äldre versionen")
    return MAJOR, tr("an old version was rewritten: what citations of it mean changes",
                     "en äldre version skrevs om: det som hänvisningar till den betyder ändras")


def _superseded_key(item: dict[str, Any]) -> str:
    return f"{item.get('id')}:{item.get('version', 1)}"


def _header_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a = _flatten({k: v for k, v in old.items() if k not in _IGNORED_HEADER})
    b = _flatten({k: v for k, v in new.items() if k not in _IGNORED_HEADER})
    return [Change("set", "set", "changed", key, a.get(key), b.get(key), PATCH,
                   tr("description of the set", "uppsättningens beskrivning"))
            for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]


def _items(what: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]],
           classify: Any, added: str = MINOR) -> list[Change]:
    changes: list[Change] = []
    for key in old:
        if key not in new:
            changes.append(Change(what, key, "removed", bump=MAJOR,
                                  reason=tr("removed: specs and contracts citing it break",
                                            "borttagen: upphandlingar och avtal som hänvisar "
                                            "till den bryts")))
    for key, item in new.items():
        if key not in old:
            changes.append(Change(what, key, "added", bump=added,
                                  reason=tr("new", "ny")))
            continue
        a, b = _flatten(old[key]), _flatten(item)
        for path in sorted(set(a) | set(b), key=lambda p: _order(p)):
            if a.get(path) != b.get(path):
                bump, reason = classify(path, a.get(path), b.get(path), old[key], item)
                changes.append(Change(what, key, "changed", path, a.get(path), b.get(path),
                                      bump, reason))
    return changes


def _order(path: str) -> tuple[int, str]:
    first = path.split(".", 1)[0]
    rank = ["id", "version", "kind", "categories", "levels", "answer", "award", "parameters"]
    return (rank.index(first) if first in rank else len(rank), path)


def _category_field(path: str, old: Any, new: Any, *_: Any) -> tuple[str, Msg]:
    return PATCH, tr("wording or matching vocabulary", "formulering eller sökord")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


TIGHTER = tr("tightened requirement", "skärpt krav")
LOOSER = tr("looser requirement", "mildare krav")


def _direction(rule: str, old: Any, new: Any) -> tuple[str, Msg]:
    """Bump for a threshold used as ``rule`` (min, max, not_before, not_after)."""
    if rule in ("min", "max"):
        a, b = _number(old), _number(new)
        if a is None or b is None:
            return MAJOR, tr("threshold changed (direction unknown)",
                             "gränsvärde ändrat (riktning okänd)")
        tighter = b > a if rule == "min" else b < a
    elif rule in ("not_before", "not_after") and isinstance(old, str) and isinstance(new, str):
        tighter = new > old if rule == "not_before" else new < old
    else:
        return MAJOR, tr("threshold changed (direction unknown)",
                         "gränsvärde ändrat (riktning okänd)")
    return (MAJOR, TIGHTER) if tighter else (MINOR, LOOSER)


def _param_rule(param: str, item: dict[str, Any]) -> str | None:
    """How a level param is used: the answer field holding ``{param}``, ``award``, or None."""
    holder = "{" + param + "}"
    answer = item.get("answer") or {}
    rules = [key for key in ("min", "max", "not_before", "not_after") if answer.get(key) == holder]
    if len(rules) == 1:
        return rules[0]
    if not rules and holder in str(item.get("award") or ""):
        return "award"
    return None


def _criterion_field(path: str, old: Any, new: Any, old_item: dict[str, Any],
                     new_item: dict[str, Any]) -> tuple[str, Msg]:
    parts = path.split(".")
    head = parts[0]
    if head == "kind":
        return MAJOR, tr("kind changed", "typ av krav ändrad")
    if head == "levels":
        level = parts[1] if len(parts) > 1 else ""
        if level not in (old_item.get("levels") or {}):
            return MINOR, tr("new level", "ny nivå")
        if level not in (new_item.get("levels") or {}):
            return MAJOR, tr("level removed", "nivå borttagen")
        if len(parts) == 4 and parts[2] == "params":
            if old is None or new is None:
                return MAJOR, tr("param added or removed", "parameter tillagd eller borttagen")
            rule = _param_rule(parts[3], new_item)
            if rule == "award":
                return MINOR, tr("award scoring changed", "poängsättning/avdrag ändrat")
            if rule is None:
                return MAJOR, tr("threshold changed (direction unknown)",
                                 "gränsvärde ändrat (riktning okänd)")
            return _direction(rule, old, new)
        return PATCH, tr("wording", "formulering")
    if head == "answer":
        key = parts[1] if len(parts) > 1 else ""
        if key in ("min", "max", "not_before", "not_after"):
            if old is None:
                return MAJOR, TIGHTER
            if new is None:
                return MINOR, LOOSER
            return _direction(key, old, new)
        if key in ("accepted", "choices"):
            a = set(_accepted(old_item)) - set(_accepted(new_item))
            return (MAJOR, TIGHTER) if a else (MINOR, LOOSER)
        if key == "evidence":
            return (MAJOR, TIGHTER) if new == "required" else (MINOR, LOOSER)
        return MAJOR, tr("answer rule changed", "svarsregel ändrad")
    if head == "award":
        return MINOR, tr("award scoring changed", "poängsättning/avdrag ändrat")
    if head == "categories":
        removed = set(old or []) - set(new or [])
        return (MAJOR, tr("no longer applies to a category", "gäller inte längre en kategori")) \
            if removed else (MINOR, tr("applies to more categories", "gäller fler kategorier"))
    if head == "version":
        return PATCH, tr("criterion version number", "kriteriets versionsnummer")
    if head == "origin":
        return PATCH, tr("where the criterion comes from", "varifrån kriteriet kommer")
    if head == "parameters" and parts[-1] in ("set_by", "type"):
        return MAJOR, tr("who sets a param changed", "vem som anger en parameter ändrat")
    return PATCH, tr("wording or sources", "formulering eller källor")


def _accepted(item: dict[str, Any]) -> list[str]:
    answer = item.get("answer") or {}
    return list(answer.get("accepted") or answer.get("choices") or [])


def parse_version(version: str) -> tuple[int, int, int] | None:
    core = str(version).split("+", 1)[0].split("-", 1)[0].split(".")
    if len(core) != 3 or not all(p.isdigit() for p in core):
        return None
    return int(core[0]), int(core[1]), int(core[2])


def version_step(old: str, new: str) -> str | None:
    """The bump from ``old`` to ``new`` (patch, minor, major), ``None`` if not raised."""
    a, b = parse_version(old), parse_version(new)
    if a is None or b is None or b <= a:
        return None
    if b[0] > a[0]:
        return MAJOR
    if b[1] > a[1]:
        return MINOR
    return PATCH


def next_version(version: str, bump: str | None) -> str:
    """``1.2.3`` raised by ``bump`` (unchanged for None)."""
    parts = parse_version(version)
    if parts is None or bump is None:
        return version
    major, minor, patch = parts
    if bump == MAJOR:
        return f"{major + 1}.0.0"
    if bump == MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_bump(diff: SetDiff, old_version: str, new_version: str, *, source: str) -> Report:
    """Findings when ``new_version`` is not raised enough for the changes in ``diff``."""
    report = Report(source=source)
    needed = diff.bump
    if needed is None:
        return report
    done = version_step(old_version, new_version)
    if done is None or BUMPS.index(done) < BUMPS.index(needed):
        worst = next(c for c in diff.changes if c.bump == needed)
        report.add("version-bump", tr(
            "version {new} after {old} is not enough: the changes need a {needed} bump "
            "(at least {suggest}), e.g. {change} ({reason})",
            "versionen {new} efter {old} räcker inte: ändringarna kräver en {needed_sv}-höjning "
            "(minst {suggest}), t.ex. {change} ({reason})", new=new_version, old=old_version,
            needed=needed, needed_sv=needed, suggest=next_version(old_version, needed),
            change=worst.describe(), reason=worst.reason), file=source, path="version")
    _check_criterion_versions(diff, report, source)
    return report


_SUBSTANCE = ("kind", "levels", "answer")


def _check_criterion_versions(diff: SetDiff, report: Report, source: str) -> None:
    """A criterion whose kind, level or threshold changes needs the next ``version``
    (docs/criteria-format.md): ``TRN-FUEL-01:1`` must keep meaning what it meant."""
    by_id: dict[str, list[Change]] = {}
    for change in diff.changes:
        if change.what == "criterion" and change.change == "changed":
            by_id.setdefault(change.id, []).append(change)
    for cid, changes in by_id.items():
        substantive = [c for c in changes
                       if c.bump != PATCH and c.field.split(".", 1)[0] in _SUBSTANCE]
        if not substantive:
            continue
        version = next((c for c in changes if c.field == "version"), None)
        old = int(version.old or 1) if version else None
        if version is None or int(version.new or 1) <= (old or 1):
            current = old or 1
            report.add("criterion-version", tr(
                "{id}: {change} but the criterion keeps version {v}; give it version: {next} "
                "and keep the old entry under superseded",
                "{id}: {change} men kriteriet behåller version {v}; ge det version: {next} och "
                "behåll den gamla posten under superseded", id=cid,
                change=substantive[0].describe(), v=current, next=current + 1),
                file=source, path=f"criteria.{cid}.version")
