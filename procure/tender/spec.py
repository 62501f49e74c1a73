"""The procurement spec: one YAML file describing one procurement and its chosen criteria.

The spec pins the criteria set by ``name@version`` and records the buyer's choices (criteria
added or removed, params overridden), so the annex, the answer template and the check all see
exactly the same criteria — and a template made for another spec can be recognised by its
fingerprint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procure.criteria import at_level, load_criteria_set, select
from procure.criteria.select import sort_key
from procure.errors import ProcureError, ProcureWarning, SpecError, UnknownCategoryError
from procure.i18n import Msg, at_line, tr
from procure.io.outputs import write_text_atomic
from procure.io.yamlio import line_for, load_yaml
from procure.model import KINDS, LEVEL_LABELS, LEVELS, CriteriaSet, SelectedCriterion, parse_ref
from procure.tender.params import open_params

AWARD_METHODS = ("price_deduction", "points", "lowest_price")
AWARD_METHOD_LABELS: dict[str, dict[str, str]] = {
    "price_deduction": {"sv": "Pris med mervärdesavdrag (jämförelsepris)",
                        "en": "Price with added-value deductions (comparison price)"},
    "points": {"sv": "Poängmodell", "en": "Points model"},
    "lowest_price": {"sv": "Lägsta pris", "en": "Lowest price"},
}
ORGANISATION_TYPES = ("administration", "municipal_company")
ORGANISATION_TYPE_LABELS: dict[str, dict[str, str]] = {
    "administration": {"sv": "Förvaltning", "en": "Administration"},
    "municipal_company": {"sv": "Kommunalt bolag", "en": "Municipal company"},
}


@dataclass
class ProcurementSpec:
    """One procurement: who buys what, at which level, with which criteria."""

    title: str
    category: str
    level: str
    reference: str = ""
    organisation: str = ""
    organisation_type: str = ""
    criteria_set: str = ""
    estimated_value_sek: float | None = None
    contract_start: str | None = None
    contract_end: str | None = None
    award_method: str = "price_deduction"
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the version of each chosen criterion when the spec was written (``{"TRN-FUEL-01": 2}``):
    # a later set with newer versions still gives this spec the texts it was written with
    versions: dict[str, int] = field(default_factory=dict)
    set_path: str | None = None
    path: str | None = None
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def where(self, name: str | Msg | None) -> str | Msg | None:
        """``line 14, criteria.add`` for a field named as :func:`select` names its arguments."""
        if not name or isinstance(name, Msg):
            return name or None
        key = name if name in ("category", "level") else f"criteria.{name}"
        line = line_for(self.lines, key) if self.lines else None
        return at_line(line, key) if line else key

    def to_dict(self) -> dict[str, Any]:
        """The spec as written to YAML (and printed by ``spec show --format json``)."""
        data: dict[str, Any] = {
            "reference": self.reference,
            "title": self.title,
            "organisation": self.organisation,
        }
        if self.organisation_type:
            data["organisation_type"] = self.organisation_type
        data.update({
            "category": self.category,
            "level": self.level,
            "criteria_set": self.criteria_set,
            "estimated_value_sek": self.estimated_value_sek,
            "contract_period": {"start": self.contract_start, "end": self.contract_end},
            "award_method": self.award_method,
            "criteria": {"add": list(self.add), "remove": list(self.remove),
                         "params": {k: dict(v) for k, v in self.params.items()}},
        })
        if self.versions:
            data["criteria"]["versions"] = dict(self.versions)
        if self.set_path:
            data["criteria_set_path"] = self.set_path
        return data

    def fingerprint(self, selected: list[SelectedCriterion]) -> str:
        """A short hash of what suppliers answer to: set, level and each criterion's rules.

        Stored in the answer template so that answers given to another spec (or to an earlier
        version of this one, before a threshold changed) are recognised when checked.
        """
        payload = {
            "set": self.criteria_set, "category": self.category, "level": self.level,
            "criteria": [[s.id, s.kind, s.level, sorted((k, str(v)) for k, v in s.params.items()),
                          repr(s.answer), repr(s.award)] for s in selected],
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]


FIELDS = ("reference", "title", "organisation", "organisation_type", "category", "level",
          "criteria_set", "estimated_value_sek", "contract_period", "award_method", "criteria",
          "criteria_set_path")
CRITERIA_FIELDS = ("add", "remove", "params", "versions")
PERIOD_FIELDS = ("start", "end")
_SEE_EXAMPLE = tr("see examples/spec.yaml", "se examples/spec.yaml")


def _str(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _kind_of(value: Any) -> str | Msg:
    kinds = {list: tr("a list", "en lista"), dict: tr("a mapping", "en mappning"),
             str: tr("text", "text"), int: tr("a number", "ett tal"),
             float: tr("a number", "ett tal")}
    return kinds.get(type(value), type(value).__name__)


def _iso_date(value: str | None, label: str | Msg, **where: Any) -> str | None:
    """``value`` when it is a date YYYY-MM-DD (or empty), else a :class:`SpecError`."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise SpecError(tr("{label} {value!r} is not a date", "{label} {value!r} är inget datum",
                           label=label, value=value),
                        hint=tr("write YYYY-MM-DD", "skriv ÅÅÅÅ-MM-DD"), **where) from None


def _one_of(value: str, allowed: tuple[str, ...], name: str, *, optional: bool = False,
            **where: Any) -> None:
    """One of ``allowed`` (or empty, when ``optional``), else a :class:`SpecError`."""
    if value not in allowed and not (optional and not value):
        raise SpecError(tr("{name} {value!r} is not one of {allowed}",
                           "{name} {value!r} är inte tillåtet; ska vara ett av {allowed}",
                           name=name, value=value, allowed=", ".join(allowed)), **where)


def _check_period(start: str | None, end: str | None, **where: Any) -> None:
    if start and end and end < start:
        raise SpecError(tr("the contract ends ({end}) before it starts ({start})",
                           "avtalet slutar ({end}) innan det börjar ({start})",
                           end=end, start=start),
                        hint=tr("swap contract_period start and end",
                                "byt plats på start och end i contract_period"), **where)


def _unknown_fields(data: dict[Any, Any], known: tuple[str, ...], prefix: str, path: Path,
                    lines: dict[str, int]) -> None:
    """Warn about fields the spec does not use: a misspelt one would be silently ignored."""
    for key in data:
        if key in known:
            continue
        name = f"{prefix}{key}"
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = (tr("did you mean {field}?", "menade du {field}?", field=f"{prefix}{close[0]}")
                if close else tr("known: {known}", "kända fält: {known}", known=", ".join(known)))
        warnings.warn(tr("{path}: line {line}: field {name!r} is not a spec field and is "
                         "ignored ({hint})",
                         "{path}: rad {line}: fältet {name!r} finns inte i en spec-fil och "
                         "ignoreras ({hint})",
                         path=path, line=lines.get(name, 1), name=name, hint=hint),
                      ProcureWarning, stacklevel=3)


def _id_list(value: Any, key: str, path: Path, lines: dict[str, int]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(isinstance(x, list | dict) for x in value):
        raise SpecError(tr("criteria.{key} must be a list of criterion ids",
                           "criteria.{key} ska vara en lista med kriterie-id", key=key),
                        file=path, location=at_line(lines.get(f"criteria.{key}", 1)),
                        hint=tr("write e.g. {key}: [TRP-FUEL-01]",
                                "skriv t.ex. {key}: [TRP-FUEL-01]", key=key))
    return [str(x) for x in value]


def load_spec(path: str | Path) -> ProcurementSpec:
    """Read and check a spec file; every problem names the file and the field."""
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(tr("expected a mapping with title, category, level; found {kind}",
                           "ska vara en mappning med title, category, level; hittade {kind}",
                           kind=_kind_of(data)), file=path, hint=_SEE_EXAMPLE)

    def where(key: str) -> Msg:
        return at_line(lines.get(key, 1))

    def text(key: str, required: bool = False) -> str:
        value = data.get(key)
        if required and value in (None, ""):
            raise SpecError(tr("field {key!r} is missing", "fältet {key!r} saknas", key=key),
                            file=path, location=at_line(lines.get("", 1)), hint=_SEE_EXAMPLE)
        if isinstance(value, list | dict):
            raise SpecError(tr("field {key!r} must be a single value; found {kind}",
                               "fältet {key!r} ska vara ett enda värde; hittade {kind}",
                               key=key, kind=_kind_of(value)),
                            file=path, location=where(key))
        return _str(value)

    _unknown_fields(data, FIELDS, "", path, lines)
    title, category, level = text("title", True), text("category", True), text("level", True)
    _one_of(level, LEVELS, "level", file=path, location=where("level"))
    crit = data.get("criteria") or {}
    if not isinstance(crit, dict):
        raise SpecError(tr("field 'criteria' must be a mapping with add/remove/params",
                           "fältet 'criteria' ska vara en mappning med add/remove/params"),
                        file=path, location=where("criteria"))
    _unknown_fields(crit, CRITERIA_FIELDS, "criteria.", path, lines)
    params = crit.get("params") or {}
    if not isinstance(params, dict) or not all(isinstance(v, dict) for v in params.values()):
        raise SpecError(tr("criteria.params must map criterion ids to {param: value}",
                           "criteria.params ska koppla kriterie-id till {parameter: värde}"),
                        file=path, location=where("criteria.params"),
                        hint=tr("write e.g. params: {TRP-FUEL-01: {share_pct: 80}}",
                                "skriv t.ex. params: {TRP-FUEL-01: {share_pct: 80}}"))
    versions = crit.get("versions") or {}
    if not isinstance(versions, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in versions.values()):
        raise SpecError(tr("criteria.versions must map criterion ids to version numbers",
                           "criteria.versions ska koppla kriterie-id till versionsnummer"),
                        file=path, location=where("criteria.versions"),
                        hint=tr("write e.g. versions: {TRP-FUEL-01: 2}",
                                "skriv t.ex. versions: {TRP-FUEL-01: 2}"))
    period = data.get("contract_period") or {}
    if not isinstance(period, dict):
        raise SpecError(tr("contract_period must be a mapping with start and end",
                           "contract_period ska vara en mappning med start och end"),
                        file=path, location=where("contract_period"),
                        hint=tr("write e.g. contract_period: {start: 2027-07-01, end: 2031-06-30}",
                                "skriv t.ex. contract_period: {start: 2027-07-01, "
                                "end: 2031-06-30}"))
    _unknown_fields(period, PERIOD_FIELDS, "contract_period.", path, lines)
    start, end = (_iso_date(_str(period.get(k)), f"contract_period.{k}", file=path,
                            location=where(f"contract_period.{k}")) for k in PERIOD_FIELDS)
    _check_period(start, end, file=path, location=where("contract_period"))
    value = data.get("estimated_value_sek")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise SpecError(tr("estimated_value_sek {value!r} is not a number",
                           "estimated_value_sek {value!r} är inget tal", value=value),
                        file=path, location=where("estimated_value_sek"),
                        hint=tr("write digits without spaces, e.g. 48000000",
                                "skriv siffror utan mellanslag, t.ex. 48000000"))
    if value is not None and not 0 <= value < math.inf:
        raise SpecError(tr("estimated_value_sek {value!r} is not an amount; expected 0 or more",
                           "estimated_value_sek {value!r} är inget belopp; ska vara 0 eller mer",
                           value=value),
                        file=path, location=where("estimated_value_sek"))
    award_method = text("award_method") or "price_deduction"
    _one_of(award_method, AWARD_METHODS, "award_method", file=path,
            location=where("award_method"))
    org_type = text("organisation_type")
    _one_of(org_type, ORGANISATION_TYPES, "organisation_type", optional=True, file=path,
            location=where("organisation_type"))
    set_path = text("criteria_set_path") or None
    if set_path and not Path(set_path).is_absolute():
        set_path = str((path.parent / set_path).resolve())
    return ProcurementSpec(
        title=title,
        category=category,
        level=level,
        reference=text("reference"),
        organisation=text("organisation"),
        organisation_type=org_type,
        criteria_set=text("criteria_set"),
        estimated_value_sek=value,
        contract_start=start,
        contract_end=end,
        award_method=award_method,
        add=_id_list(crit.get("add"), "add", path, lines),
        remove=_id_list(crit.get("remove"), "remove", path, lines),
        params={str(k): dict(v) for k, v in params.items()},
        versions={str(k): int(v) for k, v in versions.items()},
        set_path=set_path,
        path=str(path),
        lines=lines,
    )


def resolve(spec: ProcurementSpec, criteria_set: CriteriaSet | None = None, *,
            allow_other_version: bool = False) -> tuple[CriteriaSet, list[SelectedCriterion]]:
    """Load the spec's criteria set (checking name@version) and select its criteria.

    A spec written for a version of the set that is not installed and not older than the one
    installed (``se-klimat@9.9.9`` on 1.0.2) is an error: its criteria and thresholds may differ
    and the installation cannot know how. ``allow_other_version`` makes it a warning (and the
    annex then names both versions). A spec written for an older version is read with the
    criterion versions it recorded, from the set's history, with a warning per change.

    An unknown category or criterion id, or a param that does not fit, is reported at the
    spec's field (``spec.yaml: line 14, criteria.add: unknown criterion id …``).
    """
    if criteria_set is None and spec.set_path and not Path(spec.set_path).exists():
        line = line_for(spec.lines, "criteria_set_path") if spec.lines else None
        raise SpecError(tr("criteria_set_path {path!r} does not exist",
                           "criteria_set_path {path!r} finns inte", path=spec.set_path),
                        file=spec.path,
                        location=at_line(line) if line else "criteria_set_path",
                        hint=tr("a relative path is read from the spec's folder; or give --set",
                                "en relativ sökväg räknas från spec-filens mapp; eller ange "
                                "--set"))
    cset = criteria_set or load_criteria_set(spec.set_path)
    unknown_version = False
    if spec.criteria_set and spec.criteria_set != cset.ref:
        name = spec.criteria_set.split("@", 1)[0]
        if name != cset.name:
            raise SpecError(
                tr("spec uses criteria set {wanted!r} but {loaded!r} is loaded",
                   "spec-filen använder kriterieuppsättningen {wanted!r} men {loaded!r} är "
                   "inläst", wanted=spec.criteria_set, loaded=cset.ref),
                file=spec.path, hint=tr("give the right set with criteria_set_path",
                                        "ange rätt uppsättning med criteria_set_path"),
            )
        wanted_version = spec.criteria_set.split("@", 1)[1] if "@" in spec.criteria_set else ""
        unknown_version = not allow_other_version and not _older(wanted_version, cset.version)
        if not unknown_version or spec.versions:
            warnings.warn(tr("{path}: written for {wanted} but {loaded} is loaded; its criteria "
                             "may differ",
                             "{path}: skriven för {wanted} men {loaded} är inläst; kriterierna "
                             "kan skilja sig", path=spec.path or "spec",
                             wanted=spec.criteria_set, loaded=cset.ref), ProcureWarning,
                          stacklevel=2)
    try:
        selected = select(cset, spec.category, spec.level, overrides=spec.params,
                          add=spec.add, remove=spec.remove)
        selected = pin_versions(spec, cset, selected)
    except ProcureError as exc:
        if exc.file is None:
            exc.file = spec.path
            exc.location = spec.where(exc.location)
        raise
    if unknown_version and not spec.versions:
        # no criterion versions recorded: nothing says which texts and thresholds were meant
        raise SpecError(
            tr("is written for {wanted} but {loaded} is installed; its criteria and "
               "thresholds may differ",
               "är skriven för {wanted} men {loaded} är installerad; kriterierna och "
               "gränsvärdena kan skilja sig", wanted=spec.criteria_set, loaded=cset.ref),
            file=spec.path,
            hint=tr("install {wanted}, or add --allow-other-version to use {loaded}",
                    "installera {wanted}, eller lägg till --allow-other-version för att "
                    "använda {loaded}", wanted=spec.criteria_set, loaded=cset.ref))
    return cset, selected


def _older(wanted: str, installed: str) -> bool:
    """Whether ``wanted`` is an older release than ``installed`` (``1.0.0`` < ``2.0.0``); a
    version that does not read as numbers is not."""
    def parts(version: str) -> tuple[int, ...] | None:
        pieces = version.strip().split(".")
        return tuple(int(p) for p in pieces) if all(p.isdigit() for p in pieces) else None
    old, new = parts(wanted), parts(installed)
    return old is not None and new is not None and old < new


def _cited_versions(spec: ProcurementSpec, cset: CriteriaSet,
                    selected: list[SelectedCriterion]) -> dict[str, int]:
    """The versions the spec cites; a spec from before versions existed cites version 1.

    Every criterion of a set was version 1 until versions were introduced, so a spec without
    ``criteria.versions`` written for another version of the set is read as citing version 1.
    """
    if spec.versions:
        return dict(spec.versions)
    if spec.criteria_set and spec.criteria_set != cset.ref:
        return {s.id: 1 for s in selected}
    return {}


def pin_versions(spec: ProcurementSpec, cset: CriteriaSet, selected: list[SelectedCriterion]
                 ) -> list[SelectedCriterion]:
    """Give each criterion the version the spec cites, warning once per criterion that changed.

    ``TRN-FUEL-01: version 1 → 2 in se-klimat@2.0.0 (note); the spec keeps version 1``.
    A cited version the set does not hold is an error: the annex would otherwise silently
    print another requirement than the one the spec was written with.
    """
    cited = _cited_versions(spec, cset, selected)
    if not cited:
        return selected
    result = []
    for s in selected:
        version = cited.get(s.id)
        if (version is None and spec.versions and spec.criteria_set != cset.ref
                and s.id not in {parse_ref(a)[0] for a in spec.add}):
            warnings.warn(tr("{path}: {ref} is new in {set} since the spec was written; it is "
                             "included (leave it out with criteria.remove)",
                             "{path}: {ref} är nytt i {set} sedan spec-filen skrevs; det tas "
                             "med (ta bort det med criteria.remove)",
                             path=spec.path or "spec", ref=s.ref, set=cset.ref),
                          ProcureWarning, stacklevel=3)
        if version is None or version == s.criterion.version:
            result.append(s)
            continue
        try:
            old = cset.criterion(f"{s.id}:{version}")
        except ProcureError:
            raise SpecError(
                tr("the spec cites {id}:{version}, which {set} does not hold (it has {live})",
                   "spec-filen hänvisar till {id}:{version}, som {set} inte innehåller (den har "
                   "{live})", id=s.id, version=version, set=cset.ref, live=s.ref),
                file=spec.path, location=spec.where("versions"),
                hint=tr("load the set the spec was written for ({wanted}) with --set or "
                        "criteria_set_path",
                        "läs in uppsättningen som spec-filen skrevs för ({wanted}) med --set "
                        "eller criteria_set_path", wanted=spec.criteria_set or "?")) from None
        note = old.superseded.note if old.superseded else None
        warnings.warn(tr("{path}: {id} changed in {set}: version {old} → {new}{note}; the spec "
                         "keeps version {old}",
                         "{path}: {id} har ändrats i {set}: version {old} → {new}{note_sv}; "
                         "spec-filen behåller version {old}",
                         path=spec.path or "spec", id=s.id, set=cset.ref, old=version,
                         new=s.criterion.version,
                         note=f" ({note.get_lang('en')})" if note else "",
                         note_sv=f" ({note.get_lang('sv')})" if note else ""),
                      ProcureWarning, stacklevel=3)
        pinned = at_level(old, spec.level, spec.params.get(s.id))
        if pinned is not None:
            result.append(pinned)
    return sorted(result + _withdrawn(spec, cset, cited, {s.id for s in selected}),
                  key=sort_key)


def _withdrawn(spec: ProcurementSpec, cset: CriteriaSet, cited: dict[str, int],
               chosen: set[str]) -> list[SelectedCriterion]:
    """Criteria the spec cites that the set no longer chooses: kept at the cited version.

    A criterion withdrawn from a set (only its superseded versions remain) must not vanish
    from a tender written with it; one warning line says what happened.
    """
    removed = {parse_ref(r)[0] for r in spec.remove}
    kept = []
    for cid, version in cited.items():
        if cid in chosen or cid in removed:
            continue
        try:
            old = cset.criterion(f"{cid}:{version}")
        except ProcureError:
            raise SpecError(
                tr("the spec cites {id}:{version}, which {set} does not hold",
                   "spec-filen hänvisar till {id}:{version}, som {set} inte innehåller",
                   id=cid, version=version, set=cset.ref),
                file=spec.path, location=spec.where("versions"),
                hint=tr("load the set the spec was written for ({wanted}), or remove {id} "
                        "from criteria.versions",
                        "läs in uppsättningen som spec-filen skrevs för ({wanted}), eller ta "
                        "bort {id} ur criteria.versions",
                        wanted=spec.criteria_set or "?", id=cid)) from None
        selected = at_level(old, spec.level, spec.params.get(cid))
        if selected is None:
            continue
        warnings.warn(tr("{path}: {ref} is no longer chosen by {set} for this category; the "
                         "spec keeps it",
                         "{path}: {ref} väljs inte längre av {set} för den här kategorin; "
                         "spec-filen behåller det",
                         path=spec.path or "spec", ref=old.ref, set=cset.ref),
                      ProcureWarning, stacklevel=4)
        kept.append(selected)
    return kept


def save_spec(spec: ProcurementSpec, output: str | Path) -> Path:
    """Write the spec as YAML, atomically."""
    text = yaml.safe_dump(spec.to_dict(), allow_unicode=True, sort_keys=False)
    return write_text_atomic(output, text)


def build_spec(
    criteria_set: CriteriaSet,
    *,
    title: str,
    category: str,
    level: str,
    reference: str = "",
    organisation: str = "",
    organisation_type: str = "",
    estimated_value_sek: float | None = None,
    contract_start: str | None = None,
    contract_end: str | None = None,
    award_method: str = "price_deduction",
    add: list[str] | None = None,
    remove: list[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    set_path: str | None = None,
) -> ProcurementSpec:
    """A new spec for ``category`` (an id) at ``level``, checked against the set.

    By default every criterion that applies at the level is chosen; ``add``/``remove`` and
    ``params`` record the buyer's changes, exactly as they will be written to the file.
    """
    _one_of(award_method, AWARD_METHODS, "award_method")
    _one_of(organisation_type, ORGANISATION_TYPES, "organisation_type", optional=True)
    contract_start = _iso_date(contract_start, tr("contract start", "avtalsstart"))
    contract_end = _iso_date(contract_end, tr("contract end", "avtalsslut"))
    _check_period(contract_start, contract_end)
    spec = ProcurementSpec(
        title=title, category=category, level=level, reference=reference,
        organisation=organisation, organisation_type=organisation_type,
        criteria_set=criteria_set.ref, estimated_value_sek=estimated_value_sek,
        contract_start=contract_start, contract_end=contract_end, award_method=award_method,
        add=list(add or []), remove=list(remove or []), params=dict(params or {}),
        set_path=set_path,
    )
    _, selected = resolve(spec, criteria_set)  # raises on unknown category, level, ids, params
    spec.versions = {s.id: s.criterion.version for s in selected}
    return spec


@dataclass(frozen=True)
class CategoryChoice:
    """The category picked for a free-text description, and how sure the pick is."""

    id: str
    label: str
    score: float
    confidence: str  # exact | high | medium | low
    how: str  # "id" | "matcher" | "fuzzy"
    alternatives: tuple[tuple[str, float], ...] = ()


def _confidence(score: float) -> str:
    return "high" if score >= 90 else "medium" if score >= 75 else "low"


_DOTTED_ID = re.compile(r"[a-z_]+(?:\.[a-z_]+)+", re.IGNORECASE)


def _no_category(text: str) -> UnknownCategoryError:
    return UnknownCategoryError(tr("no category matches {text!r}",
                                   "ingen kategori passar {text!r}", text=text),
                                hint=tr("give a category id; see `procure criteria categories`",
                                        "ange ett kategori-id; se `procure criteria "
                                        "categories`"))


def _matcher_choice(criteria_set: CriteriaSet, text: str, lang: str) -> CategoryChoice | None:
    """The matcher's pick; None only when the matcher is not installed.

    When the matcher finds nothing that is the answer ("Juridiska konsulttjänster" is no
    category), not a reason to fall back to a looser fuzzy guess.
    """
    try:
        from procure.matching import Matcher  # built by another module owner; optional
    except ImportError:
        return None
    matches = list(Matcher(criteria_set).match(text, limit=3))
    if not matches:
        raise _no_category(text)

    def cat_id(m: Any) -> str:
        value = getattr(m, "category_id", None) or getattr(m, "category", None)
        return str(getattr(value, "id", value))

    def score(m: Any) -> float:
        return float(getattr(m, "score", 0) or 0)

    best = matches[0]
    best_id = cat_id(best)
    if best_id not in criteria_set.categories:
        return None
    confidence = str(getattr(best, "confidence", "") or _confidence(score(best)))
    return CategoryChoice(best_id, criteria_set.categories[best_id].label(lang), score(best),
                          confidence, "matcher",
                          tuple((cat_id(m), score(m)) for m in matches[1:]))


def _fuzzy_choice(criteria_set: CriteriaSet, text: str, lang: str) -> CategoryChoice | None:
    from rapidfuzz import fuzz, process, utils

    names: list[str] = []
    owners: list[str] = []
    for cat in criteria_set.categories.values():
        for value in [*cat.name.values(), *(w for ws in cat.keywords.values() for w in ws)]:
            names.append(value)
            owners.append(cat.id)
    hits = process.extract(text, names, scorer=fuzz.WRatio, processor=utils.default_process,
                           score_cutoff=60, limit=50)
    best: dict[str, float] = {}
    for _name, score, index in hits:
        cid = owners[index]
        best[cid] = max(best.get(cid, 0.0), float(score))
    if not best:
        return None
    # deeper categories win ties: "skolskjuts" is transport.school rather than transport
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], -kv[0].count("."), kv[0]))
    top_id, top_score = ranked[0]
    return CategoryChoice(top_id, criteria_set.categories[top_id].label(lang), top_score,
                          _confidence(top_score), "fuzzy", tuple(ranked[1:3]))


def choose_category(criteria_set: CriteriaSet, text: str, lang: str = "sv") -> CategoryChoice:
    """Turn a category given as an id or as free text ("skolskjuts") into a category id.

    Uses the category matcher when it is installed, else a fuzzy match over names and
    keywords. Raises :class:`UnknownCategoryError` when nothing comes close, and for a dotted
    id that is not in the set ("transport.shcool"): that is a mistyped id, not a description.
    """
    wanted = text.strip()
    for cid, cat in criteria_set.categories.items():
        if cid.casefold() == wanted.casefold():
            return CategoryChoice(cid, cat.label(lang), 100.0, "exact", "id")
    if _DOTTED_ID.fullmatch(wanted):
        criteria_set.category(wanted)  # raises, suggesting the id meant
    choice = _matcher_choice(criteria_set, wanted, lang) or _fuzzy_choice(criteria_set, wanted,
                                                                            lang)
    if choice is None:
        raise _no_category(text)
    return choice


def relative_set_path(set_path: str | Path, output: str | Path) -> str:
    """How a spec at ``output`` refers to the set at ``set_path`` (relative when possible)."""
    target = Path(set_path).resolve()
    try:
        return os.path.relpath(target, Path(output).resolve().parent)
    except ValueError:  # another drive on Windows
        return str(target)


def spec_summary(spec: ProcurementSpec, criteria_set: CriteriaSet,
                 selected: list[SelectedCriterion], lang: str = "sv") -> dict[str, Any]:
    """What ``spec show`` prints: the spec, its criteria and the params to confirm."""
    category = criteria_set.category(spec.category)
    to_confirm = [
        {"criterion_id": s.id, "param": p.name, "value": s.params.get(p.name)}
        for s in selected for p in s.criterion.parameters.values() if p.confirm
    ]
    unset = [item.to_dict(lang) for item in open_params(selected)]
    return {
        **spec.to_dict(),
        "category_label": category.label(lang),
        "level_label": LEVEL_LABELS[spec.level][lang],
        "award_method_label": AWARD_METHOD_LABELS[spec.award_method][lang],
        "criteria_set_loaded": criteria_set.ref,
        "fingerprint": spec.fingerprint(selected),
        "counts": {kind: sum(1 for s in selected if s.kind == kind) for kind in KINDS},
        "selected": [
            {"id": s.id, "version": s.criterion.version, "kind": s.kind, "level": s.level,
             "title": s.title.get_lang(lang), "text": s.text.get_lang(lang),
             "params": dict(s.params), "open_params": list(s.open_params)}
            for s in selected
        ],
        "params_to_confirm": to_confirm,
        "params_unset": unset,
    }
